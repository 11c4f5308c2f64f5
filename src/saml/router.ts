import Router from '@koa/router';
import type { Context } from 'koa';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { AppDeps } from '../app';
import { getChannelBySlug, type ChannelRecord } from '../domain/channel/channels';
import { getSamlConfig } from '../domain/saml/saml-config';
import { serviceProviderUrls } from '../domain/saml/service-provider';
import { rememberAuthnRequest } from '../domain/saml/requests';
import { recordSignInRefusal, signInWithAssertion } from '../domain/saml/sign-in';
import { SESSION_COOKIE, endSession } from '../domain/session/sessions';
import { authnRequestXml, newAuthnRequestId, redirectBindingUrl } from './authn-request';
import { sendPage } from './pages';
import { SamlRefusal, refusalStatus, type RefusalReason } from './refusal';
import { DEFAULT_CLOCK_SKEW_MS, validateSamlResponse } from './response-validator';
import { safeReturnPath } from './return-to';
import { spMetadataXml } from './sp-metadata';

/** The POST binding body limit (DESIGN 2.2): larger bodies are answered 413 before they are read. */
export const ACS_BODY_LIMIT_BYTES = 1024 * 1024;
const DRAIN_LIMIT_BYTES = 16 * ACS_BODY_LIMIT_BYTES;

/**
 * The SAML 2.0 service provider of every channel: SP metadata, SP-initiated sign-in (HTTP-Redirect), the
 * assertion consumer service (HTTP-POST) and sign-out. Parses its own bodies.
 */
export function samlRouter(deps: AppDeps): Router {
  const router = new Router();
  const publicUrl = deps.config.publicUrl;
  const secureCookie = publicUrl.startsWith('https:');

  router.get('/saml/:slug/metadata', async (ctx) => {
    const channel = await channelOrNotFound(ctx);
    if (!channel) return;
    ctx.type = 'application/samlmetadata+xml; charset=utf-8';
    ctx.set('Content-Disposition', `inline; filename="roster-${channel.slug}-sp-metadata.xml"`);
    ctx.body = spMetadataXml(serviceProviderUrls(publicUrl, channel.slug));
  });

  router.get('/saml/:slug/login', async (ctx) => {
    const channel = await channelOrNotFound(ctx);
    if (!channel) return;
    const em = ctx.state.em as SqlEntityManager;
    const config = await getSamlConfig(em, channel.id);
    if (!config) return notConfigured(ctx, channel);

    const requested = ctx.query.returnTo;
    const returnTo = safeReturnPath(typeof requested === 'string' ? requested : undefined);
    if (requested !== undefined && returnTo === null) {
      log(ctx).warn(
        { channel: channel.slug, returnTo: String(requested).slice(0, 300) },
        'SAML login: unsafe returnTo replaced by /',
      );
    }
    const sp = serviceProviderUrls(publicUrl, channel.slug);
    const id = newAuthnRequestId();
    if (!(await rememberAuthnRequest(em, channel.id, id, returnTo ?? '/'))) {
      log(ctx).warn({ channel: channel.slug }, 'SAML login: too many sign-ins in progress');
      ctx.set('Retry-After', '60');
      return sendPage(ctx, 503, {
        title: 'Sign-in is busy',
        lead: `Too many sign-ins to ${channel.name} are in progress right now. Try again in a minute.`,
      });
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(
      redirectBindingUrl(
        config.ssoUrl,
        authnRequestXml({ id, spEntityId: sp.entityId, acsUrl: sp.acsUrl, ssoUrl: config.ssoUrl }),
      ),
    );
  });

  router.post('/saml/:slug/acs', async (ctx) => {
    const channel = await channelOrNotFound(ctx);
    if (!channel) return;
    const em = ctx.state.em as SqlEntityManager;
    const refused = (refusal: SamlRefusal, nameId?: string) => refuseSignIn(ctx, channel, refusal, nameId);

    const form = await readForm(ctx);
    if (form instanceof SamlRefusal) return refused(form);
    const responses = form.getAll('SAMLResponse');
    if (responses.length !== 1) {
      return refused(
        new SamlRefusal(
          'BINDING',
          'The request must carry exactly one SAMLResponse form field (SAML HTTP-POST binding).',
          { count: responses.length },
        ),
      );
    }

    const config = await getSamlConfig(em, channel.id);
    if (!config) {
      return refused(
        new SamlRefusal(
          'SAML_NOT_CONFIGURED',
          'SAML single sign-on is not configured for this channel yet: an administrator must configure the identity provider first (configureSaml).',
        ),
      );
    }

    const sp = serviceProviderUrls(publicUrl, channel.slug);
    let assertion;
    try {
      // A raw `+` of base64 that the client forgot to percent-encode arrives as a space; base64 has no spaces.
      assertion = validateSamlResponse(responses[0].replace(/ /g, '+'), {
        idpEntityId: config.idpEntityId,
        certificates: config.certificates,
        spEntityId: sp.entityId,
        acsUrl: sp.acsUrl,
        allowSha1: config.allowSha1,
        clockSkewMs: DEFAULT_CLOCK_SKEW_MS,
      });
    } catch (error) {
      if (error instanceof SamlRefusal) return refused(error);
      throw error;
    }

    const outcome = await signInWithAssertion(
      em,
      {
        channelId: channel.id,
        groupsAttribute: config.groupsAttribute,
        allowIdpInitiated: config.allowIdpInitiated,
        jitProvisioning: config.jitProvisioning,
      },
      {
        nameId: assertion.nameId,
        issuer: assertion.issuer,
        assertionId: assertion.assertionId,
        sessionIndex: assertion.sessionIndex,
        inResponseTo: assertion.inResponseTo,
        attributes: assertion.attributes,
        keepUntil: new Date(assertion.notOnOrAfter.getTime() + DEFAULT_CLOCK_SKEW_MS),
      },
    );
    if (!outcome.ok) {
      // Already audited inside the sign-in transaction; log and answer.
      return refuseSignIn(ctx, channel, new SamlRefusal(outcome.reason, outcome.message), assertion.nameId, false);
    }

    // SP-initiated: the returnTo stored with the request. IdP-initiated: RelayState, if it is a safe path.
    const relayState = form.get('RelayState');
    const destination = outcome.solicited
      ? (safeReturnPath(outcome.requestReturnTo) ?? '/')
      : (safeReturnPath(relayState) ?? '/');
    log(ctx).info(
      {
        channel: channel.slug,
        userId: outcome.user.id,
        createdUser: outcome.createdUser,
        solicited: outcome.solicited,
        assertionId: assertion.assertionId,
      },
      'SAML sign-in',
    );
    ctx.append('Set-Cookie', sessionCookie(outcome.session.cookieValue, outcome.session.expiresAt, secureCookie));
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 303;
    ctx.redirect(destination);
  });

  // The ACS speaks only the POST binding; say so in words instead of a bare 405.
  router.get('/saml/:slug/acs', (ctx) => {
    ctx.set('Allow', 'POST');
    sendPage(ctx, 405, {
      title: 'Sign-in refused',
      lead: 'This address receives sign-ins from your identity provider; it cannot be opened directly.',
      detail:
        'The assertion consumer service accepts only the SAML HTTP-POST binding. Configure the identity provider to POST the SAML response to this URL.',
      reason: 'BINDING',
    });
  });

  router.post('/logout', async (ctx) => {
    const cookie = ctx.cookies.get(SESSION_COOKIE);
    if (cookie) await endSession(ctx.state.em as SqlEntityManager, cookie);
    ctx.append('Set-Cookie', clearedSessionCookie(secureCookie));
    ctx.set('Cache-Control', 'no-store');
    const returnTo = safeReturnPath(ctx.query.returnTo) ?? '/';
    ctx.status = 303;
    ctx.redirect(returnTo);
  });

  return router;
}

function log(ctx: Context): Logger {
  return ctx.state.log as Logger;
}

async function channelOrNotFound(ctx: Context): Promise<ChannelRecord | null> {
  const channel = await getChannelBySlug(ctx.state.em as SqlEntityManager, String(ctx.params?.slug ?? ''));
  if (!channel) {
    sendPage(ctx, 404, {
      title: 'Channel not found',
      lead: 'There is no channel at this address.',
      detail:
        'Check the channel part of the SAML URLs configured in the identity provider; the admin API shows the exact values (serviceProvider).',
    });
  }
  return channel;
}

function notConfigured(ctx: Context, channel: ChannelRecord): void {
  sendPage(ctx, 409, {
    title: 'Single sign-on is not set up',
    lead: `Single sign-on is not set up for ${channel.name} yet.`,
    detail:
      "An administrator must configure the channel's identity provider (configureSaml) before anyone can sign in.",
    reason: 'SAML_NOT_CONFIGURED',
  });
}

const USER_REASONS: ReadonlySet<RefusalReason> = new Set(['USER_UNKNOWN', 'USER_DEACTIVATED', 'USER_REMOVED']);

/**
 * Every refusal: one warning log line with the precise reason, an audit event (unless the sign-in
 * transaction already wrote it), and a page the user can hand to the IT administrator.
 */
async function refuseSignIn(
  ctx: Context,
  channel: ChannelRecord,
  refusal: SamlRefusal,
  nameId?: string,
  audit = true,
): Promise<void> {
  log(ctx).warn(
    { channel: channel.slug, reason: refusal.reason, detail: refusal.detail, nameId, refusal: refusal.message },
    'SAML sign-in refused',
  );
  if (audit) {
    const em = ctx.state.em as SqlEntityManager;
    await em.transactional((tx) =>
      recordSignInRefusal(tx as SqlEntityManager, channel.id, {
        reason: refusal.reason,
        message: refusal.message,
        nameId,
        detail: refusal.detail,
      }),
    );
  }
  const aboutUser = USER_REASONS.has(refusal.reason);
  sendPage(ctx, refusalStatus(refusal.reason), {
    title: 'Sign-in refused',
    lead: aboutUser
      ? `You cannot sign in to ${channel.name} with this account. Contact your IT administrator and show them this page.`
      : `Sign-in to ${channel.name} did not succeed because the identity provider's response was not accepted. Try again; if it keeps failing, show this page to your IT administrator.`,
    detail: refusal.message,
    reason: refusal.reason,
  });
}

/**
 * Reads an application/x-www-form-urlencoded body of at most ACS_BODY_LIMIT_BYTES. Answers a refusal for a
 * wrong content type, a body over the limit (413, checked on Content-Length first and while reading).
 */
async function readForm(ctx: Context): Promise<URLSearchParams | SamlRefusal> {
  const tooLarge = () =>
    new SamlRefusal(
      'BODY_TOO_LARGE',
      `The SAML response is larger than ${ACS_BODY_LIMIT_BYTES / 1024 / 1024} MB, which no genuine response needs; it was not read.`,
    );
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > ACS_BODY_LIMIT_BYTES) {
    ctx.set('Connection', 'close');
    if (declared <= DRAIN_LIMIT_BYTES) ctx.req.resume();
    return tooLarge();
  }
  if (!ctx.is('application/x-www-form-urlencoded')) {
    ctx.req.resume();
    return new SamlRefusal(
      'BINDING',
      'The SAML response must be POSTed as an HTML form (application/x-www-form-urlencoded, SAML HTTP-POST binding).',
      {
        contentType: ctx.get('content-type'),
      },
    );
  }
  // Answer as soon as the limit is passed, but keep draining (within reason) so that the client, still
  // uploading, can read the 413; past DRAIN_LIMIT the connection is simply cut.
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (value: URLSearchParams | SamlRefusal) => {
      if (!settled) resolve(value);
      settled = true;
    };
    ctx.req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT_BYTES) ctx.req.destroy();
      else if (size > ACS_BODY_LIMIT_BYTES) {
        chunks.length = 0;
        ctx.set('Connection', 'close');
        settle(tooLarge());
      } else chunks.push(chunk);
    });
    ctx.req.on('end', () => settle(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    ctx.req.on('error', () => settle(new SamlRefusal('BINDING', 'The request body could not be read.')));
    ctx.req.on('close', () => settle(new SamlRefusal('BINDING', 'The request body ended early.')));
  });
}

function sessionCookie(value: string, expiresAt: Date, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    `Expires=${expiresAt.toUTCString()}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

function clearedSessionCookie(secure: boolean): string {
  return [
    `${SESSION_COOKIE}=`,
    'Path=/',
    'Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    'Max-Age=0',
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
