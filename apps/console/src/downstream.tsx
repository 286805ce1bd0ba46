import { useState } from 'preact/hooks';
import type { CreatedProductCredential, EventConsumerView, EventsRetentionView, TenantView } from '@scimflow/contracts/views';
import { admin } from './api';
import { CredentialTable, NewCredentialForm } from './credentials';
import { Ago, ConfirmButton, CopyField, ErrorMessage, Field, OnceBox, Show, Time, useAction, useId, useLoad } from './ui';

const base = (id: string) => `/admin/tenants/${encodeURIComponent(id)}`;

/**
 * What leaves scimflow for the product: the pause switches, and the events API's credentials, consumers and
 * retention (docs/events.md).
 */
export function DownstreamTab({ t, reload }: { t: TenantView; reload: () => void }) {
  return (
    <>
      <Pauses t={t} reload={reload} />
      <EventsApi t={t} />
    </>
  );
}

function Pauses({ t, reload }: { t: TenantView; reload: () => void }) {
  const action = useAction();
  const set = async (what: 'intake' | 'delivery', to: 'pause' | 'resume') => {
    if (await action.run(() => admin.post<TenantView>(`${base(t.tenantId)}/${what}/${to}`))) reload();
  };
  const row = (what: 'intake' | 'delivery', since: string | null, label: string, paused: string, running: string) => (
    <div class="pause-row">
      <h3>{label}</h3>
      <p>
        {since ? (
          <>
            <span class="badge warn">⏸ paused</span> since <Time iso={since} />. {paused}
          </>
        ) : (
          <>
            <span class="badge ok">▶ running</span> {running}
          </>
        )}
      </p>
      {since ? (
        <button type="button" disabled={action.busy} onClick={() => set(what, 'resume')}>
          Resume {label.toLowerCase()}
        </button>
      ) : (
        <ConfirmButton
          label={`Pause ${label.toLowerCase()}`}
          class=""
          confirm={`Pause ${label.toLowerCase()} now`}
          busy={action.busy}
          onConfirm={() => set(what, 'pause')}
        />
      )}
    </div>
  );
  return (
    <section class="card">
      <h2>Pause switches</h2>
      <ErrorMessage error={action.error} />
      {row(
        'delivery',
        t.deliveryPausedAt,
        'Delivery',
        "Entra's changes are applied; their events wait in order (no topic record, no webhook, not in the events API) and go out on resume.",
        'Change events go out to the topics, webhooks and the events API as they are committed.',
      )}
      {row(
        'intake',
        t.intakePausedAt,
        'Intake',
        "Entra's requests are answered 503 with Retry-After. A cycle where most requests fail puts Entra's job in quarantine: keep it short, or restart provisioning in Entra after resuming.",
        "Entra's requests are taken.",
      )}
    </section>
  );
}

function EventsApi({ t }: { t: TenantView }) {
  const consumers = useLoad(() => admin.get<EventConsumerView[]>(`${base(t.tenantId)}/event-consumers`), [t.tenantId]);
  const retention = useLoad(() => admin.get<EventsRetentionView>(`${base(t.tenantId)}/events-retention`), [t.tenantId]);
  const [created, setCreated] = useState<CreatedProductCredential | null>(null);
  const [days, setDays] = useState('');
  const action = useAction();
  const daysId = useId('retention');
  const create = async (body: { description?: string }) => {
    const c = await action.run(() => admin.post<CreatedProductCredential>(`${base(t.tenantId)}/product-credentials`, body));
    if (!c) return false;
    setCreated(c);
    consumers.reload();
    return true;
  };
  const revoke = async (id: string) => {
    if (await action.succeeded(() => admin.del(`${base(t.tenantId)}/product-credentials/${encodeURIComponent(id)}`))) consumers.reload();
  };
  const saveRetention = async (e: Event) => {
    e.preventDefault();
    if (await action.run(() => admin.put(`${base(t.tenantId)}/events-retention`, { days: Number(days) }))) {
      setDays('');
      retention.reload();
    }
  };
  return (
    <section class="card">
      <h2>Events API</h2>
      <p class="hint">
        Product services that cannot reach Kafka read this tenant's change events in order from <code>GET /api/v1/events</code> with a product credential, and
        its state from <code>/api/v1/users</code> and <code>/api/v1/groups</code>. Each credential is a consumer; its lag is what it has not read yet.
      </p>
      {created ? (
        <OnceBox title="Product credential" onDone={() => setCreated(null)}>
          <CopyField label="Product credential" value={created.credential} secret hint="Authorization: Bearer … on /api/v1. Shown this once." />
        </OnceBox>
      ) : null}
      <ErrorMessage error={action.error} />
      <h3>Consumers</h3>
      <Show loaded={consumers} what="the consumers">
        {(list) => (
          <CredentialTable
            rows={list}
            header="Credential"
            noun="credential"
            empty="No product credential yet."
            columns={[
              { header: 'Last read', cell: (c) => <Ago iso={c.lastReadAt} /> },
              {
                header: 'Lag',
                cell: (c) =>
                  c.lagEvents === 0 ? (
                    <span class="muted">up to date</span>
                  ) : (
                    <>
                      {c.lagEvents >= 10000 ? '10,000+' : c.lagEvents.toLocaleString()} events, oldest {Math.round(c.lagSeconds)} s
                    </>
                  ),
              },
            ]}
            confirm="Revoke: its reads are refused"
            busy={action.busy}
            onRevoke={revoke}
          />
        )}
      </Show>
      <NewCredentialForm idPrefix="product-credential" button="New product credential" busy={action.busy} onCreate={create} />
      <h3>Retention</h3>
      <Show loaded={retention} what="the retention">
        {(r) => (
          <form class="inline-form" onSubmit={saveRetention}>
            <Field id={daysId} label={`Days events stay readable (now ${r.days})`} hint="1 to 365; a cursor older than that is answered 410: resync">
              <input id={daysId} type="number" min={1} max={365} required value={days} onInput={(e) => setDays((e.currentTarget as HTMLInputElement).value)} />
            </Field>
            <button type="submit" disabled={action.busy || !days}>
              Save retention
            </button>
          </form>
        )}
      </Show>
    </section>
  );
}
