import type { ServiceProviderUrls } from '../domain/saml/service-provider';
import { NS, escapeXml } from './xml';

export const EMAIL_NAME_ID_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

/**
 * The channel's SP metadata: entity ID, the ACS URL (HTTP-POST) and the email NameID format. Roster does not
 * sign AuthnRequests and does not take encrypted assertions, so it publishes no key.
 */
export function spMetadataXml(sp: ServiceProviderUrls): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<md:EntityDescriptor xmlns:md="${NS.metadata}" entityID="${escapeXml(sp.entityId)}">\n` +
    `  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="${NS.protocol}">\n` +
    `    <md:NameIDFormat>${EMAIL_NAME_ID_FORMAT}</md:NameIDFormat>\n` +
    `    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escapeXml(sp.acsUrl)}" index="0" isDefault="true"/>\n` +
    `  </md:SPSSODescriptor>\n` +
    `</md:EntityDescriptor>\n`
  );
}
