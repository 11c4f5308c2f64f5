import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, graphql, storeAdminKey, storedAdminKey, whenUnauthenticated } from './api/client';
import { VIEWER, type ViewerData } from './api/operations';
import { ErrorNote, Link, Loading, asApiError } from './components';
import { href, navigate, useLocation } from './router';
import { SingleSignOnPage } from './pages/SingleSignOnPage';
import { GroupsPage } from './pages/GroupsPage';
import { UsersPage } from './pages/UsersPage';
import { ProvisioningLogPage } from './pages/ProvisioningLogPage';

type Viewer = ViewerData['viewer'];

type Auth =
  | { state: 'checking' }
  | { state: 'signedOut'; notice?: ApiError }
  | { state: 'notAdmin'; viewer: Viewer }
  | { state: 'signedIn'; viewer: Viewer };

/** Who may use the console: a channel's admin API key, or the session of one of its ADMIN users. */
function authOf(viewer: Viewer): Auth {
  if (viewer.kind === 'ADMIN_KEY' && viewer.channel) return { state: 'signedIn', viewer };
  if (viewer.kind === 'SESSION' && viewer.user?.role === 'ADMIN') return { state: 'signedIn', viewer };
  return { state: 'notAdmin', viewer };
}

export function App() {
  const [auth, setAuth] = useState<Auth>({ state: 'checking' });

  useEffect(() => {
    let current = true;
    (async () => {
      const key = storedAdminKey();
      try {
        const { viewer } = await graphql(VIEWER, {}, key);
        if (current) setAuth(authOf(viewer));
      } catch (error) {
        if (key) storeAdminKey(null);
        // No key and no session is the ordinary signed-out state, not an error worth showing.
        const apiError = asApiError(error);
        if (current)
          setAuth({ state: 'signedOut', notice: key || apiError.code !== 'UNAUTHENTICATED' ? apiError : undefined });
      }
    })();
    return () => {
      current = false;
    };
  }, []);

  useEffect(() => {
    if (auth.state !== 'signedIn') return;
    // A key revoked, or a session ended, while the console is open: back to sign-in, saying why.
    whenUnauthenticated(() => {
      storeAdminKey(null);
      setAuth({
        state: 'signedOut',
        notice: new ApiError(
          'Your sign-in is no longer valid (the key was revoked or the session ended). Sign in again.',
          'UNAUTHENTICATED',
        ),
      });
    });
    return () => whenUnauthenticated(null);
  }, [auth.state]);

  const signOut = () => {
    storeAdminKey(null);
    if (auth.state !== 'checking' && auth.state !== 'signedOut' && auth.viewer.kind === 'SESSION') {
      // Ends the server-side session too; the server redirects back to the console's sign-in page.
      const form = document.createElement('form');
      form.method = 'post';
      form.action = `/logout?returnTo=${encodeURIComponent(href('/'))}`;
      document.body.appendChild(form);
      form.submit();
      return;
    }
    setAuth({ state: 'signedOut' });
  };

  if (auth.state === 'checking') {
    return (
      <main className="center-page">
        <Loading label="Checking your sign-in…" />
      </main>
    );
  }
  if (auth.state === 'signedOut') {
    return (
      <SignInPage
        notice={auth.notice}
        onSignedIn={(viewer) => {
          setAuth(authOf(viewer));
        }}
      />
    );
  }
  if (auth.state === 'notAdmin') {
    return (
      <main className="center-page">
        <div className="card narrow">
          <h1>Not a channel administrator</h1>
          <p>
            {auth.viewer.kind === 'PLATFORM'
              ? 'The platform token operates on all channels and is not accepted by the console. Sign in with a channel’s admin API key.'
              : `You are signed in as ${auth.viewer.user?.email ?? 'a user'}, who is not an administrator of ${auth.viewer.channel?.name ?? 'this channel'}. Ask an administrator to give you the Admin role.`}
          </p>
          <button type="button" className="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </main>
    );
  }
  return <Shell viewer={auth.viewer} onSignOut={signOut} />;
}

function SignInPage({ notice, onSignedIn }: { notice?: ApiError; onSignedIn(viewer: Viewer): void }) {
  const [key, setKey] = useState('');
  // /admin/?channel=acme fills in the channel, so administrators can bookmark their SSO sign-in.
  const [slug, setSlug] = useState(() => new URLSearchParams(window.location.search).get('channel') ?? '');
  const [error, setError] = useState<ApiError | null>(notice ?? null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = 'Sign in · Roster admin console';
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError(new ApiError('Enter your admin API key.', 'ERROR'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { viewer } = await graphql(VIEWER, {}, trimmed);
      if (viewer.kind !== 'ADMIN_KEY') {
        setError(
          new ApiError(
            'This is not a channel’s admin API key. The console needs the key printed when the channel was created.',
            'FORBIDDEN',
          ),
        );
        return;
      }
      storeAdminKey(trimmed);
      onSignedIn(viewer);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const ssoSignIn = (event: FormEvent) => {
    event.preventDefault();
    const channel = slug.trim();
    if (!channel) return;
    window.location.assign(`/saml/${encodeURIComponent(channel)}/login?returnTo=${encodeURIComponent(href('/'))}`);
  };

  return (
    <main className="center-page">
      <div className="card narrow">
        <p className="brand">Roster</p>
        <h1>Sign in to the admin console</h1>
        <ErrorNote error={error} />
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="admin-api-key">Admin API key</label>
            <p className="hint" id="admin-api-key-hint">
              The key Roster printed when your channel was created. It is kept in this browser tab only.
            </p>
            <input
              id="admin-api-key"
              type="password"
              autoComplete="off"
              spellCheck={false}
              className="mono"
              aria-describedby="admin-api-key-hint"
              value={key}
              onChange={(e) => setKey(e.currentTarget.value)}
              autoFocus
            />
          </div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <hr />
        <form onSubmit={ssoSignIn}>
          <h2 className="h3">Or sign in with single sign-on</h2>
          <p className="hint">For channel administrators, once SAML is set up.</p>
          <div className="field">
            <label htmlFor="channel-slug">Channel</label>
            <input
              id="channel-slug"
              placeholder="your-channel"
              autoComplete="off"
              spellCheck={false}
              value={slug}
              onChange={(e) => setSlug(e.currentTarget.value)}
            />
          </div>
          <button type="submit" className="button" disabled={!slug.trim()}>
            Continue with SSO
          </button>
        </form>
      </div>
    </main>
  );
}

const PAGES = [
  { path: '/sso', label: 'Single sign-on & provisioning' },
  { path: '/groups', label: 'Groups' },
  { path: '/users', label: 'Users' },
  { path: '/log', label: 'Provisioning log' },
] as const;

function Shell({ viewer, onSignOut }: { viewer: Viewer; onSignOut(): void }) {
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const section = '/' + (location.path.split('/')[1] ?? '');

  useEffect(() => {
    if (location.path === '/') navigate(href('/sso'), { replace: true });
  }, [location.path]);

  // Moving between pages puts keyboard and screen-reader focus on the new page's content.
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [section]);

  const who = viewer.kind === 'SESSION' ? viewer.user?.email : 'Admin API key';
  let page;
  const [, , id] = location.path.split('/');
  switch (section) {
    case '/sso':
      page = <SingleSignOnPage />;
      break;
    case '/groups':
      page = <GroupsPage groupId={id ?? null} />;
      break;
    case '/users':
      page = <UsersPage userId={id ?? null} />;
      break;
    case '/log':
      page = <ProvisioningLogPage />;
      break;
    case '/':
      page = null;
      break;
    default:
      page = (
        <section>
          <h1>Page not found</h1>
          <p>
            There is no console page at this address.{' '}
            <Link to={href('/sso')}>Go to Single sign-on &amp; provisioning</Link>.
          </p>
        </section>
      );
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-channel">
          <span className="brand">Roster</span>
          <span className="channel-name" title={`Channel slug: ${viewer.channel?.slug}`}>
            {viewer.channel?.name}
          </span>
        </div>
        <div className="topbar-user">
          <span className="who">{who}</span>
          <button type="button" className="button button-small" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidebar" aria-label="Console">
        <ul>
          {PAGES.map((p) => (
            <li key={p.path}>
              <Link to={href(p.path)} className="nav-link" aria-current={section === p.path ? 'page' : undefined}>
                {p.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" ref={mainRef} tabIndex={-1}>
        {page}
      </main>
    </div>
  );
}
