import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { DomainContext } from '../context';
import { DomainError } from '../errors';
import { getSamlConfig } from '../saml/saml-config';
import { authenticateCredential, issueCredential, type AuthenticatedCredential } from './credentials';

/** Issues a SCIM token. SAML comes first: provisioning users who cannot sign in helps nobody. */
export async function issueScimToken(ctx: DomainContext, description: string | null) {
  if (!(await getSamlConfig(ctx.em, ctx.channelId))) {
    throw new DomainError(
      'SAML_NOT_CONFIGURED',
      'Configure SAML single sign-on for this channel before issuing a SCIM token',
    );
  }
  return issueCredential(ctx, 'scim_token', description);
}

export interface ScimCaller extends AuthenticatedCredential {
  tokenId: string;
}

export async function authenticateScimToken(em: SqlEntityManager, bearer: string): Promise<ScimCaller | null> {
  const credential = await authenticateCredential(em, 'scim_token', bearer);
  return credential && { ...credential, tokenId: credential.id };
}
