import { useState } from 'preact/hooks';
import type {
  ActivityView,
  AuditView,
  ClientSecretView,
  ConsoleOverview,
  CreatedSecretTokenView,
  GroupAdminDetail,
  GroupAdminView,
  IssuedSetupLink,
  OAuthClientView,
  RequestLogView,
  SecretTokenView,
  SetupLinkListView,
  SetupLinkView,
  TenantView,
  UserAdminView,
} from '@scimflow/contracts/views';
import { DownstreamTab } from './downstream';
import { TrustedIssuers } from './issuers';
import { admin, query } from './api';
import { RateLimitFields, rateLimitOf, SourceIpsField } from './access-fields';
import { ActivityChart } from './chart';
import { CredentialTable, NewCredentialForm } from './credentials';
import { FailureMeter } from './tenants';
import { filterUsers } from './user-filter';
import { DataTable, DisclosureButton, SrOnly } from './table';
import {
  Ago,
  ConfirmButton,
  CopyField,
  Empty,
  ErrorMessage,
  Field,
  InlineSelect,
  Link,
  listOf,
  messageOf,
  navigate,
  OnceBox,
  Show,
  StatusBadge,
  Time,
  TypedConfirm,
  useAction,
  useId,
  useLoad,
} from './ui';

const TABS: [string, string][] = [
  ['overview', 'Overview'],
  ['credentials', 'Credentials'],
  ['setup-links', 'Setup links'],
  ['activity', 'Activity'],
  ['requests', 'Request log'],
  ['audit', 'Audit log'],
  ['users', 'Users and groups'],
  ['downstream', 'Downstream'],
];

const base = (id: string) => `/admin/tenants/${encodeURIComponent(id)}`;
const userPath = (tenantId: string, userId: string) => `/console/tenants/${encodeURIComponent(tenantId)}/users/${encodeURIComponent(userId)}`;

export function TenantPage({ tenantId, tab }: { tenantId: string; tab: string }) {
  const tenant = useLoad(() => admin.get<TenantView>(base(tenantId)), [tenantId]);
  return (
    <Show loaded={tenant} what="the tenant">
      {(t) => (
        <>
          <p class="crumbs">
            <Link href="/console">Tenants</Link> <span aria-hidden="true">›</span>
          </p>
          <div class="page-head">
            <h1>
              {t.name} {t.status === 'disabled' ? <span class="badge warn">disabled</span> : null}{' '}
              {t.intakePausedAt ? <span class="badge warn">intake paused</span> : null}{' '}
              {t.deliveryPausedAt ? <span class="badge warn">delivery paused</span> : null}
            </h1>
            <span class="muted">{t.profile} profile</span>
          </div>
          <nav class="tabs" aria-label="Tenant sections">
            <ul>
              {TABS.map(([key, label]) => (
                <li key={key}>
                  <Link
                    href={`/console/tenants/${encodeURIComponent(tenantId)}${key === 'overview' ? '' : `/${key}`}`}
                    aria-current={tab === key ? 'page' : undefined}
                  >
                    {label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <section class="tab-panel" aria-label={TABS.find(([k]) => k === tab)?.[1] ?? tab}>
            {tab === 'overview' ? <OverviewTab t={t} reload={tenant.reload} /> : null}
            {tab === 'credentials' ? <CredentialsTab t={t} /> : null}
            {tab === 'setup-links' ? <SetupLinksTab t={t} /> : null}
            {tab === 'activity' ? <ActivityTab t={t} /> : null}
            {tab === 'requests' ? <RequestsTab t={t} /> : null}
            {tab === 'audit' ? <AuditTab t={t} /> : null}
            {tab === 'users' ? <UsersTab t={t} /> : null}
            {tab === 'downstream' ? <DownstreamTab t={t} reload={tenant.reload} /> : null}
            {TABS.some(([k]) => k === tab) ? null : <ErrorMessage error={`No section "${tab}".`} />}
          </section>
        </>
      )}
    </Show>
  );
}

function OverviewTab({ t, reload }: { t: TenantView; reload: () => void }) {
  const overview = useLoad(() => admin.get<ConsoleOverview>('/admin/overview'), [t.tenantId]);
  const action = useAction();
  const health = overview.data?.tenants.find((x) => x.id === t.tenantId);
  const setStatus = async (to: 'disable' | 'enable') => {
    if (await action.run(() => admin.post<TenantView>(`${base(t.tenantId)}/${to}`))) reload();
  };
  const remove = async () => {
    if (await action.succeeded(() => admin.del(base(t.tenantId)))) navigate('/console');
  };
  return (
    <>
      <div class="grid2">
        <section class="card">
          <h2>Connection</h2>
          <dl class="facts">
            <dt>Status</dt>
            <dd>{t.status === 'active' ? <span class="badge ok">✓ active</span> : <span class="badge warn">disabled: SCIM answers 403</span>}</dd>
            <dt>Tenant URL</dt>
            <dd class="mono">{t.scimBaseUrl}</dd>
            <dt>Token Endpoint</dt>
            <dd class="mono">{t.tokenUrl}</dd>
            <dt>Allowed source IPs</dt>
            <dd>
              {t.allowedSourceIps.length ? (
                t.allowedSourceIps.map((c) => (
                  <div class="mono" key={c}>
                    {c}
                  </div>
                ))
              ) : (
                <span class="muted">every address</span>
              )}
            </dd>
            <dt>Rate limit</dt>
            <dd>{t.rateLimit ? `${t.rateLimit.perSecond}/s, burst ${t.rateLimit.burst}` : <span class="muted">the configured default</span>}</dd>
            <dt>Created</dt>
            <dd>
              <Time iso={t.createdAt} />
            </dd>
          </dl>
          <AccessSettings t={t} reload={reload} />
        </section>
        <section class="card">
          <h2>Health (24 h)</h2>
          <Show loaded={overview} what="health">
            {(o) =>
              health ? (
                <dl class="facts">
                  <dt>Last request</dt>
                  <dd>
                    {health.lastRequestAt ? (
                      <>
                        <Time iso={health.lastRequestAt} /> from <span class="mono">{health.lastRequestIp ?? 'unknown'}</span>
                      </>
                    ) : (
                      <span class="muted">never</span>
                    )}
                  </dd>
                  <dt>Requests</dt>
                  <dd>{health.requests24h}</dd>
                  <dt>Failures</dt>
                  <dd>
                    <FailureMeter ratio={health.failureRatio24h} failures={health.failures24h} line={o.failureQuarantineRatio} />
                  </dd>
                  <dt>Users · groups</dt>
                  <dd>
                    {health.users} · {health.groups}
                  </dd>
                  <dt>Parked commands</dt>
                  <dd>{health.parkedCommands}</dd>
                  <dt>Webhook backlog</dt>
                  <dd>{health.webhookBacklog}</dd>
                </dl>
              ) : (
                <Empty>No health data for this tenant.</Empty>
              )
            }
          </Show>
        </section>
      </div>
      <section class="card danger-zone">
        <h2>Lifecycle</h2>
        <ErrorMessage error={action.error} />
        <div class="buttons">
          {t.status === 'active' ? (
            <TypedConfirm action="Disable tenant" name={t.name} busy={action.busy} onConfirm={() => setStatus('disable')} />
          ) : (
            <button type="button" disabled={action.busy} onClick={() => setStatus('enable')}>
              Enable tenant
            </button>
          )}
          <TypedConfirm action="Delete tenant" name={t.name} busy={action.busy} danger onConfirm={remove} />
        </div>
        <p class="hint">
          Disabling makes the SCIM API and token endpoint answer 403 until enabled. Deleting removes the credentials, users and groups and cannot be undone.
        </p>
      </section>
    </>
  );
}

/** The allow-list and rate limit, changed in place (the SCIM API applies them at once). */
function AccessSettings({ t, reload }: { t: TenantView; reload: () => void }) {
  const [ips, setIps] = useState(t.allowedSourceIps.join('\n'));
  const [perSecond, setPerSecond] = useState(t.rateLimit ? String(t.rateLimit.perSecond) : '');
  const [burst, setBurst] = useState(t.rateLimit ? String(t.rateLimit.burst) : '');
  const action = useAction();
  const save = async (e: Event) => {
    e.preventDefault();
    const done = await action.succeeded(async () => {
      await admin.put(`${base(t.tenantId)}/allowed-source-ips`, { allowedSourceIps: listOf(ips) });
      const rateLimit = rateLimitOf(perSecond, burst);
      if (rateLimit) await admin.put(`${base(t.tenantId)}/rate-limit`, rateLimit);
      else if (t.rateLimit) await admin.del(`${base(t.tenantId)}/rate-limit`);
    });
    if (done) reload();
  };
  return (
    <details>
      <summary>Change the allow-list or rate limit</summary>
      <form class="form" onSubmit={save}>
        <SourceIpsField
          label="Allowed source IPs"
          hint="CIDR blocks, one per line or comma-separated; empty allows every address."
          value={ips}
          onInput={setIps}
        />
        <RateLimitFields perSecond={perSecond} burst={burst} onPerSecond={setPerSecond} onBurst={setBurst} placeholder="default" />
        <ErrorMessage error={action.error} />
        <button type="submit" disabled={action.busy}>
          Save
        </button>
      </form>
    </details>
  );
}

function CredentialsTab({ t }: { t: TenantView }) {
  const tokens = useLoad(() => admin.get<SecretTokenView[]>(`${base(t.tenantId)}/tokens`), [t.tenantId]);
  const client = useLoad(() => admin.get<OAuthClientView>(`${base(t.tenantId)}/client`), [t.tenantId]);
  const [newToken, setNewToken] = useState<CreatedSecretTokenView | null>(null);
  const [newSecret, setNewSecret] = useState<ClientSecretView | null>(null);
  const action = useAction();

  const createToken = async (body: { description?: string }) => {
    const created = await action.run(() => admin.post<CreatedSecretTokenView>(`${base(t.tenantId)}/tokens`, body));
    if (!created) return false;
    setNewToken(created);
    tokens.reload();
    return true;
  };
  const revoke = async (id: string) => {
    if (await action.succeeded(() => admin.del(`${base(t.tenantId)}/tokens/${encodeURIComponent(id)}`))) tokens.reload();
  };
  const rotate = async () => {
    const s = await action.run(() => admin.post<ClientSecretView>(`${base(t.tenantId)}/client/secret`));
    if (s) {
      setNewSecret(s);
      client.reload();
    }
  };

  return (
    <>
      <ErrorMessage error={action.error} />
      {newToken ? (
        <OnceBox title="New secret token" onDone={() => setNewToken(null)}>
          <CopyField label="Secret Token" value={newToken.token} secret />
          <p class="hint">Older tokens keep working until revoked: paste this one into Entra, test, then revoke the old one.</p>
        </OnceBox>
      ) : null}
      {newSecret ? (
        <OnceBox title="New client secret" onDone={() => setNewSecret(null)}>
          <CopyField label="Client Identifier" value={newSecret.clientId} />
          <CopyField label="Client Secret" value={newSecret.clientSecret} secret />
          <CopyField label="Token Endpoint" value={newSecret.tokenUrl} />
        </OnceBox>
      ) : null}
      <section class="card">
        <h2>Secret tokens</h2>
        <Show loaded={tokens} what="tokens">
          {(list) => (
            <CredentialTable
              rows={list}
              header="Token"
              noun="token"
              empty="No secret tokens."
              columns={[
                { header: 'Created', cell: (k) => <Time iso={k.createdAt} /> },
                { header: 'Last used', cell: (k) => <Ago iso={k.lastUsedAt} /> },
              ]}
              confirm="Revoke: Entra stops if it uses it"
              busy={action.busy}
              onRevoke={revoke}
            />
          )}
        </Show>
        <NewCredentialForm idPrefix="token-description" button="New secret token" busy={action.busy} onCreate={createToken} />
      </section>
      <section class="card">
        <h2>OAuth client credentials</h2>
        <Show loaded={client} what="the OAuth client">
          {(c) => (
            <>
              <dl class="facts">
                <dt>Client Identifier</dt>
                <dd class="mono">{c.clientId}</dd>
                <dt>Token Endpoint</dt>
                <dd class="mono">{c.tokenUrl}</dd>
                <dt>Client secret</dt>
                <dd>
                  {c.hasSecret ? (
                    <>
                      set <Time iso={c.secretCreatedAt} />
                    </>
                  ) : (
                    <span class="muted">none (federated assertions only)</span>
                  )}
                </dd>
                <dt>Last used</dt>
                <dd>
                  <Ago iso={c.lastUsedAt} />
                </dd>
              </dl>
              <ConfirmButton label="Rotate client secret" class="" confirm="Rotate now: the old secret stops working" busy={action.busy} onConfirm={rotate} />
              <p class="hint">The old secret stops working at once.</p>
            </>
          )}
        </Show>
      </section>
      <TrustedIssuers tenantId={t.tenantId} />
    </>
  );
}

const EXPIRIES: [number, string][] = [
  [3600, '1 hour'],
  [86400, '1 day'],
  [604800, '7 days'],
  [2592000, '30 days'],
];

const expired = (l: SetupLinkView) => new Date(l.expiresAt).getTime() < Date.now();

function SetupLinksTab({ t }: { t: TenantView }) {
  const links = useLoad(() => admin.get<SetupLinkListView>(`${base(t.tenantId)}/setup-links`), [t.tenantId]);
  const [expires, setExpires] = useState(604800);
  const [productName, setProductName] = useState('');
  const [logoUrl, setLogoUrl] = useState('');
  const [created, setCreated] = useState<IssuedSetupLink | null>(null);
  const action = useAction();
  const ids = { exp: useId('expires'), name: useId('product'), logo: useId('logo') };
  const create = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { expiresInSeconds: expires };
    if (productName.trim()) body.productName = productName.trim();
    if (logoUrl.trim()) body.logoUrl = logoUrl.trim();
    const c = await action.run(() => admin.post<IssuedSetupLink>(`${base(t.tenantId)}/setup-links`, body));
    if (c) {
      setCreated(c);
      links.reload();
    }
  };
  const revoke = async (id: string) => {
    if (await action.succeeded(() => admin.del(`${base(t.tenantId)}/setup-links/${encodeURIComponent(id)}`))) links.reload();
  };
  return (
    <>
      <p>
        A setup link lets the customer's IT admin connect Entra on their own: the steps, this tenant's URL, a credential they can reveal once, the attribute
        mappings and a live Test Connection check. It sees only this tenant.
      </p>
      {created ? (
        <OnceBox title="Setup link" onDone={() => setCreated(null)}>
          <CopyField
            label="Setup link URL"
            value={created.url}
            hint={`Valid until ${new Date(created.expiresAt).toLocaleString()}. Send it to the customer's IT admin.`}
          />
        </OnceBox>
      ) : null}
      <section class="card">
        <h2>New setup link</h2>
        <form class="form" onSubmit={create}>
          <div class="row">
            <Field id={ids.exp} label="Expires after">
              <select id={ids.exp} value={String(expires)} onChange={(e) => setExpires(Number((e.currentTarget as HTMLSelectElement).value))}>
                {EXPIRIES.map(([s, l]) => (
                  <option key={s} value={String(s)}>
                    {l}
                  </option>
                ))}
              </select>
            </Field>
            <Field id={ids.name} label="Product name (optional)">
              <input id={ids.name} maxLength={80} value={productName} onInput={(e) => setProductName((e.currentTarget as HTMLInputElement).value)} />
            </Field>
          </div>
          <Field id={ids.logo} label="Logo URL (optional, https)">
            <input
              id={ids.logo}
              type="url"
              maxLength={500}
              placeholder="https://product.example/logo.svg"
              value={logoUrl}
              onInput={(e) => setLogoUrl((e.currentTarget as HTMLInputElement).value)}
            />
          </Field>
          <ErrorMessage error={action.error} />
          <button type="submit" disabled={action.busy}>
            Create setup link
          </button>
        </form>
      </section>
      <section class="card">
        <h2>Links</h2>
        <Show loaded={links} what="setup links">
          {({ links: list }) => (
            <DataTable
              rows={list}
              rowKey={(l) => l.id}
              empty="No setup links yet."
              columns={[
                { header: 'Created', cell: (l) => <Time iso={l.createdAt} /> },
                { header: 'Product name', cell: (l) => l.productName ?? <span class="muted">—</span> },
                { header: 'Expires', cell: (l) => <Time iso={l.expiresAt} /> },
                { header: 'Last used', cell: (l) => <Ago iso={l.lastUsedAt} /> },
                {
                  header: 'State',
                  cell: (l) =>
                    l.revokedAt ? (
                      <span class="badge bad">revoked</span>
                    ) : expired(l) ? (
                      <span class="badge warn">expired</span>
                    ) : (
                      <span class="badge ok">valid</span>
                    ),
                },
                {
                  header: <SrOnly>Actions</SrOnly>,
                  cell: (l) =>
                    l.revokedAt || expired(l) ? null : (
                      <ConfirmButton
                        label="Revoke"
                        srLabel={`setup link created ${new Date(l.createdAt).toLocaleString()}`}
                        confirm="Revoke link"
                        busy={action.busy}
                        onConfirm={() => revoke(l.id)}
                      />
                    ),
                },
              ]}
            />
          )}
        </Show>
      </section>
    </>
  );
}

function ActivityTab({ t }: { t: TenantView }) {
  const [hours, setHours] = useState(24);
  const activity = useLoad(() => admin.get<ActivityView>(`${base(t.tenantId)}/activity${query({ hours })}`), [t.tenantId, hours]);
  return (
    <section class="card">
      <div class="page-head">
        <h2>Requests per hour</h2>
        <InlineSelect idPrefix="hours" label="Period" value={String(hours)} onChange={(v) => setHours(Number(v))}>
          <option value="24">last 24 hours</option>
          <option value="72">last 3 days</option>
          <option value="168">last 7 days</option>
        </InlineSelect>
      </div>
      <Show loaded={activity} what="activity">
        {(a) => <ActivityChart buckets={a.buckets} />}
      </Show>
    </section>
  );
}

const RANGES: [string, string][] = [
  ['', 'any time'],
  ['1', 'last hour'],
  ['24', 'last 24 hours'],
  ['168', 'last 7 days'],
  ['custom', 'from … to …'],
];

/** A datetime-local field's value (local time) as ISO 8601, or undefined when empty or invalid. */
const isoOf = (local: string) => {
  const d = new Date(local);
  return local && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined;
};

function rangeQuery(range: string, from: string, to: string): { from?: string; to?: string } {
  if (range === 'custom') return { from: isoOf(from), to: isoOf(to) };
  return range ? { from: new Date(Date.now() - Number(range) * 3600_000).toISOString() } : {};
}

function RequestsTab({ t }: { t: TenantView }) {
  const [range, setRange] = useState('24');
  const [status, setStatus] = useState('');
  const [method, setMethod] = useState('');
  const [q, setQ] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [applied, setApplied] = useState({ range: '24', from: '', to: '', status: '', method: '', q: '' });
  const [pages, setPages] = useState<string[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const before = pages[pages.length - 1];
  const log = useLoad(
    () =>
      admin.get<RequestLogView[]>(
        `${base(t.tenantId)}/requests${query({
          ...rangeQuery(applied.range, applied.from, applied.to),
          status: applied.status,
          method: applied.method,
          q: applied.q,
          limit: 50,
          before,
        })}`,
      ),
    [t.tenantId, applied, before],
  );
  const ids = { range: useId('range'), from: useId('from'), to: useId('to'), status: useId('status'), method: useId('method'), q: useId('q') };
  return (
    <>
      <h2 class="sr-only">Request log</h2>
      <form
        class="filters card"
        role="search"
        aria-label="Filter the request log"
        onSubmit={(e) => {
          e.preventDefault();
          setPages([]);
          setApplied({ range, from, to, status, method, q });
        }}
      >
        <Field id={ids.range} label="Time">
          <select id={ids.range} value={range} onChange={(e) => setRange((e.currentTarget as HTMLSelectElement).value)}>
            {RANGES.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </Field>
        {range === 'custom' ? (
          <>
            <Field id={ids.from} label="From">
              <input id={ids.from} type="datetime-local" value={from} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
            </Field>
            <Field id={ids.to} label="To">
              <input id={ids.to} type="datetime-local" value={to} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
            </Field>
          </>
        ) : null}
        <Field id={ids.status} label="Status">
          <input
            id={ids.status}
            type="number"
            min={100}
            max={599}
            inputMode="numeric"
            placeholder="e.g. 400"
            value={status}
            onInput={(e) => setStatus((e.currentTarget as HTMLInputElement).value)}
          />
        </Field>
        <Field id={ids.method} label="Method">
          <select id={ids.method} value={method} onChange={(e) => setMethod((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">any</option>
            {['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </Field>
        <Field id={ids.q} label="Path contains">
          <input
            id={ids.q}
            type="search"
            maxLength={200}
            placeholder="a user id, Groups…"
            value={q}
            onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
          />
        </Field>
        <button type="submit">Apply</button>
      </form>
      <Show loaded={log} what="the request log">
        {(entries) => (
          <>
            <DataTable
              rows={entries}
              rowKey={(r) => r.id}
              class="requests"
              caption="SCIM requests, newest first"
              empty="No requests match."
              detail={(r) => (open === r.id ? { id: `req-${r.id}`, content: <RequestDetail r={r} /> } : null)}
              columns={[
                { header: 'Time', cell: (r) => <Time iso={r.at} /> },
                {
                  header: 'Request',
                  cellClass: 'mono wrap',
                  title: (r) => r.path,
                  cell: (r) => (
                    <>
                      <strong>{r.method}</strong> {relativePath(r.path, r.tenantId)}
                    </>
                  ),
                },
                { header: 'Status', cell: (r) => <StatusBadge status={r.status} /> },
                { header: 'ms', class: 'num', cell: (r) => ms(r.latencyMs) },
                { header: 'Source IP', cellClass: 'mono', cell: (r) => r.sourceIp ?? '—' },
                { header: 'Notes', cell: (r) => (r.notes.length ? <span class="badge info">{r.notes.length} normalised</span> : null) },
                {
                  header: <SrOnly>Detail</SrOnly>,
                  cell: (r) => (
                    <DisclosureButton
                      label="Details"
                      of={`${r.method} ${relativePath(r.path, r.tenantId)}`}
                      open={open === r.id}
                      controls={`req-${r.id}`}
                      onToggle={() => setOpen(open === r.id ? null : r.id)}
                    />
                  ),
                },
              ]}
            />
            <div class="buttons">
              {pages.length ? (
                <button type="button" class="secondary" onClick={() => setPages(pages.slice(0, -1))}>
                  ← Newer
                </button>
              ) : null}
              {entries.length === 50 ? (
                <button type="button" class="secondary" onClick={() => setPages([...pages, entries[entries.length - 1].id])}>
                  Older →
                </button>
              ) : null}
            </div>
          </>
        )}
      </Show>
    </>
  );
}

/** SCIM paths relative to the Tenant URL, as Entra's own logs show them; the token endpoint's as they are. */
const relativePath = (path: string, tenantId: string) => {
  const prefix = `/scim/v2/${tenantId}`;
  return path.startsWith(prefix) ? path.slice(prefix.length) || '/' : path;
};

const ms = (v: number) => (v < 10 ? v.toFixed(1) : String(Math.round(v)));

function pretty(body: string | null): string {
  if (body === null) return '';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function RequestDetail({ r }: { r: RequestLogView }) {
  return (
    <div class="request-detail">
      <dl class="facts">
        <dt>Request id</dt>
        <dd class="mono">{r.requestId ?? '—'}</dd>
        <dt>Answered</dt>
        <dd>
          <StatusBadge status={r.status} /> in {ms(r.latencyMs)} ms
        </dd>
      </dl>
      {r.notes.length ? (
        <div class="notes">
          <h3>Normalisation notes</h3>
          <p class="hint">Entra-dialect shapes scimflow accepted and normalised in this request:</p>
          <ul>
            {r.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div class="bodies">
        <div>
          <h3>Request body {r.requestTruncated ? <span class="badge warn">truncated</span> : null}</h3>
          {r.requestBody ? <pre tabIndex={0}>{pretty(r.requestBody)}</pre> : <p class="muted">none</p>}
        </div>
        <div>
          <h3>Response body {r.responseTruncated ? <span class="badge warn">truncated</span> : null}</h3>
          {r.responseBody ? <pre tabIndex={0}>{pretty(r.responseBody)}</pre> : <p class="muted">none</p>}
        </div>
      </div>
      <p class="hint">Credentials and secrets are redacted before bodies are stored.</p>
    </div>
  );
}

function AuditTab({ t }: { t: TenantView }) {
  const [outcome, setOutcome] = useState('');
  const audit = useLoad(() => admin.get<AuditView[]>(`${base(t.tenantId)}/audit${query({ outcome, limit: 200 })}`), [t.tenantId, outcome]);
  return (
    <section class="card">
      <div class="page-head">
        <h2>Provisioning audit log</h2>
        <InlineSelect idPrefix="outcome" label="Outcome" value={outcome} onChange={setOutcome}>
          <option value="">all</option>
          <option value="success">success</option>
          <option value="failure">failure</option>
        </InlineSelect>
      </div>
      <Show loaded={audit} what="the audit log">
        {(list) => (
          <DataTable
            rows={list}
            rowKey={(a) => a.id}
            empty="No provisioning actions yet."
            columns={[
              { header: 'Time', cell: (a) => <Time iso={a.at} /> },
              { header: 'Action', cell: (a) => a.action },
              {
                header: 'Resource',
                cell: (a) => (
                  <>
                    {a.resourceType === 'User' ? (
                      <Link href={userPath(t.tenantId, a.resourceId)} class="mono">
                        {a.resourceId}
                      </Link>
                    ) : (
                      <span class="mono">{a.resourceId}</span>
                    )}
                    <div class="sub">{a.resourceType}</div>
                  </>
                ),
              },
              {
                header: 'Outcome',
                cell: (a) => (a.outcome === 'success' ? <span class="badge ok">✓ {a.status}</span> : <span class="badge bad">✗ {a.status}</span>),
              },
              { header: 'Detail', cellClass: 'wrap', cell: (a) => a.error?.detail ?? summarise(a.diff) },
            ]}
          />
        )}
      </Show>
    </section>
  );
}

function summarise(diff: Record<string, unknown> | undefined): string {
  if (!diff) return '';
  const keys = Object.keys(diff);
  if (!keys.length) return '';
  const text = JSON.stringify(diff);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

function UsersTab({ t }: { t: TenantView }) {
  const users = useLoad(() => admin.get<UserAdminView[]>(`${base(t.tenantId)}/users${query({ limit: 1000 })}`), [t.tenantId]);
  const overview = useLoad(() => admin.get<ConsoleOverview>('/admin/overview'), [t.tenantId]);
  const [filter, setFilter] = useState('');
  const groups = overview.data?.tenants.find((x) => x.id === t.tenantId)?.groups;
  return (
    <>
      <section class="card">
        <h2>Users</h2>
        <ScimFilterForm
          idPrefix="user-filter"
          label="Filter users"
          hint='As Entra writes them, e.g. userName sw "ada", emails[type eq "work"].value co "contoso", active eq false'
          onFilter={setFilter}
        />
        <Show loaded={users} what="users">
          {(list) => {
            let shown: UserAdminView[];
            try {
              shown = filterUsers(list, filter);
            } catch (e) {
              return <ErrorMessage error={messageOf(e)} />;
            }
            return (
              <DataTable
                rows={shown}
                rowKey={(u) => u.id}
                caption={`Users (${shown.length})`}
                empty={list.length ? 'No user matches the filter.' : 'No users yet.'}
                columns={[
                  {
                    header: 'userName',
                    cell: (u) => (
                      <>
                        <Link href={userPath(t.tenantId, u.id)}>{u.userName}</Link>
                        <div class="sub mono">{u.id}</div>
                      </>
                    ),
                  },
                  { header: 'Work email', cell: (u) => u.workEmail ?? <span class="muted">—</span> },
                  {
                    header: 'Active',
                    cell: (u) =>
                      u.deletedAt ? (
                        <span class="badge bad">deleted</span>
                      ) : u.active ? (
                        <span class="badge ok">✓ active</span>
                      ) : (
                        <span class="badge warn">inactive</span>
                      ),
                  },
                  {
                    header: 'Origin',
                    cell: (u) => (
                      <>
                        {u.origin}
                        {u.linked ? '' : ' (unlinked)'}
                      </>
                    ),
                  },
                  { header: 'Login', cell: (u) => u.loginMethod },
                  { header: 'Last modified', cell: (u) => <Time iso={u.lastModified} /> },
                ]}
              />
            );
          }}
        </Show>
      </section>
      <GroupsSection t={t} count={groups} />
    </>
  );
}

/** A tenant's groups, read-only (Entra writes them over SCIM): filtered on the server with a SCIM filter, a group's members on demand. */
function GroupsSection({ t, count }: { t: TenantView; count: number | undefined }) {
  const [filter, setFilter] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const groups = useLoad(() => admin.get<GroupAdminView[]>(`${base(t.tenantId)}/groups${query({ filter, limit: 1000 })}`), [t.tenantId, filter]);
  return (
    <section class="card" aria-labelledby="groups-title">
      <h2 id="groups-title">Groups</h2>
      <p class="hint">
        {count === undefined ? '' : `${count} group${count === 1 ? '' : 's'} in all. `}Entra reads and writes them over SCIM; here they are read-only.
      </p>
      <ScimFilterForm
        idPrefix="group-filter"
        label="Filter groups"
        hint='e.g. displayName sw "Sales", externalId eq "…"'
        onFilter={(typed) => {
          setOpen(null);
          setFilter(typed.trim());
        }}
      />
      <Show loaded={groups} what="groups">
        {(list) => (
          <DataTable
            rows={list}
            rowKey={(g) => g.id}
            caption={`Groups (${list.length})`}
            empty={filter ? 'No group matches the filter.' : 'No groups yet.'}
            detail={(g) => (open === g.id ? { id: `members-${g.id}`, content: <GroupMembers t={t} groupId={g.id} /> } : null)}
            columns={[
              {
                header: 'displayName',
                cell: (g) => (
                  <>
                    {g.displayName}
                    <div class="sub mono">{g.id}</div>
                  </>
                ),
              },
              { header: 'externalId', cellClass: 'mono', cell: (g) => g.externalId ?? <span class="muted">—</span> },
              { header: 'Members', class: 'num', cell: (g) => g.memberCount },
              { header: 'Last modified', cell: (g) => <Time iso={g.lastModified} /> },
              {
                header: <SrOnly>Members</SrOnly>,
                cell: (g) => (
                  <DisclosureButton
                    label="Members"
                    of={g.displayName}
                    open={open === g.id}
                    controls={`members-${g.id}`}
                    onToggle={() => setOpen(open === g.id ? null : g.id)}
                  />
                ),
              },
            ]}
          />
        )}
      </Show>
    </section>
  );
}

/** A SCIM filter typed in and applied on Filter (a search form, `label` its name). */
function ScimFilterForm({ idPrefix, label, hint, onFilter }: { idPrefix: string; label: string; hint: string; onFilter: (typed: string) => void }) {
  const [typed, setTyped] = useState('');
  const id = useId(idPrefix);
  return (
    <form
      class="inline-form filter-form"
      role="search"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onFilter(typed);
      }}
    >
      <Field id={id} label="SCIM filter" hint={hint}>
        <input
          id={id}
          type="search"
          class="mono"
          spellcheck={false}
          value={typed}
          aria-describedby={`${id}-hint`}
          onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
        />
      </Field>
      <button type="submit">Filter</button>
    </form>
  );
}

function GroupMembers({ t, groupId }: { t: TenantView; groupId: string }) {
  const group = useLoad(() => admin.get<GroupAdminDetail>(`${base(t.tenantId)}/groups/${encodeURIComponent(groupId)}`), [t.tenantId, groupId]);
  return (
    <Show loaded={group} what="members">
      {(g) =>
        g.members.length === 0 ? (
          <Empty>{g.displayName} has no members.</Empty>
        ) : (
          <>
            <h3>
              Members of {g.displayName} ({g.memberCount})
            </h3>
            {g.members.length < g.memberCount ? <p class="hint">The first {g.members.length} by id.</p> : null}
            <ul class="members">
              {g.members.map((m) => (
                <li key={m.id}>
                  <Link href={userPath(t.tenantId, m.id)}>{m.userName}</Link> <span class="sub mono">{m.id}</span>
                </li>
              ))}
            </ul>
          </>
        )
      }
    </Show>
  );
}
