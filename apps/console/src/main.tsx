import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './styles.css';
import type { ConsoleSessionView } from '@scimflow/contracts/views';
import { admin } from './api';
import { SigningKeysPage } from './keys';
import { PipelinePage } from './pipeline';
import { SetupPage } from './setup';
import { TenantPage } from './tenant';
import { CreateTenantPage, TenantsPage } from './tenants';
import { ErrorMessage, Link, Loading, Logo, messageOf, PageFrame, useAction, useId, useLocation } from './ui';
import { UserTimelinePage } from './timeline';
import { WebhooksPage } from './webhooks';

function App() {
  const { path } = useLocation();
  if (path === '/console/setup') return <SetupPage />;
  return <OperatorApp path={path} />;
}

function OperatorApp({ path }: { path: string }) {
  const [session, setSession] = useState<ConsoleSessionView | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    admin.onUnauthorized = () => setSession(null);
    admin.resume().then(setSession, (e) => setError(messageOf(e)));
  }, []);
  useEffect(() => {
    document.title = session ? `${titleOf(path)} · scimflow console` : 'Sign in · scimflow console';
  }, [path, session]);
  if (error)
    return (
      <main class="narrow">
        <ErrorMessage error={error} />
      </main>
    );
  if (session === undefined)
    return (
      <main class="narrow">
        <Loading what="the console" />
      </main>
    );
  if (session === null) return <SignIn onSignedIn={setSession} />;
  return (
    <PageFrame
      brand={
        <>
          <Logo /> scimflow <span class="muted">console</span>
        </>
      }
      bar={
        <>
          <nav aria-label="Main">
            <ul>
              <NavLink href="/console" current={path === '/console' || path.startsWith('/console/tenants')}>
                Tenants
              </NavLink>
              <NavLink href="/console/webhooks" current={path.startsWith('/console/webhooks')}>
                Webhooks
              </NavLink>
              <NavLink href="/console/pipeline" current={path.startsWith('/console/pipeline')}>
                Pipeline
              </NavLink>
              <NavLink href="/console/keys" current={path.startsWith('/console/keys')}>
                Signing keys
              </NavLink>
            </ul>
          </nav>
          <SignOut onSignedOut={() => setSession(null)} />
        </>
      }
    >
      <Route path={path} />
    </PageFrame>
  );
}

function titleOf(path: string): string {
  if (path.startsWith('/console/webhooks')) return 'Webhooks';
  if (path.startsWith('/console/pipeline')) return 'Pipeline';
  if (path.startsWith('/console/keys')) return 'Signing keys';
  if (path === '/console/tenants/new') return 'New tenant';
  if (path.startsWith('/console/tenants/')) return 'Tenant';
  return 'Tenants';
}

function Route({ path }: { path: string }) {
  if (path === '/console' || path === '/console/tenants') return <TenantsPage />;
  if (path === '/console/tenants/new') return <CreateTenantPage />;
  if (path === '/console/webhooks') return <WebhooksPage />;
  if (path === '/console/pipeline') return <PipelinePage />;
  if (path === '/console/keys') return <SigningKeysPage />;
  let m = /^\/console\/tenants\/([^/]+)\/users\/([^/]+)$/.exec(path);
  if (m) return <UserTimelinePage tenantId={decodeURIComponent(m[1])} userId={decodeURIComponent(m[2])} />;
  m = /^\/console\/tenants\/([^/]+)(?:\/([a-z-]+))?$/.exec(path);
  if (m) return <TenantPage tenantId={decodeURIComponent(m[1])} tab={m[2] ?? 'overview'} />;
  return (
    <>
      <h1>Not found</h1>
      <p>
        There is no console page at <code>{path}</code>. <Link href="/console">Back to the tenants</Link>.
      </p>
    </>
  );
}

function NavLink({ href, current, children }: { href: string; current: boolean; children: string }) {
  return (
    <li>
      <Link href={href} aria-current={current ? 'page' : undefined}>
        {children}
      </Link>
    </li>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (s: ConsoleSessionView) => void }) {
  const [token, setToken] = useState('');
  const action = useAction();
  const id = useId('admin-token');
  const submit = async (e: Event) => {
    e.preventDefault();
    const s = await action.run(() => admin.signIn(token));
    if (s) onSignedIn(s);
  };
  return (
    <main class="narrow signin" id="main">
      <div class="brand big">
        <Logo /> scimflow <span class="muted">console</span>
      </div>
      <h1>Sign in</h1>
      <form onSubmit={submit} class="card">
        <div class="field">
          <label for={id}>Admin token</label>
          <input
            id={id}
            type="password"
            autoComplete="current-password"
            required
            value={token}
            aria-describedby={`${id}-hint`}
            onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)}
          />
          <p class="hint" id={`${id}-hint`}>
            The ingress's <code>ADMIN_TOKEN</code> (<code>npm run up</code> writes it to <code>.local/admin-token</code>). It is exchanged for a session cookie
            of 8 hours; the token itself is not stored in the browser.
          </p>
        </div>
        <ErrorMessage error={action.error} />
        <button type="submit" disabled={action.busy || !token}>
          {action.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

function SignOut({ onSignedOut }: { onSignedOut: () => void }) {
  const action = useAction();
  return (
    <div class="signout">
      <ErrorMessage error={action.error} />
      <button
        type="button"
        class="secondary"
        disabled={action.busy}
        onClick={async () => {
          await action.run(() => admin.signOut());
          onSignedOut();
        }}
      >
        Sign out
      </button>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
