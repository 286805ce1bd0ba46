/**
 * scimflow's events API from a product service: the tenant's change events in commit order (`events()`), the state
 * pull (`state()`), and the rule that joins them without losing or applying anything twice (`isReflectedIn`).
 * Node 20+ (global fetch); no dependencies.
 */
import type { ChangeEvent, StateGroup, StateUser } from './events';

export type { ChangeEvent, CloudEvent, StateGroup, StateUser } from './events';

export interface EventsPage {
  events: { cursor: string; event: ChangeEvent }[];
  /** where to continue: pass it as `after` */
  cursor: string;
  /** true when the page was full: more events are there at once */
  more: boolean;
}

export interface Snapshot {
  users: StateUser[];
  groups: StateGroup[];
  /** follow the events from here (`events({ after: snapshot.eventsCursor })`), skipping those `isReflectedIn` the snapshot */
  eventsCursor: string;
}

export interface ScimflowClientOptions {
  /** the scimflow ingress, e.g. https://scim.example.com */
  baseUrl: string;
  /** the tenant's product credential, `sfp_…` */
  credential: string;
  /** first and longest pause between retries of a failed request (network error, 429, 5xx); default 200 ms and 10 s */
  retryMinMs?: number;
  retryMaxMs?: number;
  fetch?: typeof fetch;
}

export interface EventsOptions {
  /** a cursor from a previous page or event, or a snapshot's eventsCursor; absent: from the oldest retained event */
  after?: string;
  /** event types, exact or a prefix ending in `*` (`dev.scimflow.user.*`) */
  types?: string[];
  /** how long each request long-polls for new events (seconds, at most 30; default 30) */
  waitSeconds?: number;
  /** events per request (1 to 1000; default 100) */
  limit?: number;
  signal?: AbortSignal;
}

/** An error answer of the API (SCIM error body) that retrying does not fix. */
export class EventsApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`scimflow events API ${status}: ${detail}`);
    this.name = 'EventsApiError';
  }
}

/** 410: the cursor is older than the tenant's retention. Resync: `state()`, then follow from its eventsCursor. */
export class CursorExpiredError extends EventsApiError {
  constructor(detail: string) {
    super(410, detail);
    this.name = 'CursorExpiredError';
  }
}

/**
 * The events as an async iterable that reconnects (with backoff) through network errors, 429, 5xx and restarts of
 * scimflow. `cursor` is the position after the last event yielded: store it with what you did with the event.
 */
export class EventStream implements AsyncIterable<ChangeEvent> {
  cursor: string | undefined;

  constructor(
    private readonly client: ScimflowEventsClient,
    private readonly options: EventsOptions,
  ) {
    this.cursor = options.after;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ChangeEvent> {
    const { signal } = this.options;
    while (!signal?.aborted) {
      const page = await this.client.page({ ...this.options, after: this.cursor, waitSeconds: this.options.waitSeconds ?? 30 });
      for (const { cursor, event } of page.events) {
        this.cursor = cursor;
        yield event;
        if (signal?.aborted) return;
      }
      this.cursor = page.cursor;
    }
  }
}

/** The resource whose version an event advances: user and membership events the user's, group events the group's. */
export function resourceOf(event: ChangeEvent): { kind: 'user' | 'group'; id: string } | undefined {
  if (event.type.startsWith('dev.scimflow.group.')) return event.data.groupId ? { kind: 'group', id: event.data.groupId } : undefined;
  return event.data.userId ? { kind: 'user', id: event.data.userId } : undefined;
}

/** The versions a snapshot holds, for `isReflectedIn`. */
export function snapshotVersions(snapshot: Pick<Snapshot, 'users' | 'groups'>): Map<string, number> {
  const versions = new Map<string, number>();
  for (const u of snapshot.users) versions.set(`user:${u.id}`, u.version);
  for (const g of snapshot.groups) versions.set(`group:${g.id}`, g.version);
  return versions;
}

/**
 * True when the snapshot already holds the change: its resource was loaded at a version >= the event's sequence.
 * Skip those events while following from the snapshot's eventsCursor; apply every other one.
 */
export function isReflectedIn(event: ChangeEvent, versions: Map<string, number>): boolean {
  const resource = resourceOf(event);
  if (!resource) return false;
  const loaded = versions.get(`${resource.kind}:${resource.id}`);
  return loaded !== undefined && event.sequence <= loaded;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

export class ScimflowEventsClient {
  private readonly fetch: typeof fetch;
  private readonly baseUrl: string;

  constructor(private readonly options: ScimflowClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** `for await (const event of client.events({ after }))`: every event after the cursor, then new ones as they come. */
  events(options: EventsOptions = {}): EventStream {
    return new EventStream(this, options);
  }

  /** One request of the events API (retried through transient failures). */
  async page(options: EventsOptions = {}): Promise<EventsPage> {
    const query = new URLSearchParams();
    if (options.after) query.set('after', options.after);
    if (options.types?.length) query.set('types', options.types.join(','));
    if (options.limit) query.set('limit', String(options.limit));
    if (options.waitSeconds) query.set('wait', `${options.waitSeconds}s`);
    return this.get<EventsPage>(`/api/v1/events?${query}`, options.signal);
  }

  /**
   * The tenant's users and groups (every page), and the events cursor to follow from. Users are loaded first and the
   * cursor is the one of their first page: a change made while the pages are read is then in the events after it,
   * and `isReflectedIn` tells which of those the snapshot already holds.
   */
  async state(options: { pageSize?: number; signal?: AbortSignal } = {}): Promise<Snapshot> {
    const users = await this.pull<StateUser>('users', options);
    const groups = await this.pull<StateGroup>('groups', options);
    return { users: users.items, groups: groups.items, eventsCursor: users.eventsCursor };
  }

  private async pull<T>(kind: 'users' | 'groups', options: { pageSize?: number; signal?: AbortSignal }): Promise<{ items: T[]; eventsCursor: string }> {
    const items: T[] = [];
    let cursor: string | null = null;
    let eventsCursor: string | undefined;
    do {
      const query = new URLSearchParams({ limit: String(options.pageSize ?? 500) });
      if (cursor) query.set('cursor', cursor);
      const page: { items: T[]; eventsCursor: string; nextCursor: string | null } = await this.get(`/api/v1/${kind}?${query}`, options.signal);
      items.push(...page.items);
      eventsCursor ??= page.eventsCursor;
      cursor = page.nextCursor;
    } while (cursor);
    return { items, eventsCursor: eventsCursor! };
  }

  private async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const min = this.options.retryMinMs ?? 200;
    const max = this.options.retryMaxMs ?? 10_000;
    for (let attempt = 0; ; attempt++) {
      let response: Response | undefined;
      try {
        response = await this.fetch(`${this.baseUrl}${path}`, {
          headers: { authorization: `Bearer ${this.options.credential}`, accept: 'application/json' },
          signal,
        });
      } catch (e) {
        if (signal?.aborted) throw e;
      }
      if (response?.ok) return (await response.json()) as T;
      if (response && response.status !== 429 && response.status < 500) {
        const body = (await response.json().catch(() => ({}))) as { detail?: string };
        const detail = body.detail ?? response.statusText;
        throw response.status === 410 ? new CursorExpiredError(detail) : new EventsApiError(response.status, detail);
      }
      await response?.body?.cancel().catch(() => undefined);
      const retryAfter = Number(response?.headers.get('retry-after'));
      await sleep(retryAfter > 0 ? retryAfter * 1000 : Math.min(max, min * 2 ** attempt), signal);
      if (signal?.aborted) throw new Error('aborted');
    }
  }
}
