import { useState } from 'preact/hooks';
import { TENANT_PROFILES, type ConsoleOverview, type CreatedTenantAdminView, type CreateTenantRequest, type TenantProfile } from '@scimflow/contracts/views';
import { admin } from './api';
import { RateLimitFields, rateLimitOf, SourceIpsField } from './access-fields';
import { DataTable } from './table';
import { ago, CopyField, ErrorMessage, Field, Link, listOf, navigate, OnceBox, percent, Show, useAction, useId, useLoad, useRefresh } from './ui';

/** The tenants with their health, one row each. */
export function TenantsPage() {
  const overview = useLoad(() => admin.get<ConsoleOverview>('/admin/overview'), []);
  useRefresh(overview.reload, 30_000);
  return (
    <>
      <div class="page-head">
        <h1>Tenants</h1>
        <Link class="button" href="/console/tenants/new">
          New tenant
        </Link>
      </div>
      <Show loaded={overview} what="the tenants">
        {(o) => (
          <DataTable
            rows={o.tenants}
            rowKey={(t) => t.id}
            class="tenants"
            caption="Tenants and their health over the last 24 hours"
            empty="No tenants yet. Create one to get Entra credentials and a setup link for the customer."
            columns={[
              {
                header: 'Tenant',
                rowHeader: true,
                cell: (t) => (
                  <>
                    <Link href={`/console/tenants/${encodeURIComponent(t.id)}`}>{t.name}</Link>
                    <div class="sub">
                      {t.profile}
                      {t.enabled ? null : <span class="badge warn">disabled</span>}
                    </div>
                  </>
                ),
              },
              {
                header: 'Last request',
                cell: (t) =>
                  t.lastRequestAt ? (
                    <>
                      <time dateTime={t.lastRequestAt} title={t.lastRequestAt}>
                        {ago(t.lastRequestAt)}
                      </time>
                      <div class="sub mono">{t.lastRequestIp ?? ''}</div>
                    </>
                  ) : (
                    <span class="muted">never</span>
                  ),
              },
              { header: 'Requests (24 h)', cellClass: 'num', cell: (t) => t.requests24h },
              { header: 'Failures (24 h)', cell: (t) => <FailureMeter ratio={t.failureRatio24h} failures={t.failures24h} line={o.failureQuarantineRatio} /> },
              { header: 'Users', class: 'num', cell: (t) => t.users },
              { header: 'Groups', class: 'num', cell: (t) => t.groups },
              { header: 'Parked', class: 'num', cell: (t) => (t.parkedCommands > 0 ? <span class="badge warn">{t.parkedCommands}</span> : 0) },
              { header: 'Webhook backlog', class: 'num', cell: (t) => t.webhookBacklog },
            ]}
          />
        )}
      </Show>
      <p class="hint">
        Refreshed every 30 seconds. A failure is an answer of 400 or more, except a GET answered 404 (Entra looks up users that may not be there). Entra
        quarantines an application whose failures pass its line, shown on each bar.
      </p>
    </>
  );
}

/** The failure ratio as a bar with the quarantine line marked; the words say the same. */
export function FailureMeter({ ratio, failures, line }: { ratio: number; failures: number; line: number }) {
  const over = ratio >= line;
  const near = !over && ratio >= line / 2;
  const label = `${failures} failed, ${percent(ratio)}; quarantine line ${percent(line)}${over ? ': over the line' : ''}`;
  return (
    <div class="meter-cell">
      <div class="meter" role="img" aria-label={label}>
        <div class={`meter-fill ${over ? 'bad' : near ? 'warn' : 'ok'}`} style={{ width: `${Math.min(100, ratio * 100)}%` }} />
        <div class="meter-line" style={{ left: `${line * 100}%` }} />
      </div>
      <span class={over ? 'text-bad' : ''} aria-hidden="true">
        {percent(ratio)} ({failures}){over ? ` ⚠ over ${percent(line)}` : ''}
      </span>
    </div>
  );
}

export function CreateTenantPage() {
  const [name, setName] = useState('');
  const [profile, setProfile] = useState<TenantProfile>('custom');
  const [ips, setIps] = useState('');
  const [webhook, setWebhook] = useState('');
  const [perSecond, setPerSecond] = useState('');
  const [burst, setBurst] = useState('');
  const [created, setCreated] = useState<CreatedTenantAdminView | null>(null);
  const action = useAction();
  const ids = { name: useId('name'), profile: useId('profile'), webhook: useId('webhook') };

  const submit = async (e: Event) => {
    e.preventDefault();
    const body: CreateTenantRequest = { name: name.trim(), profile };
    if (ips.trim()) body.allowedSourceIps = listOf(ips);
    if (webhook.trim()) body.webhooks = [webhook.trim()];
    const rateLimit = rateLimitOf(perSecond, burst);
    if (rateLimit) body.rateLimit = rateLimit;
    const c = await action.run(() => admin.post<CreatedTenantAdminView>('/admin/tenants', body));
    if (c) setCreated(c);
  };

  if (created)
    return (
      <>
        <h1>Tenant {created.name} created</h1>
        <OnceBox title="Entra credentials" onDone={() => navigate(`/console/tenants/${encodeURIComponent(created.tenantId)}`)}>
          <p>
            In the Entra enterprise application, Provisioning → Admin Credentials: the <strong>Tenant URL</strong> and either the <strong>Secret Token</strong>{' '}
            or the OAuth client credentials.
          </p>
          <CopyField label="Tenant URL" value={created.scimBaseUrl} />
          <CopyField label="Secret Token" value={created.token} secret />
          <CopyField label="Token Endpoint" value={created.tokenUrl} />
          <CopyField label="Client Identifier" value={created.clientId} />
          <CopyField label="Client Secret" value={created.clientSecret} secret />
        </OnceBox>
        <p>
          Or let the customer's IT admin set it up: open the tenant and create a <strong>setup link</strong>.
        </p>
      </>
    );

  return (
    <>
      <h1>New tenant</h1>
      <form class="card form" onSubmit={submit}>
        <Field id={ids.name} label="Name">
          <input id={ids.name} required maxLength={200} value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        </Field>
        <Field id={ids.profile} label="Product profile" hint="The rules the reconciler applies to every write (userType, required attributes, roles, groups).">
          <select
            id={ids.profile}
            value={profile}
            aria-describedby={`${ids.profile}-hint`}
            onChange={(e) => setProfile((e.currentTarget as HTMLSelectElement).value as TenantProfile)}
          >
            {TENANT_PROFILES.map((p) => (
              <option value={p} key={p}>
                {p}
              </option>
            ))}
          </select>
        </Field>
        <SourceIpsField
          label="Allowed source IPs (optional)"
          hint="CIDR blocks, one per line or comma-separated; empty allows every address. Entra's ranges: the AzureActiveDirectory service tag."
          value={ips}
          onInput={setIps}
        />
        <Field id={ids.webhook} label="Webhook URL (optional)" hint="Receives every event of this tenant; more subscriptions under Webhooks.">
          <input
            id={ids.webhook}
            type="url"
            placeholder="https://product.example/hooks/scim"
            value={webhook}
            aria-describedby={`${ids.webhook}-hint`}
            onInput={(e) => setWebhook((e.currentTarget as HTMLInputElement).value)}
          />
        </Field>
        <fieldset>
          <legend>Rate limit (optional; empty: the configured default)</legend>
          <RateLimitFields perSecond={perSecond} burst={burst} onPerSecond={setPerSecond} onBurst={setBurst} />
        </fieldset>
        <ErrorMessage error={action.error} />
        <div class="buttons">
          <button type="submit" disabled={action.busy || !name.trim()}>
            {action.busy ? 'Creating…' : 'Create tenant'}
          </button>
          <Link class="button secondary" href="/console">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
