export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** scimType values of RFC 7644 section 3.12 and RFC 9865 (cursor pagination). */
export type ScimErrorType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  | 'invalidCursor'
  | 'expiredCursor'
  | 'invalidCount';

/**
 * An error answered in the SCIM error format. `detail` is read by an IT administrator in their identity
 * provider's provisioning log, so it says what was wrong and, where it helps, what would be right.
 */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimErrorType | undefined,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  toJSON(): Record<string, unknown> {
    const body: Record<string, unknown> = { schemas: [ERROR_SCHEMA], status: String(this.status) };
    if (this.scimType) body.scimType = this.scimType;
    body.detail = this.detail;
    return body;
  }
}

export const badRequest = (scimType: ScimErrorType, detail: string) => new ScimError(400, scimType, detail);
export const notFound = (detail: string) => new ScimError(404, undefined, detail);
