/**
 * Why a SAML sign-in was refused. The code goes to logs and the audit event; the message is shown on the
 * refusal page and written for the IT administrator who will fix the IdP configuration (or the user's access).
 */
export type RefusalReason =
  // the message itself
  | 'MALFORMED_RESPONSE'
  | 'DOCTYPE_FORBIDDEN'
  | 'XML_INJECTION'
  | 'ENCRYPTED_ASSERTION_UNSUPPORTED'
  | 'ASSERTION_COUNT'
  | 'STATUS_NOT_SUCCESS'
  // signature
  | 'UNSIGNED'
  | 'SIGNATURE_ALGORITHM'
  | 'SIGNATURE_STRUCTURE'
  | 'UNTRUSTED_CERTIFICATE'
  | 'SIGNATURE_INVALID'
  // what the signed content says
  | 'ISSUER_MISMATCH'
  | 'DESTINATION_MISMATCH'
  | 'RECIPIENT_MISMATCH'
  | 'SUBJECT_CONFIRMATION'
  | 'AUDIENCE_MISMATCH'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'IN_RESPONSE_TO_MISMATCH'
  | 'NAME_ID_INVALID'
  // the sign-in around it
  | 'BINDING'
  | 'BODY_TOO_LARGE'
  | 'SAML_NOT_CONFIGURED'
  | 'UNKNOWN_REQUEST'
  | 'UNSOLICITED_NOT_ALLOWED'
  | 'REPLAYED'
  | 'USER_UNKNOWN'
  | 'USER_DEACTIVATED'
  | 'USER_REMOVED';

export class SamlRefusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    /** For the administrator: what is wrong and, where possible, what to change. */
    message: string,
    /** Precise technical facts for the log (never secrets). */
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SamlRefusal';
  }
}

export function refuse(reason: RefusalReason, message: string, detail?: Record<string, unknown>): never {
  throw new SamlRefusal(reason, message, detail);
}

/** HTTP status for a refusal: 413 for size, 403 for a valid response that may not sign in, 409 without configuration, else 400. */
export function refusalStatus(reason: RefusalReason): number {
  switch (reason) {
    case 'BODY_TOO_LARGE':
      return 413;
    case 'USER_UNKNOWN':
    case 'USER_DEACTIVATED':
    case 'USER_REMOVED':
    case 'UNSOLICITED_NOT_ALLOWED':
      return 403;
    case 'SAML_NOT_CONFIGURED':
      return 409;
    default:
      return 400;
  }
}
