/** The SP's per-channel identity: what the administrator pastes into the IdP, and what responses must name. */
export interface ServiceProviderUrls {
  entityId: string;
  acsUrl: string;
  metadataUrl: string;
  loginUrl: string;
}

export function serviceProviderUrls(publicUrl: string, slug: string): ServiceProviderUrls {
  const base = `${publicUrl}/saml/${encodeURIComponent(slug)}`;
  return {
    entityId: `${base}/metadata`,
    acsUrl: `${base}/acs`,
    metadataUrl: `${base}/metadata`,
    loginUrl: `${base}/login`,
  };
}

export function scimBaseUrl(publicUrl: string): string {
  return `${publicUrl}/scim/v2`;
}
