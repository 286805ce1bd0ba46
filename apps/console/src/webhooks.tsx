import { useEffect, useState } from 'preact/hooks';
import type {
  DeadLetterView,
  DeliveryAttemptView,
  EventReplayCount,
  EventReplayView,
  RedriveResult,
  SubscriptionView,
  SubscriptionWithSecretView,
  TenantView,
} from '@scimflow/contracts/views';
import { admin, query } from './api';
import { DataTable, SrOnly } from './table';
import { CopyField, ErrorMessage, Field, InlineSelect, listOf, navigate, OnceBox, Show, StatusBadge, Time, useAction, useId, useLoad, useLocation } from './ui';

/** Webhook subscriptions per tenant, their delivery log and dead letters (with redrive). */
export function WebhooksPage() {
  const { search } = useLocation();
  const tenantId = search.get('tenant') ?? '';
  const subscriptionId = search.get('subscription') ?? '';
  const tenants = useLoad(() => admin.get<TenantView[]>('/admin/tenants'), []);
  return (
    <>
      <h1>Webhooks</h1>
      <Show loaded={tenants} what="tenants">
        {(list) => (
          <InlineSelect idPrefix="wh-tenant" label="Tenant" value={tenantId} onChange={(tenant) => navigate(`/console/webhooks${query({ tenant })}`)}>
            <option value="">Choose a tenant…</option>
            {list.map((t) => (
              <option key={t.tenantId} value={t.tenantId}>
                {t.name}
              </option>
            ))}
          </InlineSelect>
        )}
      </Show>
      {tenantId ? <Subscriptions tenantId={tenantId} selected={subscriptionId} /> : null}
      {subscriptionId ? <SubscriptionDetail key={subscriptionId} id={subscriptionId} /> : null}
    </>
  );
}

function Subscriptions({ tenantId, selected }: { tenantId: string; selected: string }) {
  const subs = useLoad(() => admin.get<SubscriptionView[]>(`/admin/tenants/${encodeURIComponent(tenantId)}/subscriptions`), [tenantId]);
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const action = useAction();
  const ids = { url: useId('sub-url'), types: useId('sub-types') };
  const create = async (e: Event) => {
    e.preventDefault();
    const eventTypes = listOf(types);
    const created = await action.run(() =>
      admin.post<SubscriptionWithSecretView>(`/admin/tenants/${encodeURIComponent(tenantId)}/subscriptions`, {
        url: url.trim(),
        ...(eventTypes.length ? { eventTypes } : {}),
      }),
    );
    if (created) {
      setSecret(created.secret);
      setUrl('');
      setTypes('');
      subs.reload();
    }
  };
  const toggle = async (s: SubscriptionView) => {
    if (await action.run(() => admin.post(`/admin/subscriptions/${encodeURIComponent(s.id)}/${s.enabled ? 'disable' : 'enable'}`))) subs.reload();
  };
  return (
    <section class="card">
      <h2>Subscriptions</h2>
      <ErrorMessage error={action.error} />
      {secret ? (
        <OnceBox title="Signing secret" onDone={() => setSecret(null)}>
          <CopyField label="Signing secret" value={secret} secret hint="The receiver verifies each request's webhook-signature with it (Standard Webhooks)." />
        </OnceBox>
      ) : null}
      <Show loaded={subs} what="subscriptions">
        {(list) => (
          <DataTable
            rows={list}
            rowKey={(s) => s.id}
            rowClass={(s) => (s.id === selected ? 'selected' : '')}
            empty="No subscriptions for this tenant."
            columns={[
              { header: 'URL', cellClass: 'mono wrap', cell: (s) => s.url },
              { header: 'Event types', cell: (s) => (s.eventTypes.length ? s.eventTypes.join(', ') : <span class="muted">every event</span>) },
              {
                header: 'State',
                cell: (s) => (
                  <>
                    {s.enabled ? <span class="badge ok">✓ enabled</span> : <span class="badge warn">disabled</span>}
                    {s.disabledReason ? <div class="sub">{s.disabledReason}</div> : null}
                  </>
                ),
              },
              {
                header: <SrOnly>Actions</SrOnly>,
                cellClass: 'buttons',
                cell: (s) => (
                  <>
                    <button
                      type="button"
                      class="small"
                      aria-current={s.id === selected ? 'true' : undefined}
                      onClick={() => navigate(`/console/webhooks${query({ tenant: tenantId, subscription: s.id })}`)}
                    >
                      Deliveries<span class="sr-only"> of {s.url}</span>
                    </button>
                    <button type="button" class="secondary small" disabled={action.busy} onClick={() => toggle(s)}>
                      {s.enabled ? 'Disable' : 'Enable'}
                      <span class="sr-only"> {s.url}</span>
                    </button>
                  </>
                ),
              },
            ]}
          />
        )}
      </Show>
      <form class="inline-form" onSubmit={create}>
        <Field id={ids.url} label="New subscription URL">
          <input
            id={ids.url}
            type="url"
            required
            value={url}
            placeholder="https://product.example/hooks/scim"
            onInput={(e) => setUrl((e.currentTarget as HTMLInputElement).value)}
          />
        </Field>
        <Field id={ids.types} label="Event types (optional)">
          <input id={ids.types} value={types} placeholder="dev.scimflow.user.*" onInput={(e) => setTypes((e.currentTarget as HTMLInputElement).value)} />
        </Field>
        <button type="submit" disabled={action.busy || !url.trim()}>
          Subscribe
        </button>
      </form>
    </section>
  );
}

function SubscriptionDetail({ id }: { id: string }) {
  const sub = useLoad(() => admin.get<SubscriptionView>(`/admin/subscriptions/${encodeURIComponent(id)}`), [id]);
  const [status, setStatus] = useState('');
  const deliveries = useLoad(
    () => admin.get<DeliveryAttemptView[]>(`/admin/subscriptions/${encodeURIComponent(id)}/deliveries${query({ status, limit: 50 })}`),
    [id, status],
  );
  const dead = useLoad(
    () => admin.get<DeadLetterView[]>(`/admin/subscriptions/${encodeURIComponent(id)}/dead-letters${query({ all: true, limit: 100 })}`),
    [id],
  );
  const action = useAction();
  const [result, setResult] = useState<string | null>(null);
  const report = (r: RedriveResult) =>
    setResult(`${r.redriven.length} redriven${r.skipped.length ? `, ${r.skipped.length} skipped (${r.skipped.map((s) => s.reason).join(', ')})` : ''}.`);
  const redrive = async (letter: string) => {
    const r = await action.run(() => admin.post<RedriveResult>(`/admin/dead-letters/${encodeURIComponent(letter)}/redrive`));
    if (r) {
      report(r);
      dead.reload();
      deliveries.reload();
    }
  };
  const redriveAll = async () => {
    const r = await action.run(() => admin.post<RedriveResult>(`/admin/subscriptions/${encodeURIComponent(id)}/dead-letters/redrive`));
    if (r) {
      report(r);
      dead.reload();
      deliveries.reload();
    }
  };
  const pending = dead.data?.filter((d) => !d.redrivenAt).length ?? 0;
  return (
    <>
      <section class="card" aria-labelledby="dead-title">
        <div class="page-head">
          <h2 id="dead-title">Dead letters</h2>
          <button type="button" disabled={action.busy || pending === 0} onClick={redriveAll}>
            Redrive all ({pending})
          </button>
        </div>
        <p class="hint">
          {sub.data ? <span class="mono">{sub.data.url}</span> : null} · events the receiver did not take within the retry horizon. A redrive puts the event
          back into the queue once, in order for its user.
        </p>
        <ErrorMessage error={action.error} />
        <p role="status" class="result">
          {result}
        </p>
        <Show loaded={dead} what="dead letters">
          {(list) => (
            <DataTable
              rows={list}
              rowKey={(d) => d.id}
              empty="No dead letters."
              columns={[
                { header: 'Dead since', cell: (d) => <Time iso={d.deadAt} /> },
                { header: 'Event', cell: (d) => <EventCell type={d.eventType} id={d.eventId} /> },
                { header: 'Attempts', cellClass: 'num', cell: (d) => d.attempts },
                {
                  header: 'Last answer',
                  cellClass: 'wrap',
                  cell: (d) => (
                    <>
                      {d.lastStatus ? <StatusBadge status={d.lastStatus} /> : null} {d.lastError ?? d.lastResponseExcerpt ?? ''}
                    </>
                  ),
                },
                {
                  header: 'State',
                  cell: (d) =>
                    d.redrivenAt ? (
                      <span class="badge info">
                        redriven <Time iso={d.redrivenAt} />
                      </span>
                    ) : (
                      <button type="button" class="small" disabled={action.busy} onClick={() => redrive(d.id)}>
                        Redrive
                        <span class="sr-only">
                          {' '}
                          {d.eventType} {d.eventId}
                        </span>
                      </button>
                    ),
                },
              ]}
            />
          )}
        </Show>
      </section>
      <ReplaySection subscriptionId={id} onFinished={deliveries.reload} />
      <section class="card">
        <div class="page-head">
          <h2>Delivery log</h2>
          <InlineSelect idPrefix="delivery-status" label="Status" value={status} onChange={setStatus}>
            <option value="">all</option>
            <option value="delivered">delivered</option>
            <option value="failed">failed</option>
          </InlineSelect>
        </div>
        <Show loaded={deliveries} what="deliveries">
          {(list) => (
            <DataTable
              rows={list}
              rowKey={(a) => a.attemptId}
              empty="No delivery attempts."
              columns={[
                { header: 'Time', cell: (a) => <Time iso={a.attemptedAt} /> },
                { header: 'Event', cell: (a) => <EventCell type={a.eventType} id={a.eventId} redrive={a.redrive} /> },
                { header: 'Attempt', class: 'num', cell: (a) => a.attempt },
                {
                  header: 'Result',
                  cellClass: 'wrap',
                  cell: (a) => (
                    <>
                      {a.status === 'delivered' ? <span class="badge ok">✓ delivered</span> : <span class="badge bad">✗ failed</span>} {a.httpStatus ?? ''}{' '}
                      {a.error ?? ''}
                    </>
                  ),
                },
                { header: 'ms', class: 'num', cell: (a) => a.latencyMs },
              ]}
            />
          )}
        </Show>
      </section>
    </>
  );
}

/** An event's type and id; a redriven delivery's marked so. */
function EventCell({ type, id, redrive }: { type: string; id: string; redrive?: boolean }) {
  return (
    <>
      {type}
      {redrive ? <span class="badge info">redrive</span> : null}
      <div class="sub mono">{id}</div>
    </>
  );
}

/** A datetime-local value (the browser's time zone) as an ISO instant; '' when empty or not a time. */
function isoOf(local: string): string {
  if (!local) return '';
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** `d` as a datetime-local value in the browser's time zone, to the second. */
function localOf(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const POLL_MS = 1000;

/**
 * Re-delivers the subscription's past events, read back from Kafka: a dry run counts them first, the replay then runs
 * in the background and is polled until it ends. Replaying the same range again queues nothing twice.
 */
function ReplaySection({ subscriptionId, onFinished }: { subscriptionId: string; onFinished: () => void }) {
  const path = `/admin/subscriptions/${encodeURIComponent(subscriptionId)}/replays`;
  const past = useLoad(() => admin.get<EventReplayView[]>(`${path}${query({ limit: 20 })}`), [subscriptionId]);
  const [from, setFrom] = useState(() => localOf(new Date(Date.now() - 24 * 3600_000)));
  const [to, setTo] = useState('');
  const [count, setCount] = useState<{ range: string; result: EventReplayCount } | null>(null);
  const [replay, setReplay] = useState<EventReplayView | null>(null);
  const action = useAction();
  const fromId = useId('replay-from');
  const toId = useId('replay-to');
  const range = `${isoOf(from)}|${isoOf(to)}`;
  const body = () => ({ from: isoOf(from), ...(to ? { to: isoOf(to) } : {}) });

  useEffect(() => {
    if (!replay || replay.state !== 'running') return undefined;
    let live = true;
    const timer = setTimeout(async () => {
      try {
        const next = await admin.get<EventReplayView>(`/admin/replays/${encodeURIComponent(replay.id)}`);
        if (live) setReplay(next);
        if (live && next.state !== 'running') {
          past.reload();
          onFinished();
        }
      } catch {
        // A failed poll is retried on the next tick: a copy of the same state re-arms the timer.
        if (live) setReplay({ ...replay });
      }
    }, POLL_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [replay]);

  const onCount = async (e: Event) => {
    e.preventDefault();
    if (!isoOf(from)) return;
    setReplay(null);
    const result = await action.run(() => admin.post<EventReplayCount>(path, { ...body(), dryRun: true }));
    if (result) setCount({ range, result });
  };
  const onReplay = async () => {
    const started = await action.run(() => admin.post<EventReplayView>(path, body()));
    if (started) {
      setCount(null);
      setReplay(started);
      past.reload();
    }
  };
  const counted = count && count.range === range ? count.result : null;
  const running = replay?.state === 'running';
  return (
    <section class="card" aria-labelledby="replay-title">
      <h2 id="replay-title">Replay</h2>
      <p class="hint">
        Re-delivers this subscription&apos;s past events, read back from Kafka, with the header <span class="mono">webhook-replay: true</span>. Count them
        first; replaying the same range again queues nothing twice.
      </p>
      <form class="inline-form" aria-label="Replay events" onSubmit={onCount}>
        <Field id={fromId} label="From (your local time)">
          <input id={fromId} type="datetime-local" step={1} required value={from} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
        </Field>
        <Field id={toId} label="To (optional, default now)">
          <input id={toId} type="datetime-local" step={1} value={to} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
        </Field>
        <button type="submit" class="secondary" disabled={action.busy || running}>
          Count
        </button>
      </form>
      <ErrorMessage error={action.error} />
      {/* announced: the count and the replay's state changes, not each second's numbers */}
      <div role="status" aria-live="polite" class="result">
        {counted ? (
          <p>
            {counted.matched} event{counted.matched === 1 ? '' : 's'} of this subscription in the range ({counted.read} of {counted.planned} records read).
          </p>
        ) : null}
        {replay ? <p>{announcement(replay)}</p> : null}
      </div>
      {replay ? <ReplayProgress r={replay} /> : null}
      {counted ? (
        <button type="button" disabled={action.busy || running || counted.matched === 0} onClick={onReplay}>
          Replay {counted.matched} event{counted.matched === 1 ? '' : 's'}
        </button>
      ) : null}
      <h3>Past replays</h3>
      <Show loaded={past} what="replays">
        {(list) => (
          <DataTable
            rows={list}
            rowKey={(r) => r.id}
            empty="No replays yet."
            caption={`Past replays (${list.length})`}
            columns={[
              { header: 'Started', cell: (r) => <Time iso={r.startedAt} /> },
              {
                header: 'Range',
                cell: (r) => (
                  <>
                    <Time iso={r.from} /> – {r.to ? <Time iso={r.to} /> : 'its start'}
                  </>
                ),
              },
              { header: 'State', cellClass: 'wrap', cell: (r) => <ReplayState r={r} /> },
              { header: 'Matched', class: 'num', cell: (r) => r.matched },
              { header: 'Queued', class: 'num', cell: (r) => r.queued },
              { header: 'Already queued', class: 'num', cell: (r) => r.alreadyQueued },
            ]}
          />
        )}
      </Show>
    </section>
  );
}

function ReplayState({ r }: { r: EventReplayView }) {
  if (r.state === 'done') return <span class="badge ok">✓ done</span>;
  if (r.state === 'running') return <span class="badge info">running</span>;
  return (
    <>
      <span class="badge bad">{r.state}</span> {r.error ?? (r.state === 'interrupted' ? 'its ingress stopped; start it again' : '')}
    </>
  );
}

function announcement(r: EventReplayView): string {
  if (r.state === 'running') return 'Replay running…';
  if (r.state === 'done')
    return `Replay done: ${r.queued} event${r.queued === 1 ? '' : 's'} queued${r.alreadyQueued ? `, ${r.alreadyQueued} already queued by an earlier run` : ''}.`;
  if (r.state === 'failed') return `Replay failed${r.error ? `: ${r.error}` : '.'}`;
  return 'Replay interrupted: its ingress stopped. Count and replay the same range again; nothing is queued twice.';
}

function ReplayProgress({ r }: { r: EventReplayView }) {
  const id = useId('replay-progress');
  return (
    <div class="replay-progress">
      <label for={id}>Replay progress</label>
      <progress id={id} max={Math.max(r.planned, 1)} value={r.state === 'done' ? Math.max(r.planned, 1) : r.read} />
      <p>
        <ReplayState r={r} /> {r.read} of {r.planned} records read · {r.matched} matched · {r.queued} queued
        {r.alreadyQueued ? ` · ${r.alreadyQueued} already queued by an earlier run` : ''}
      </p>
    </div>
  );
}
