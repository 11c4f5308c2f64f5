import crypto from 'node:crypto';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/audit';
import type { DomainContext } from '../context';
import { badInput } from '../errors';
import { pgArray } from '../../db/sql';

export interface SamlConfigRecord {
  channelId: string;
  idpEntityId: string;
  ssoUrl: string;
  /** PEM, one per trusted IdP signing certificate (several during a rollover). */
  certificates: string[];
  groupsAttribute: string;
  allowIdpInitiated: boolean;
  jitProvisioning: boolean;
  allowSha1: boolean;
  updatedAt: Date;
}

export interface SamlConfigInput {
  idpEntityId: string;
  ssoUrl: string;
  certificates: string[];
  groupsAttribute?: string | null;
  allowIdpInitiated?: boolean | null;
  jitProvisioning?: boolean | null;
  allowSha1?: boolean | null;
}

export interface CertificateInfo {
  pem: string;
  subject: string | null;
  issuer: string | null;
  notBefore: Date | null;
  notAfter: Date | null;
  fingerprintSha256: string;
}

export async function getSamlConfig(em: SqlEntityManager, channelId: string): Promise<SamlConfigRecord | null> {
  const [row] = await em.execute('select * from saml_config where channel_id = ?', [channelId]);
  return row ? toSamlConfig(row) : null;
}

/** Replaces the channel's whole SAML configuration; flags that are not given take their defaults. */
export async function configureSaml(ctx: DomainContext, input: SamlConfigInput): Promise<SamlConfigRecord> {
  const idpEntityId = input.idpEntityId?.trim();
  if (!idpEntityId) throw badInput('idpEntityId is required: the IdP entity ID (Issuer) from your IdP');
  if (idpEntityId.length > 1024) throw badInput('idpEntityId is longer than 1024 characters');
  const ssoUrl = validSsoUrl(input.ssoUrl);
  if (!Array.isArray(input.certificates) || input.certificates.length === 0) {
    throw badInput('certificates: give at least one IdP signing certificate (PEM)');
  }
  if (input.certificates.length > 10) throw badInput('certificates: at most 10 are accepted');
  const certificates = input.certificates.map((pem, i) => normalizeCertificate(pem, i));
  const groupsAttribute = (input.groupsAttribute ?? 'groups').trim();
  if (!groupsAttribute || groupsAttribute.length > 512) {
    throw badInput('groupsAttribute must be a non-empty attribute name of at most 512 characters');
  }

  const [row] = await ctx.em.execute(
    `insert into saml_config (channel_id, idp_entity_id, sso_url, certificates, groups_attribute,
       allow_idp_initiated, jit_provisioning, allow_sha1, updated_at)
     values (?, ?, ?, ?::text[], ?, ?, ?, ?, now())
     on conflict (channel_id) do update set idp_entity_id = excluded.idp_entity_id, sso_url = excluded.sso_url,
       certificates = excluded.certificates, groups_attribute = excluded.groups_attribute,
       allow_idp_initiated = excluded.allow_idp_initiated, jit_provisioning = excluded.jit_provisioning,
       allow_sha1 = excluded.allow_sha1, updated_at = now()
     returning *`,
    [
      ctx.channelId,
      idpEntityId,
      ssoUrl,
      pgArray(certificates),
      groupsAttribute,
      input.allowIdpInitiated ?? false,
      input.jitProvisioning ?? false,
      input.allowSha1 ?? false,
    ],
  );
  const config = toSamlConfig(row);
  await recordAudit(ctx.em, {
    channelId: ctx.channelId,
    actor: ctx.actor,
    action: 'saml.configured',
    targetType: 'samlConfig',
    targetId: ctx.channelId,
    summary: {
      idpEntityId,
      ssoUrl,
      certificates: certificates.map((pem) => describeCertificate(pem).fingerprintSha256),
      groupsAttribute,
      allowIdpInitiated: config.allowIdpInitiated,
      jitProvisioning: config.jitProvisioning,
      allowSha1: config.allowSha1,
    },
  });
  return config;
}

function validSsoUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(String(raw ?? '').trim());
  } catch {
    throw badInput('ssoUrl is not a valid URL: give the IdP single sign-on URL (HTTP-Redirect binding)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput('ssoUrl must be an http(s) URL');
  return url.toString();
}

/** Accepts a PEM certificate, a PEM public key, or bare base64 DER (as metadata carries it); returns PEM. */
export function normalizeCertificate(input: string, index = 0): string {
  const text = String(input ?? '').trim();
  const where = `certificates[${index}]`;
  if (!text) throw badInput(`${where} is empty`);
  if (text.length > 20_000) throw badInput(`${where} is too large to be a certificate`);
  try {
    if (text.includes('-----BEGIN CERTIFICATE-----')) return new crypto.X509Certificate(text).toString().trim();
    if (text.includes('-----BEGIN PUBLIC KEY-----')) {
      return crypto.createPublicKey(text).export({ type: 'spki', format: 'pem' }).toString().trim();
    }
    const der = Buffer.from(text.replace(/\s+/g, ''), 'base64');
    return new crypto.X509Certificate(der).toString().trim();
  } catch {
    throw badInput(`${where} is not a valid X.509 certificate or public key (PEM expected)`);
  }
}

export function describeCertificate(pem: string): CertificateInfo {
  if (pem.includes('BEGIN PUBLIC KEY')) {
    const der = crypto.createPublicKey(pem).export({ type: 'spki', format: 'der' });
    return {
      pem,
      subject: null,
      issuer: null,
      notBefore: null,
      notAfter: null,
      fingerprintSha256: crypto.createHash('sha256').update(der).digest('hex'),
    };
  }
  const cert = new crypto.X509Certificate(pem);
  return {
    pem,
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    fingerprintSha256: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
  };
}

function toSamlConfig(row: Record<string, any>): SamlConfigRecord {
  return {
    channelId: row.channel_id,
    idpEntityId: row.idp_entity_id,
    ssoUrl: row.sso_url,
    certificates: row.certificates,
    groupsAttribute: row.groups_attribute,
    allowIdpInitiated: row.allow_idp_initiated,
    jitProvisioning: row.jit_provisioning,
    allowSha1: row.allow_sha1,
    updatedAt: new Date(row.updated_at),
  };
}
