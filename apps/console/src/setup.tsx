import { useEffect, useMemo, useState } from 'preact/hooks';
import type { SetupCredentialView, SetupStatusView, SetupView, TestConnectionView } from '@scimflow/contracts/views';
import { ApiError, serverNow, SetupApi } from './api';
import { DataTable } from './table';
import { ago, CopyField, Empty, ErrorMessage, Loading, Logo, messageOf, PageFrame, Time, useAction, useLoad, useRefresh } from './ui';

const STORE = 'scimflow.setupToken';

/**
 * The setup link's token: read from the fragment once, then removed from the address bar (so it is not left in
 * history, screenshots or a shared URL); kept for this tab only so that a reload still works.
 */
function takeToken(): string | null {
  const fromHash = location.hash.replace(/^#/, '');
  if (fromHash) {
    try {
      sessionStorage.setItem(STORE, fromHash);
    } catch {
      // storage refused (private mode): the token lives in memory for this page only
    }
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  try {
    return sessionStorage.getItem(STORE);
  } catch {
    return null;
  }
}

/** The customer's IT admin connects Entra: the steps, the credential, the mappings and a live Test Connection. */
export function SetupPage() {
  const token = useMemo(takeToken, []);
  const api = useMemo(() => (token ? new SetupApi(token) : null), [token]);
  const info = useLoad(
    () => (api ? api.get<SetupView>('') : Promise.reject(new ApiError(401, 'This page needs the full setup link: ask your provider for it.'))),
    [api],
  );
  useEffect(() => {
    document.title = info.data ? `Connect ${info.data.productName ?? info.data.tenant.name} to Microsoft Entra ID` : 'Entra setup · scimflow';
  }, [info.data]);
  return (
    <PageFrame
      topClass="setup-top"
      mainClass="setup"
      brand={
        <>
          {info.data?.logoUrl ? (
            <img
              src={info.data.logoUrl}
              alt=""
              class="product-logo"
              referrerpolicy="no-referrer"
              onError={(e) => ((e.currentTarget as HTMLImageElement).hidden = true)}
            />
          ) : (
            <Logo />
          )}{' '}
          {info.data?.productName ?? 'scimflow'} <span class="muted">Entra setup</span>
        </>
      }
    >
      {info.error ? (
        <>
          <h1>Entra setup</h1>
          <ErrorMessage error={info.error} />
        </>
      ) : !info.data || !api ? (
        <Loading what="your setup" />
      ) : (
        <Setup api={api} info={info.data} />
      )}
    </PageFrame>
  );
}

function Setup({ api, info }: { api: SetupApi; info: SetupView }) {
  const product = info.productName ?? info.tenant.name;
  // requests from a little before the page opened count too: the Date header is to the second
  const [opened] = useState(() => new Date(serverNow() - 2000).toISOString());
  // the newest request Test Connection saw: the sync status refreshes when it changes
  const [seen, setSeen] = useState<string | null>(null);
  return (
    <>
      <h1>Connect {product} to Microsoft Entra ID</h1>
      <p class="lead">
        For <strong>{info.tenant.name}</strong> ({info.tenant.profileTitle}). Follow the steps in the Microsoft Entra admin center; this page checks the
        connection live. The link is valid until <Time iso={info.expiresAt} />.
      </p>
      <ol class="steps">
        <li class="step card">
          <h2>Create the enterprise application</h2>
          <p>
            In the <strong>Microsoft Entra admin center</strong>:{' '}
            <em>Identity → Applications → Enterprise applications → New application → Create your own application</em>. Name it <strong>{product}</strong> and
            choose <em>Integrate any other application you don't find in the gallery (Non-gallery)</em>.
          </p>
        </li>
        <li class="step card">
          <h2>Set provisioning to Automatic</h2>
          <p>
            In the new application: <em>Provisioning → Get started</em> (or <em>New configuration</em>) and set <strong>Provisioning Mode</strong> to{' '}
            <strong>Automatic</strong>.
          </p>
        </li>
        <li class="step card">
          <h2>Enter the Tenant URL and a credential</h2>
          <p>
            Under <em>Admin Credentials</em>:
          </p>
          <CopyField label="Tenant URL" value={info.scimBaseUrl} />
          <Credential api={api} info={info} />
          {info.allowedSourceIps.length ? (
            <p class="hint">
              Only requests from these networks are accepted: <span class="mono">{info.allowedSourceIps.join(', ')}</span>.
            </p>
          ) : null}
        </li>
        <li class="step card">
          <h2>Check the attribute mappings</h2>
          <p>
            Under <em>Mappings → Provision Microsoft Entra ID Users</em>, make sure these target attributes are mapped as follows ({info.tenant.profileTitle}{' '}
            profile):
          </p>
          <DataTable
            rows={info.mappings}
            rowKey={(m) => m.target}
            caption="Attribute mappings"
            empty="Entra's default mappings work as they are."
            columns={[
              { header: 'Target attribute', rowHeader: true, cellClass: 'mono', cell: (m) => m.target },
              { header: 'Source (Entra expression)', cellClass: 'mono wrap', cell: (m) => m.source },
              { header: 'Why', cellClass: 'wrap', cell: (m) => m.note },
            ]}
          />
        </li>
        <li class="step card">
          <h2>Test Connection</h2>
          <p>
            Click <strong>Test Connection</strong> in Entra (under Admin Credentials). This indicator turns green when scimflow receives the request and it
            passes authentication and the IP allow-list.
          </p>
          <ConnectionIndicator api={api} since={opened} onSeen={setSeen} />
        </li>
        <li class="step card">
          <h2>Start provisioning and watch it</h2>
          <p>
            <em>Save</em>, assign users and groups under <em>Users and groups</em>, then <em>Start provisioning</em>. Entra's cycle runs every 40 minutes; what
            arrives shows here.
          </p>
          <SyncStatus api={api} seen={seen} />
        </li>
      </ol>
    </>
  );
}

function Credential({ api, info }: { api: SetupApi; info: SetupView }) {
  const [kind, setKind] = useState<'secret-token' | 'oauth-client-credentials'>(
    info.authMethods.includes('secret-token') ? 'secret-token' : 'oauth-client-credentials',
  );
  const [credential, setCredential] = useState<SetupCredentialView | null>(null);
  const action = useAction();
  const reveal = async () => {
    const c = await action.run(() => api.post<SetupCredentialView>('/credentials', { kind: kind === 'secret-token' ? 'secret-token' : 'oauth-client-secret' }));
    if (c) setCredential(c);
  };
  return (
    <div class="credential">
      <fieldset>
        <legend>Authentication Method</legend>
        {info.authMethods.includes('secret-token') ? (
          <label class="radio">
            <input type="radio" name="auth-method" checked={kind === 'secret-token'} onChange={() => (setKind('secret-token'), setCredential(null))} /> Bearer
            authentication (Secret Token)
          </label>
        ) : null}
        {info.authMethods.includes('oauth-client-credentials') ? (
          <label class="radio">
            <input
              type="radio"
              name="auth-method"
              checked={kind === 'oauth-client-credentials'}
              onChange={() => (setKind('oauth-client-credentials'), setCredential(null))}
            />{' '}
            OAuth 2.0 client credentials grant
          </label>
        ) : null}
      </fieldset>
      {credential ? (
        <div class="once" role="region" aria-label="Your new credential">
          <p class="warn">
            <strong>Shown once.</strong> Paste it into Entra now; if you lose it, generate a new one.
          </p>
          {'token' in credential ? (
            <CopyField label="Secret Token" value={credential.token} secret />
          ) : (
            <>
              <CopyField label="Token Endpoint" value={credential.tokenUrl} />
              <CopyField label="Client Identifier" value={credential.clientId} />
              <CopyField label="Client Secret" value={credential.clientSecret} secret />
            </>
          )}
        </div>
      ) : kind === 'oauth-client-credentials' ? (
        <CopyField label="Token Endpoint" value={info.tokenUrl} />
      ) : null}
      <ErrorMessage error={action.error} />
      <button type="button" disabled={action.busy} onClick={reveal} class={credential ? 'secondary' : ''}>
        {credential ? 'Regenerate' : kind === 'secret-token' ? 'Reveal a secret token' : 'Reveal the client credentials'}
      </button>
      <p class="hint">
        {kind === 'secret-token'
          ? 'Each click makes a new token; earlier ones keep working until your provider revokes them.'
          : 'A new client secret replaces the previous one at once.'}
      </p>
    </div>
  );
}

type Indicator = 'waiting' | 'ok' | 'failed';

function ConnectionIndicator({ api, since, onSeen }: { api: SetupApi; since: string; onSeen: (at: string | null) => void }) {
  const [result, setResult] = useState<TestConnectionView['lastRequest']>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const r = await api.get<TestConnectionView>(`/test-connection?since=${encodeURIComponent(since)}`);
        if (!live) return;
        setResult(r.lastRequest);
        onSeen(r.lastRequest?.at ?? null);
        setError(null);
      } catch (e) {
        if (live) setError(messageOf(e));
      }
      if (live) timer = setTimeout(poll, 2000);
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, since, onSeen]);
  const state: Indicator = !result ? 'waiting' : result.ok ? 'ok' : 'failed';
  return (
    <div class={`indicator ${state}`} role="status" aria-live="polite" data-state={state}>
      <span class="indicator-icon" aria-hidden="true">
        {state === 'ok' ? '✓' : state === 'failed' ? '✗' : '…'}
      </span>
      <div>
        {state === 'waiting' ? (
          <>
            <strong>Waiting for Entra's Test Connection…</strong>
            <div class="sub">Checked every 2 seconds since you opened this page.</div>
          </>
        ) : state === 'ok' ? (
          <>
            <strong>Connected.</strong> Entra's request passed authentication and the IP allow-list.
            <div class="sub">
              <Time iso={result!.at} /> from <span class="mono">{result!.sourceIp ?? 'unknown address'}</span> ({result!.method} {result!.path},{' '}
              {result!.status})
            </div>
          </>
        ) : (
          <>
            <strong>
              Not connected:{' '}
              {!result!.passedAllowList
                ? `the request came from ${result!.sourceIp ?? 'an address'}, outside the allowed networks${result!.passedAuth ? '' : ', and the credential was not accepted'}. Ask your provider to allow Entra's addresses.`
                : !result!.passedAuth
                  ? 'the credential was not accepted. Paste the Tenant URL and a fresh credential again.'
                  : `scimflow answered ${result!.status}.`}
            </strong>
            <div class="sub">
              <Time iso={result!.at} /> from <span class="mono">{result!.sourceIp ?? 'unknown address'}</span>
              {result!.detail ? ` · ${result!.detail}` : ''}
            </div>
          </>
        )}
      </div>
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
}

function SyncStatus({ api, seen }: { api: SetupApi; seen: string | null }) {
  const status = useLoad(() => api.get<SetupStatusView>('/status'), [api, seen]);
  useRefresh(status.reload, 10_000);
  if (status.error) return <ErrorMessage error={status.error} />;
  if (!status.data) return <Loading what="the sync status" />;
  const s = status.data;
  return (
    <>
      <dl class="facts">
        <dt>Users</dt>
        <dd>{s.users}</dd>
        <dt>Groups</dt>
        <dd>{s.groups}</dd>
        <dt>Last request</dt>
        <dd>{s.lastRequestAt ? ago(s.lastRequestAt) : <span class="muted">none yet</span>}</dd>
        <dt>Last provisioning action</dt>
        <dd>{s.lastCycleAt ? ago(s.lastCycleAt) : <span class="muted">none yet</span>}</dd>
      </dl>
      <h3>Recent failures</h3>
      {s.recentFailures.length === 0 ? (
        <Empty>No failures.</Empty>
      ) : (
        <ul class="failures">
          {s.recentFailures.map((f, i) => (
            <li key={i} class="failure">
              <div>
                <span class="badge bad">{f.status}</span>{' '}
                <span class="mono">
                  {f.method} {f.path}
                </span>{' '}
                · <Time iso={f.at} />
              </div>
              {f.detail ? <div>{f.detail}</div> : null}
              {f.hint ? (
                <div class="fix">
                  <strong>How to fix:</strong> {f.hint}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
