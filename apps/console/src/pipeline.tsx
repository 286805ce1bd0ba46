import type { ParkedCommandView, ParkedRecordView, PipelineView } from '@scimflow/contracts/views';
import { admin } from './api';
import { DataTable, SrOnly } from './table';
import { ErrorMessage, Show, Time, useAction, useLoad, useRefresh } from './ui';

/** The pipeline's backlog at a glance: consumer lag, outbox, parked commands and records (with redrive/discard). */
export function PipelinePage() {
  const pipeline = useLoad(() => admin.get<PipelineView>('/admin/pipeline'), []);
  const commands = useLoad(() => admin.get<ParkedCommandView[]>('/admin/parked-commands?limit=100'), []);
  const records = useLoad(() => admin.get<ParkedRecordView[]>('/admin/parked-records?limit=100'), []);
  const action = useAction();
  useRefresh(pipeline.reload, 10_000);
  const act = async (path: string, reload: () => void) => {
    if (await action.run(() => admin.post(path))) {
      reload();
      pipeline.reload();
    }
  };
  return (
    <>
      <h1>Pipeline</h1>
      <Show loaded={pipeline} what="the pipeline">
        {(p) => (
          <>
            <ul class="stats" aria-label="Backlog">
              <Stat label="Outbox depth" value={p.outbox.depth} note={p.outbox.oldestAgeSeconds === null ? 'empty' : `oldest ${p.outbox.oldestAgeSeconds} s`} />
              <Stat label="Parked commands" value={p.parkedCommands} bad={p.parkedCommands > 0} />
              <Stat label="Parked records" value={p.parkedRecords} bad={p.parkedRecords > 0} />
              <Stat label="Webhook backlog" value={p.webhookBacklog} />
              <Stat label="Dead letters" value={p.deadLetters} bad={p.deadLetters > 0} />
            </ul>
            <section class="card">
              <h2>Consumer lag</h2>
              <DataTable
                rows={p.consumerLag}
                rowKey={(l) => `${l.group}/${l.topic}/${l.partition}`}
                empty="No committed offsets yet."
                columns={[
                  { header: 'Consumer group', cellClass: 'mono', cell: (l) => l.group },
                  { header: 'Topic', cellClass: 'mono', cell: (l) => l.topic },
                  { header: 'Partition', class: 'num', cell: (l) => l.partition },
                  { header: 'Lag', class: 'num', cell: (l) => (l.lag > 0 ? <span class="badge warn">{l.lag}</span> : 0) },
                ]}
              />
            </section>
          </>
        )}
      </Show>
      <ErrorMessage error={action.error} />
      <section class="card">
        <h2>Parked commands</h2>
        <p class="hint">Commands the reconciler parked after transient failures (retried with backoff), and those of the same user waiting behind them.</p>
        <Show loaded={commands} what="parked commands">
          {(list) => (
            <DataTable
              rows={list}
              rowKey={(c) => c.id}
              empty="No parked commands."
              columns={[
                { header: 'Parked', cell: (c) => <Time iso={c.parkedAt} /> },
                {
                  header: 'Command',
                  cell: (c) => (
                    <>
                      {c.resourceType} {c.action}
                      <div class="sub mono">{c.resourceId}</div>
                    </>
                  ),
                },
                {
                  header: 'State',
                  cell: (c) => (
                    <>
                      {c.state === 'failing' ? <span class="badge bad">failing</span> : <span class="badge info">waiting</span>} · {c.attempts} attempts
                    </>
                  ),
                },
                { header: 'Error', cellClass: 'wrap', cell: (c) => c.error ?? '' },
                {
                  header: <SrOnly>Actions</SrOnly>,
                  cellClass: 'buttons',
                  cell: (c) => (
                    <Actions
                      path={`/admin/parked-commands/${encodeURIComponent(c.id)}`}
                      what={`${c.action} ${c.resourceId}`}
                      busy={action.busy}
                      act={(path) => act(path, commands.reload)}
                    />
                  ),
                },
              ]}
            />
          )}
        </Show>
      </section>
      <section class="card">
        <h2>Parked records</h2>
        <p class="hint">Events that could not be published (relay) or queued for webhooks (intake); that key's later events wait behind them.</p>
        <Show loaded={records} what="parked records">
          {(list) => (
            <DataTable
              rows={list}
              rowKey={(r) => r.id}
              empty="No parked records."
              columns={[
                { header: 'Parked', cell: (r) => <Time iso={r.parkedAt} /> },
                { header: 'Stage', cell: (r) => r.stage },
                {
                  header: 'Topic and key',
                  cell: (r) => (
                    <>
                      <span class="mono">{r.topic}</span>
                      <div class="sub mono">{r.key}</div>
                    </>
                  ),
                },
                { header: 'Error', cellClass: 'wrap', cell: (r) => r.error },
                {
                  header: <SrOnly>Actions</SrOnly>,
                  cellClass: 'buttons',
                  cell: (r) => (
                    <Actions
                      path={`/admin/parked-records/${encodeURIComponent(r.id)}`}
                      what={r.key}
                      busy={action.busy}
                      act={(path) => act(path, records.reload)}
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

/** Redrive and discard of a parked command or record at `path`; `what` names it for screen readers. */
function Actions({ path, what, busy, act }: { path: string; what: string; busy: boolean; act: (path: string) => void }) {
  return (
    <>
      <button type="button" class="small" disabled={busy} onClick={() => act(`${path}/redrive`)}>
        Redrive<span class="sr-only"> {what}</span>
      </button>
      <button type="button" class="danger small" disabled={busy} onClick={() => act(`${path}/discard`)}>
        Discard<span class="sr-only"> {what}</span>
      </button>
    </>
  );
}

function Stat({ label, value, note, bad }: { label: string; value: number; note?: string; bad?: boolean }) {
  return (
    <li class={`stat${bad ? ' bad' : ''}`}>
      <span class="stat-value">{value}</span>
      <span class="stat-label">{label}</span>
      {note ? <span class="sub">{note}</span> : null}
    </li>
  );
}
