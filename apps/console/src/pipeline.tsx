import { useEffect } from 'preact/hooks';
import { admin } from './api';
import type { ParkedCommand, ParkedRecord, Pipeline } from './types';
import { Empty, ErrorMessage, Show, Time, useAction, useLoad } from './ui';

/** The pipeline's backlog at a glance: consumer lag, outbox, parked commands and records (with redrive/discard). */
export function PipelinePage() {
  const pipeline = useLoad(() => admin.get<Pipeline>('/admin/pipeline'), []);
  const commands = useLoad(() => admin.get<ParkedCommand[]>('/admin/parked-commands?limit=100'), []);
  const records = useLoad(() => admin.get<ParkedRecord[]>('/admin/parked-records?limit=100'), []);
  const action = useAction();
  useEffect(() => {
    const t = setInterval(pipeline.reload, 10_000);
    return () => clearInterval(t);
  }, [pipeline.reload]);
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
              {p.consumerLag.length === 0 ? (
                <Empty>No committed offsets yet.</Empty>
              ) : (
                <div class="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Consumer group</th>
                        <th scope="col">Topic</th>
                        <th scope="col" class="num">Partition</th>
                        <th scope="col" class="num">Lag</th>
                      </tr>
                    </thead>
                    <tbody>
                      {p.consumerLag.map((l) => (
                        <tr key={`${l.group}/${l.topic}/${l.partition}`}>
                          <td class="mono">{l.group}</td>
                          <td class="mono">{l.topic}</td>
                          <td class="num">{l.partition}</td>
                          <td class="num">{l.lag > 0 ? <span class="badge warn">{l.lag}</span> : 0}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          </>
        )}
      </Show>
      <ErrorMessage error={action.error} />
      <section class="card">
        <h2>Parked commands</h2>
        <p class="hint">Commands the reconciler parked after transient failures (retried with backoff), and those of the same user waiting behind them.</p>
        <Show loaded={commands} what="parked commands">
          {(list) =>
            list.length === 0 ? (
              <Empty>No parked commands.</Empty>
            ) : (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Parked</th>
                      <th scope="col">Command</th>
                      <th scope="col">State</th>
                      <th scope="col">Error</th>
                      <th scope="col">
                        <span class="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((c) => (
                      <tr key={c.id}>
                        <td>
                          <Time iso={c.parkedAt} />
                        </td>
                        <td>
                          {c.resourceType} {c.action}
                          <div class="sub mono">{c.resourceId}</div>
                        </td>
                        <td>
                          {c.state === 'failing' ? <span class="badge bad">failing</span> : <span class="badge info">waiting</span>} · {c.attempts} attempts
                        </td>
                        <td class="wrap">{c.error ?? ''}</td>
                        <td class="buttons">
                          <button type="button" class="small" disabled={action.busy} onClick={() => act(`/admin/parked-commands/${encodeURIComponent(c.id)}/redrive`, commands.reload)}>
                            Redrive<span class="sr-only"> {c.action} {c.resourceId}</span>
                          </button>
                          <button type="button" class="danger small" disabled={action.busy} onClick={() => act(`/admin/parked-commands/${encodeURIComponent(c.id)}/discard`, commands.reload)}>
                            Discard<span class="sr-only"> {c.action} {c.resourceId}</span>
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Show>
      </section>
      <section class="card">
        <h2>Parked records</h2>
        <p class="hint">Events that could not be published (relay) or queued for webhooks (intake); that key's later events wait behind them.</p>
        <Show loaded={records} what="parked records">
          {(list) =>
            list.length === 0 ? (
              <Empty>No parked records.</Empty>
            ) : (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Parked</th>
                      <th scope="col">Stage</th>
                      <th scope="col">Topic and key</th>
                      <th scope="col">Error</th>
                      <th scope="col">
                        <span class="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((r) => (
                      <tr key={r.id}>
                        <td>
                          <Time iso={r.parkedAt} />
                        </td>
                        <td>{r.stage}</td>
                        <td>
                          <span class="mono">{r.topic}</span>
                          <div class="sub mono">{r.key}</div>
                        </td>
                        <td class="wrap">{r.error}</td>
                        <td class="buttons">
                          <button type="button" class="small" disabled={action.busy} onClick={() => act(`/admin/parked-records/${encodeURIComponent(r.id)}/redrive`, records.reload)}>
                            Redrive<span class="sr-only"> {r.key}</span>
                          </button>
                          <button type="button" class="danger small" disabled={action.busy} onClick={() => act(`/admin/parked-records/${encodeURIComponent(r.id)}/discard`, records.reload)}>
                            Discard<span class="sr-only"> {r.key}</span>
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Show>
      </section>
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
