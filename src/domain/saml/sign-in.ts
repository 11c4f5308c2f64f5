import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/audit';
import type { Actor, DomainContext } from '../context';
import { DomainError } from '../errors';
import { createSession } from '../session/sessions';
import { createUser, findUserByEmail, setSamlGroupClaims, type UserRecord } from '../user/users';
import { consumeAssertionId } from './replay';
import { consumeAuthnRequest } from './requests';

/** A validated assertion, as the SAML interface hands it over (every field read from signed bytes). */
export interface VerifiedAssertion {
  nameId: string;
  issuer: string;
  assertionId: string;
  sessionIndex?: string;
  inResponseTo?: string;
  attributes: Record<string, string[]>;
  /** Until when the replay store must remember the assertion ID. */
  keepUntil: Date;
}

export interface ChannelSamlRules {
  channelId: string;
  groupsAttribute: string;
  allowIdpInitiated: boolean;
  jitProvisioning: boolean;
}

export type SignInRefusalReason =
  'UNKNOWN_REQUEST' | 'UNSOLICITED_NOT_ALLOWED' | 'REPLAYED' | 'USER_UNKNOWN' | 'USER_DEACTIVATED' | 'USER_REMOVED';

export type SamlSignInOutcome =
  | {
      ok: true;
      user: UserRecord;
      createdUser: boolean;
      session: { cookieValue: string; expiresAt: Date };
      /** Where the SP-initiated request asked to return to (null for IdP-initiated sign-in). */
      requestReturnTo: string | null;
      solicited: boolean;
    }
  | { ok: false; reason: SignInRefusalReason; message: string; userId?: string };

const JIT_ACTOR_LABEL = 'SAML just-in-time provisioning';

/**
 * Signs a user in with an assertion that passed validation: the single-use checks against the database
 * (the AuthnRequest it answers, the assertion ID), then the channel's sign-in rules — the user is found by
 * NameID (= email, case-insensitive); unknown users are refused unless JIT provisioning is on; deactivated
 * and removed users are refused — then the groups claim replaces the user's SAML group claims and a new
 * session is created. Everything, refusals included, is audited in the same transaction; a refusal changes
 * nothing but the single-use records and the audit log.
 */
export async function signInWithAssertion(
  em: SqlEntityManager,
  rules: ChannelSamlRules,
  assertion: VerifiedAssertion,
): Promise<SamlSignInOutcome> {
  try {
    return await attemptSignIn(em, rules, assertion);
  } catch (error) {
    // Two first sign-ins of the same new user raced to create it (JIT): the loser's transaction rolled back
    // entirely, so trying again simply finds the user the winner created.
    if (error instanceof DomainError && error.code === 'CONFLICT') return attemptSignIn(em, rules, assertion);
    throw error;
  }
}

async function attemptSignIn(
  em: SqlEntityManager,
  rules: ChannelSamlRules,
  assertion: VerifiedAssertion,
): Promise<SamlSignInOutcome> {
  return em.transactional(async (txEm) => {
    const tx = txEm as SqlEntityManager;
    const refuse = async (
      reason: SignInRefusalReason,
      message: string,
      userId?: string,
    ): Promise<SamlSignInOutcome> => {
      await recordSignInRefusal(tx, rules.channelId, {
        reason,
        message,
        nameId: assertion.nameId,
        userId,
        assertionId: assertion.assertionId,
      });
      return { ok: false, reason, message, userId };
    };

    // Replay first, so a second post of the same response is named for what it is.
    if (
      !(await consumeAssertionId(tx, rules.channelId, assertion.issuer, assertion.assertionId, assertion.keepUntil))
    ) {
      return refuse(
        'REPLAYED',
        'This SAML response was already used to sign in; a response is accepted only once. Start the sign-in again.',
      );
    }

    let requestReturnTo: string | null = null;
    if (assertion.inResponseTo !== undefined) {
      const request = await consumeAuthnRequest(tx, rules.channelId, assertion.inResponseTo);
      if (!request) {
        return refuse(
          'UNKNOWN_REQUEST',
          'This SAML response answers a sign-in request that Roster did not issue for this channel, that expired, or that was already answered. Start the sign-in again.',
        );
      }
      requestReturnTo = request.returnTo;
    } else if (!rules.allowIdpInitiated) {
      return refuse(
        'UNSOLICITED_NOT_ALLOWED',
        "This channel accepts only sign-ins that start at Roster (SP-initiated), and this response was not requested. Start from the Roster sign-in link, or let an administrator allow IdP-initiated sign-in in the channel's SAML configuration.",
      );
    }

    let user = await findUserByEmail(tx, rules.channelId, assertion.nameId);
    let createdUser = false;
    if (!user) {
      if (await isRemoved(tx, rules.channelId, assertion.nameId)) {
        return refuse(
          'USER_REMOVED',
          `${assertion.nameId} was removed from this channel by the identity provider's provisioning, so they cannot sign in. Assign them to the application again in the identity provider to restore access.`,
        );
      }
      if (!rules.jitProvisioning) {
        return refuse(
          'USER_UNKNOWN',
          `${assertion.nameId} is not a user of this channel. Assign them to the application in the identity provider so that provisioning creates them (or turn on just-in-time provisioning).`,
        );
      }
      const jit: Actor = { type: 'system', id: null, label: JIT_ACTOR_LABEL };
      user = await createUser(
        { em: tx, channelId: rules.channelId, actor: jit },
        { email: assertion.nameId, ...profileFrom(assertion.attributes) },
      );
      createdUser = true;
    } else if (!user.active) {
      return refuse(
        'USER_DEACTIVATED',
        `${user.email} is deactivated in this channel, so they cannot sign in. Reactivate them in the identity provider (or the Roster admin API) to restore access.`,
        user.id,
      );
    }

    const actor: Actor = { type: 'user', id: user.id, label: user.email };
    const ctx: DomainContext = { em: tx, channelId: rules.channelId, actor };
    const groups = groupClaims(assertion.attributes, rules.groupsAttribute);
    await setSamlGroupClaims(ctx, user.id, groups);
    const session = await createSession(tx, rules.channelId, user.id);
    await recordAudit(tx, {
      channelId: rules.channelId,
      actor,
      action: 'saml.signIn',
      targetType: 'user',
      targetId: user.id,
      summary: {
        email: user.email,
        groups,
        justInTimeCreated: createdUser || undefined,
        solicited: assertion.inResponseTo !== undefined,
        assertionId: assertion.assertionId,
        sessionIndex: assertion.sessionIndex,
      },
    });
    return { ok: true, user, createdUser, session, requestReturnTo, solicited: assertion.inResponseTo !== undefined };
  });
}

/** Audits a refused sign-in (validation failures included) — the log an administrator reads. */
export async function recordSignInRefusal(
  em: SqlEntityManager,
  channelId: string,
  refusal: {
    reason: string;
    message: string;
    nameId?: string;
    userId?: string;
    assertionId?: string;
    detail?: Record<string, unknown>;
  },
): Promise<void> {
  await recordAudit(em, {
    channelId,
    actor: refusal.userId
      ? { type: 'user', id: refusal.userId, label: refusal.nameId ?? '' }
      : { type: 'system', id: null, label: 'SAML sign-in' },
    action: 'saml.signInRefused',
    targetType: refusal.userId ? 'user' : null,
    targetId: refusal.userId ?? null,
    summary: {
      reason: refusal.reason,
      message: refusal.message.slice(0, 1000),
      ...(refusal.nameId ? { nameId: refusal.nameId } : {}),
      ...(refusal.assertionId ? { assertionId: refusal.assertionId } : {}),
      ...(refusal.detail ? { detail: refusal.detail } : {}),
    },
  });
}

/** The groups claim: one value or many, under the configured attribute name (compared case-insensitively). */
export function groupClaims(attributes: Record<string, string[]>, groupsAttribute: string): string[] {
  const wanted = groupsAttribute.toLowerCase();
  const values = Object.entries(attributes)
    .filter(([name]) => name.toLowerCase() === wanted)
    .flatMap(([, v]) => v);
  return [...new Set(values)];
}

async function isRemoved(em: SqlEntityManager, channelId: string, email: string): Promise<boolean> {
  const rows = await em.execute(
    'select 1 from app_user where channel_id = ? and lower(email) = lower(?) and removed_at is not null limit 1',
    [channelId, email],
  );
  return rows.length > 0;
}

// Attribute names Okta, Entra ID and others commonly use for a user's names.
const GIVEN = [
  'firstname',
  'givenname',
  'first_name',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
  'urn:oid:2.5.4.42',
];
const FAMILY = [
  'lastname',
  'surname',
  'familyname',
  'last_name',
  'sn',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  'urn:oid:2.5.4.4',
];
const DISPLAY = [
  'displayname',
  'name',
  'http://schemas.microsoft.com/identity/claims/displayname',
  'urn:oid:2.16.840.1.113730.3.1.241',
];

function profileFrom(attributes: Record<string, string[]>) {
  const pick = (names: string[]) => {
    for (const [name, values] of Object.entries(attributes)) {
      if (names.includes(name.toLowerCase()) && values[0]) return values[0].slice(0, 1024);
    }
    return undefined;
  };
  return { givenName: pick(GIVEN), familyName: pick(FAMILY), displayName: pick(DISPLAY) };
}
