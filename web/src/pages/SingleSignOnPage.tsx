import { useEffect, useState, type FormEvent } from 'react';
import { graphql } from '../api/client';
import {
  CONFIGURE_SAML,
  ISSUE_SCIM_TOKEN,
  REVOKE_SCIM_TOKEN,
  SINGLE_SIGN_ON,
  type Certificate,
  type ConfigureSamlInput,
  type SamlConfig,
  type ScimToken,
  type SingleSignOnData,
} from '../api/operations';
import {
  Badge,
  ConfirmButton,
  CopyButton,
  CopyField,
  ErrorNote,
  Loading,
  Modal,
  Switch,
  Time,
  daysUntil,
  formatDate,
  useMutation,
  useQuery,
} from '../components';

/** Certificates this close to expiry get a warning: time enough to roll over in the IdP. */
const EXPIRY_WARNING_DAYS = 30;

export function SingleSignOnPage() {
  useEffect(() => {
    document.title = 'Single sign-on & provisioning · Roster admin console';
  }, []);
  const page = useQuery(SINGLE_SIGN_ON, {});
  const channel = page.data?.channel;

  return (
    <section aria-labelledby="sso-title">
      <h1 id="sso-title">Single sign-on &amp; provisioning</h1>
      <p className="lead">
        Connect your channel to your identity provider (Okta, Microsoft Entra ID, OneLogin, JumpCloud …): people sign in
        with SAML single sign-on, and the identity provider creates, updates and deactivates them over SCIM.
      </p>
      {page.loading && !channel && <Loading />}
      <ErrorNote error={page.error} title="The page could not be loaded:" />
      {channel && (
        <>
          <SamlSection channel={channel} onSaved={page.reload} />
          <ScimSection channel={channel} onChanged={page.reload} />
        </>
      )}
    </section>
  );
}

type ChannelData = SingleSignOnData['channel'];

function SamlSection({ channel, onSaved }: { channel: ChannelData; onSaved(): Promise<void> }) {
  const config = channel.samlConfig;
  const sp = channel.serviceProvider;
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const formOpen = !config || editing;
  const soonest = config?.certificates
    .map((c) => (c.notAfter ? daysUntil(c.notAfter) : Infinity))
    .reduce((a, b) => Math.min(a, b), Infinity);
  return (
    <section className="card" aria-labelledby="saml-title">
      <div className="card-header">
        <h2 id="saml-title">SAML single sign-on</h2>
        {config ? <Badge tone="ok">Configured</Badge> : <Badge tone="neutral">Not configured</Badge>}
        {soonest !== undefined && soonest < 0 && <Badge tone="bad">Certificate expired</Badge>}
        {soonest !== undefined && soonest >= 0 && soonest <= EXPIRY_WARNING_DAYS && (
          <Badge tone="warn">Certificate expires soon</Badge>
        )}
      </div>
      <p className="hint">
        {config ? (
          <>
            Last changed <Time value={config.updatedAt} />.
          </>
        ) : (
          'Set up SAML first: SCIM provisioning becomes available once it is configured.'
        )}
      </p>

      <h3>1. Enter these values in your identity provider</h3>
      <p className="hint">In Okta: your app’s General tab, “SAML Settings”.</p>
      <div className="copy-grid">
        <CopyField
          label="Single sign-on URL (ACS URL)"
          value={sp.acsUrl}
          hint="Also the Recipient and Destination URL."
        />
        <CopyField label="Audience URI (SP entity ID)" value={sp.entityId} />
        <CopyField label="SP metadata URL" value={sp.metadataUrl} />
        <CopyField label="Sign-in URL" value={sp.loginUrl} hint="Where sign-in starts from Roster (SP-initiated)." />
      </div>
      <p className="hint">
        Name ID format: <strong>EmailAddress</strong>, with the user’s email. Send group names in an attribute named{' '}
        <code>{config?.groupsAttribute ?? 'groups'}</code>.
      </p>

      {config && <CurrentIdp config={config} />}

      {formOpen ? (
        <>
          <h3>{config ? 'Change the identity provider settings' : '2. Tell Roster about your identity provider'}</h3>
          <SamlForm
            config={config}
            onSaved={async () => {
              // Show the saved settings, not the ones from before, when the form closes.
              await onSaved();
              setSaved(true);
              setEditing(false);
            }}
            onCancel={config ? () => setEditing(false) : undefined}
          />
        </>
      ) : (
        <div className="button-row">
          {saved && (
            <p className="note note-ok full-width" role="status">
              SAML configuration saved.
            </p>
          )}
          <button
            type="button"
            className="button"
            autoFocus={saved}
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
          >
            Change SAML settings
          </button>
        </div>
      )}
    </section>
  );
}

function CurrentIdp({ config }: { config: SamlConfig }) {
  return (
    <>
      <h3>2. Your identity provider</h3>
      <dl className="facts">
        <dt>IdP entity ID (Issuer)</dt>
        <dd className="mono">{config.idpEntityId}</dd>
        <dt>IdP single sign-on URL</dt>
        <dd className="mono">{config.ssoUrl}</dd>
        <dt>Groups attribute</dt>
        <dd className="mono">{config.groupsAttribute}</dd>
        <dt>IdP-initiated sign-in</dt>
        <dd>{config.allowIdpInitiated ? 'Allowed' : 'Off'}</dd>
        <dt>Create users at first sign-in (JIT)</dt>
        <dd>{config.jitProvisioning ? 'On' : 'Off'}</dd>
        {config.allowSha1 && (
          <>
            <dt>SHA-1 signatures</dt>
            <dd>
              <Badge tone="warn">Accepted (legacy)</Badge>
            </dd>
          </>
        )}
      </dl>
      <h4>Signing certificates</h4>
      <div className="table-wrap">
        <table className="stack-on-phone">
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">Expires</th>
              <th scope="col">SHA-256 fingerprint</th>
            </tr>
          </thead>
          <tbody>
            {config.certificates.map((certificate) => (
              <tr key={certificate.fingerprintSha256}>
                <td data-label="Subject">{certificate.subject ?? '—'}</td>
                <td data-label="Expires">
                  <CertificateExpiry certificate={certificate} />
                </td>
                <td data-label="SHA-256 fingerprint" className="mono small break">
                  {certificate.fingerprintSha256}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function CertificateExpiry({ certificate }: { certificate: Certificate }) {
  if (!certificate.notAfter) return <span>Unknown</span>;
  const days = daysUntil(certificate.notAfter);
  const date = formatDate(certificate.notAfter);
  if (days < 0) {
    return (
      <span className="expiry">
        {date} <Badge tone="bad">Expired</Badge>
        <span className="hint block">Sign-ins fail. Add the IdP’s new certificate.</span>
      </span>
    );
  }
  if (days <= EXPIRY_WARNING_DAYS) {
    return (
      <span className="expiry">
        {date}{' '}
        <Badge tone="warn">Expires in {days === 0 ? 'less than a day' : `${days} day${days === 1 ? '' : 's'}`}</Badge>
        <span className="hint block">Add the IdP’s next certificate before then (several may be active).</span>
      </span>
    );
  }
  return (
    <span className="expiry">
      {date} <Badge tone="ok">Valid</Badge>
    </span>
  );
}

type SamlSource = 'metadata' | 'fields';

function SamlForm({
  config,
  onSaved,
  onCancel,
}: {
  config: SamlConfig | null;
  onSaved(): Promise<void>;
  onCancel?: () => void;
}) {
  const [source, setSource] = useState<SamlSource>(config ? 'fields' : 'metadata');
  const [metadataXml, setMetadataXml] = useState('');
  const [idpEntityId, setIdpEntityId] = useState(config?.idpEntityId ?? '');
  const [ssoUrl, setSsoUrl] = useState(config?.ssoUrl ?? '');
  const [certificates, setCertificates] = useState(config?.certificates.map((c) => c.pem.trim()).join('\n\n') ?? '');
  const [groupsAttribute, setGroupsAttribute] = useState(config?.groupsAttribute ?? 'groups');
  const [allowIdpInitiated, setAllowIdpInitiated] = useState(config?.allowIdpInitiated ?? false);
  const [jitProvisioning, setJitProvisioning] = useState(config?.jitProvisioning ?? false);
  const [allowSha1, setAllowSha1] = useState(config?.allowSha1 ?? false);
  const save = useMutation();

  const readFile = async (file: File | undefined) => {
    if (file) setMetadataXml(await file.text());
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const flags = {
      allowIdpInitiated,
      jitProvisioning,
      allowSha1,
      groupsAttribute: groupsAttribute.trim() || undefined,
    };
    const input: ConfigureSamlInput =
      source === 'metadata'
        ? { metadataXml, ...flags }
        : { idpEntityId: idpEntityId.trim(), ssoUrl: ssoUrl.trim(), certificates: splitPem(certificates), ...flags };
    const result = await save.run(() => graphql(CONFIGURE_SAML, { input }));
    if (result) await onSaved();
  };

  return (
    <form onSubmit={submit} className="stack" aria-label="SAML configuration">
      <fieldset className="segmented">
        <legend>How do you want to enter the identity provider’s settings?</legend>
        <label>
          <input
            type="radio"
            name="saml-source"
            checked={source === 'metadata'}
            onChange={() => setSource('metadata')}
          />
          Paste IdP metadata XML
        </label>
        <label>
          <input type="radio" name="saml-source" checked={source === 'fields'} onChange={() => setSource('fields')} />
          Enter the values
        </label>
      </fieldset>

      {source === 'metadata' ? (
        <div className="field">
          <label htmlFor="saml-metadata">IdP metadata XML</label>
          <p className="hint" id="saml-metadata-hint">
            In Okta: the app’s Sign On tab, “Identity Provider metadata”. Paste the XML or choose the downloaded file.
          </p>
          <textarea
            id="saml-metadata"
            className="mono"
            rows={8}
            spellCheck={false}
            aria-describedby="saml-metadata-hint"
            value={metadataXml}
            onChange={(e) => setMetadataXml(e.currentTarget.value)}
            placeholder={'<md:EntityDescriptor …>'}
          />
          <label className="file-label" htmlFor="saml-metadata-file">
            Or choose a metadata file
          </label>
          <input
            id="saml-metadata-file"
            type="file"
            accept=".xml,application/xml,text/xml"
            onChange={(e) => void readFile(e.currentTarget.files?.[0])}
          />
        </div>
      ) : (
        <>
          <div className="field">
            <label htmlFor="saml-entity-id">IdP entity ID (Issuer)</label>
            <input
              id="saml-entity-id"
              className="mono"
              spellCheck={false}
              value={idpEntityId}
              onChange={(e) => setIdpEntityId(e.currentTarget.value)}
              placeholder="http://www.okta.com/exk…"
            />
          </div>
          <div className="field">
            <label htmlFor="saml-sso-url">IdP single sign-on URL</label>
            <input
              id="saml-sso-url"
              type="url"
              className="mono"
              spellCheck={false}
              value={ssoUrl}
              onChange={(e) => setSsoUrl(e.currentTarget.value)}
              placeholder="https://your-org.okta.com/app/…/sso/saml"
            />
          </div>
          <div className="field">
            <label htmlFor="saml-certificates">Signing certificates (PEM)</label>
            <p className="hint" id="saml-certificates-hint">
              One or more; during a certificate rollover, paste both the current and the next one.
            </p>
            <textarea
              id="saml-certificates"
              className="mono"
              rows={6}
              spellCheck={false}
              aria-describedby="saml-certificates-hint"
              value={certificates}
              onChange={(e) => setCertificates(e.currentTarget.value)}
              placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'}
            />
          </div>
        </>
      )}

      <div className="field">
        <label htmlFor="saml-groups-attribute">Groups attribute</label>
        <p className="hint" id="saml-groups-attribute-hint">
          The SAML attribute that carries the user’s group names (Okta: a “Group Attribute Statement”).
        </p>
        <input
          id="saml-groups-attribute"
          className="mono"
          spellCheck={false}
          aria-describedby="saml-groups-attribute-hint"
          value={groupsAttribute}
          onChange={(e) => setGroupsAttribute(e.currentTarget.value)}
        />
      </div>

      <Switch
        label="Allow IdP-initiated sign-in"
        description="Accept sign-ins that start in the identity provider’s dashboard (unsolicited responses). Off: sign-in starts at Roster."
        checked={allowIdpInitiated}
        onChange={setAllowIdpInitiated}
      />
      <Switch
        label="Create users at first sign-in (JIT provisioning)"
        description="A person the identity provider lets in, but who does not exist in Roster yet, is created at sign-in. Off: only users provisioned over SCIM can sign in."
        checked={jitProvisioning}
        onChange={setJitProvisioning}
      />
      <details className="advanced">
        <summary>Advanced</summary>
        <Switch
          label="Accept SHA-1 signatures (legacy identity providers only)"
          description="SHA-1 is broken; leave this off unless your identity provider cannot sign with SHA-256."
          checked={allowSha1}
          onChange={setAllowSha1}
        />
      </details>

      <ErrorNote error={save.error} title="Not saved:" />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={save.busy}>
          {save.busy ? 'Saving…' : 'Save SAML configuration'}
        </button>
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** Splits pasted text holding one or more PEM certificates; text without PEM markers is sent as one. */
function splitPem(text: string): string[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (blocks) return blocks;
  return text.trim() ? [text.trim()] : [];
}

function ScimSection({ channel, onChanged }: { channel: ChannelData; onChanged(): Promise<void> }) {
  const samlReady = channel.samlConfig !== null;
  const [issued, setIssued] = useState<{ token: string; scimToken: ScimToken } | null>(null);
  const [modalOpen, setModalOpen] = useState(false);
  const issue = useMutation();
  const [description, setDescription] = useState('');
  const activeTokens = channel.scimTokens.filter((t) => !t.revokedAt);

  const configure = async () => {
    setIssued(null);
    setModalOpen(true);
    const result = await issue.run(() =>
      graphql(ISSUE_SCIM_TOKEN, { input: { description: description.trim() || null } }),
    );
    if (result) {
      setIssued(result.issueScimToken);
      setDescription('');
    }
  };

  const closeModal = () => {
    setModalOpen(false);
    setIssued(null);
    issue.clearError();
    void onChanged();
  };

  return (
    <section className="card" aria-labelledby="scim-title">
      <div className="card-header">
        <h2 id="scim-title">SCIM provisioning</h2>
        {!samlReady ? (
          <Badge tone="neutral">Needs SAML</Badge>
        ) : activeTokens.length > 0 ? (
          <Badge tone="ok">
            {activeTokens.length} active token{activeTokens.length === 1 ? '' : 's'}
          </Badge>
        ) : (
          <Badge tone="neutral">Not configured</Badge>
        )}
      </div>
      <p className="hint">
        With SCIM, your identity provider creates users, pushes profile changes and groups, and deactivates and
        reactivates users in Roster.
      </p>

      <CopyField
        label="SCIM base URL"
        value={channel.scimBaseUrl}
        hint="In Okta: the Provisioning tab, “Configure API Integration” (SCIM connector base URL)."
      />
      <p className="hint">
        Unique identifier field for users: <code>userName</code>. Authentication: HTTP header (Bearer token).
      </p>

      <div className="configure-row">
        <div className="field inline-field">
          <label htmlFor="scim-token-description">Token description (optional)</label>
          <input
            id="scim-token-description"
            value={description}
            maxLength={200}
            disabled={!samlReady}
            placeholder="e.g. Okta production"
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
        </div>
        <button
          type="button"
          className="button button-primary"
          disabled={!samlReady || issue.busy}
          aria-describedby={!samlReady ? 'scim-needs-saml' : undefined}
          onClick={configure}
        >
          Configure
        </button>
      </div>
      {!samlReady && (
        <p className="note note-info" id="scim-needs-saml">
          Configure SAML single sign-on above first. SCIM tokens can be issued once SAML is configured, so that the
          people your identity provider provisions can also sign in.
        </p>
      )}

      <Modal
        title="SCIM API token"
        open={modalOpen}
        onClose={closeModal}
        footer={
          <button type="button" className="button button-primary" onClick={closeModal}>
            {issued ? 'I have copied the token' : 'Close'}
          </button>
        }
      >
        {issue.busy && <Loading label="Issuing a token…" />}
        <ErrorNote error={issue.error} title="No token was issued:" />
        {issued && (
          <>
            <p>
              Paste this token into your identity provider (Okta: “API Token”, then “Test API Credentials” and Save).
            </p>
            <div className="copy-field">
              <label htmlFor="issued-scim-token">API token</label>
              <div className="copy-row">
                {/* A textarea, so that the whole token is visible without scrolling sideways. */}
                <textarea
                  id="issued-scim-token"
                  className="mono token-value"
                  readOnly
                  rows={2}
                  spellCheck={false}
                  value={issued.token}
                  onFocus={(e) => e.currentTarget.select()}
                />
                <CopyButton value={issued.token} label="Copy API token" />
              </div>
            </div>
            <p className="note note-warn" role="note">
              <strong>This token is shown only once.</strong> Roster keeps only a hash of it. If you lose it, issue a
              new token and revoke this one (prefix <code>{issued.scimToken.prefix}</code>).
            </p>
          </>
        )}
      </Modal>

      <h3>Tokens</h3>
      {channel.scimTokens.length === 0 ? (
        <p className="empty">No SCIM tokens yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="stack-on-phone">
            <thead>
              <tr>
                <th scope="col">Token</th>
                <th scope="col">Description</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {channel.scimTokens.map((token) => (
                <tr key={token.id} className={token.revokedAt ? 'muted' : undefined}>
                  <td className="mono" data-label="Token">
                    {token.prefix}…
                  </td>
                  <td data-label="Description">{token.description ?? '—'}</td>
                  <td data-label="Created">
                    <Time value={token.createdAt} />
                  </td>
                  <td data-label="Last used">{token.lastUsedAt ? <Time value={token.lastUsedAt} /> : 'Never'}</td>
                  <td data-label="Status">
                    {token.revokedAt ? (
                      <>
                        <Badge tone="neutral">Revoked</Badge> <Time value={token.revokedAt} dateOnly />
                      </>
                    ) : (
                      <Badge tone="ok">Active</Badge>
                    )}
                  </td>
                  <td className="actions">
                    {!token.revokedAt && (
                      <ConfirmButton
                        label="Revoke"
                        accessibleLabel={`Revoke token ${token.prefix}`}
                        title="Revoke this SCIM token?"
                        confirmLabel="Revoke token"
                        message={
                          <p>
                            The token <code>{token.prefix}…</code>
                            {token.description ? ` (${token.description})` : ''} stops working at once. Your identity
                            provider’s provisioning fails until it has another active token.
                          </p>
                        }
                        onConfirm={async () => {
                          await graphql(REVOKE_SCIM_TOKEN, { id: token.id });
                          await onChanged();
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
