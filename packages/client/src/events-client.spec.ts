import { ChangeEvent, CursorExpiredError, isReflectedIn, ScimflowEventsClient, snapshotVersions } from './events-client';

const event = (type: string, sequence: number, data: Record<string, unknown>): ChangeEvent =>
  ({
    specversion: '1.0',
    id: `${type}-${sequence}`,
    source: 's',
    type,
    subject: 'x',
    time: 't',
    datacontenttype: 'application/json',
    dataschema: 'd',
    tenantid: 't',
    sequence,
    data,
  }) as ChangeEvent;

describe('isReflectedIn', () => {
  const versions = snapshotVersions({ users: [{ id: 'u1', version: 3 } as never], groups: [{ id: 'g1', version: 2 } as never] });

  it('skips events a loaded resource already holds, by its own sequence', () => {
    expect(isReflectedIn(event('dev.scimflow.user.updated.v1', 3, { userId: 'u1' }), versions)).toBe(true);
    expect(isReflectedIn(event('dev.scimflow.membership.added.v1', 4, { userId: 'u1', groupId: 'g1' }), versions)).toBe(false);
    expect(isReflectedIn(event('dev.scimflow.group.updated.v1', 2, { groupId: 'g1' }), versions)).toBe(true);
    expect(isReflectedIn(event('dev.scimflow.group.updated.v1', 3, { groupId: 'g1' }), versions)).toBe(false);
    expect(isReflectedIn(event('dev.scimflow.user.created.v1', 1, { userId: 'u2' }), versions)).toBe(false);
  });
});

describe('ScimflowEventsClient', () => {
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('follows pages, keeps the cursor of the last event yielded, and retries through 5xx and network errors', async () => {
    const answers: (() => Response)[] = [
      () => json(503, { detail: 'restarting' }),
      () => {
        throw new TypeError('fetch failed');
      },
      () =>
        json(200, {
          events: [
            { cursor: 'c1', event: event('dev.scimflow.user.created.v1', 1, { userId: 'u' }) },
            { cursor: 'c2', event: event('dev.scimflow.user.updated.v1', 2, { userId: 'u' }) },
          ],
          cursor: 'c2',
          more: false,
        }),
      () => json(200, { events: [], cursor: 'c9', more: false }),
      () => json(200, { events: [{ cursor: 'c10', event: event('dev.scimflow.user.deleted.v1', 3, { userId: 'u' }) }], cursor: 'c10', more: false }),
    ];
    const urls: string[] = [];
    const client = new ScimflowEventsClient({
      baseUrl: 'http://x/',
      credential: 'sfp_a',
      retryMinMs: 1,
      fetch: (async (url: string) => (urls.push(url), answers.shift()!())) as never,
    });
    const stream = client.events({ after: 'c0', waitSeconds: 5 });
    const seen: [number, string | undefined][] = [];
    for await (const e of stream) {
      seen.push([e.sequence, stream.cursor]);
      if (e.sequence === 3) break;
    }
    expect(seen).toEqual([
      [1, 'c1'],
      [2, 'c2'],
      [3, 'c10'],
    ]);
    expect(urls.map((u) => new URL(u).searchParams.get('after'))).toEqual(['c0', 'c0', 'c0', 'c2', 'c9']);
    expect(new URL(urls[0]).searchParams.get('wait')).toBe('5s');
  });

  it('throws CursorExpiredError on 410, without retrying', async () => {
    let calls = 0;
    const client = new ScimflowEventsClient({
      baseUrl: 'http://x',
      credential: 'sfp_a',
      fetch: (async () => (calls++, json(410, { detail: 'resync' }))) as never,
    });
    await expect(client.page({ after: 'old' })).rejects.toBeInstanceOf(CursorExpiredError);
    expect(calls).toBe(1);
  });
});
