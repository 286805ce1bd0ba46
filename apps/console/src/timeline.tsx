import type { UserTimelineView } from '@scimflow/contracts/views';
import { admin } from './api';
import { Empty, Link, Show, StatusBadge, Time, useLoad } from './ui';

/** One user's story: the commands that changed it, the events they emitted and where each was delivered. */
export function UserTimelinePage({ tenantId, userId }: { tenantId: string; userId: string }) {
  const tl = useLoad(
    () => admin.get<UserTimelineView>(`/admin/tenants/${encodeURIComponent(tenantId)}/users/${encodeURIComponent(userId)}/timeline`),
    [tenantId, userId],
  );
  const back = `/console/tenants/${encodeURIComponent(tenantId)}/users`;
  return (
    <>
      <p class="crumbs">
        <Link href="/console">Tenants</Link> <span aria-hidden="true">›</span> <Link href={back}>Users</Link> <span aria-hidden="true">›</span>
      </p>
      <Show loaded={tl} what="the timeline">
        {(t) => (
          <>
            <h1>{t.user?.userName ?? userId}</h1>
            {t.user ? null : <p class="muted">The user no longer exists (or never did); its history is below.</p>}
            <div class="grid2">
              <section class="card">
                <h2>Commands</h2>
                {t.commands.length === 0 ? (
                  <Empty>No commands.</Empty>
                ) : (
                  <ol class="timeline">
                    {t.commands.map((c) => (
                      <li key={c.commandId}>
                        <Time iso={c.at} /> <strong>{c.operation}</strong> {c.status !== null ? <StatusBadge status={c.status} /> : null}{' '}
                        <span class={c.outcome === 'failure' ? 'text-bad' : ''}>{c.outcome}</span>
                        {c.detail ? <div class="sub">{c.detail}</div> : null}
                      </li>
                    ))}
                  </ol>
                )}
              </section>
              <section class="card">
                <h2>Events and deliveries</h2>
                {t.events.length === 0 ? (
                  <Empty>No events.</Empty>
                ) : (
                  <ol class="timeline">
                    {t.events.map((e) => (
                      <li key={e.eventId}>
                        {e.at ? <Time iso={e.at} /> : null} <strong>{e.type}</strong> {e.sequence !== null ? <span class="muted">#{e.sequence}</span> : null}
                        {e.deliveries.length ? (
                          <ul class="deliveries">
                            {e.deliveries.map((d) => (
                              <li key={d.subscriptionId}>
                                <span class={`badge ${d.status === 'delivered' ? 'ok' : d.status === 'dead' ? 'bad' : 'info'}`}>{d.status}</span>{' '}
                                <span class="mono">{d.url}</span> · {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
                                {d.lastError ? <div class="sub text-bad">{d.lastError}</div> : null}
                              </li>
                            ))}
                          </ul>
                        ) : (
                          <div class="sub">no subscriptions</div>
                        )}
                      </li>
                    ))}
                  </ol>
                )}
              </section>
            </div>
            {t.user ? (
              <details class="card">
                <summary>The user's record</summary>
                <pre tabIndex={0}>{JSON.stringify(t.user, null, 2)}</pre>
              </details>
            ) : null}
          </>
        )}
      </Show>
    </>
  );
}
