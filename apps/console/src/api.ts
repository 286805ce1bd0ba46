import type { ScimErrorBody } from '@scimflow/scim/errors';
import type { ConsoleSessionView } from '@scimflow/contracts/views';

/** An API call that did not succeed: `message` is the SCIM error's `detail` (what the user is shown). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly scimType?: string,
  ) {
    super(message);
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The server's clock minus this browser's, from the last answer's Date header (a customer's laptop may be off). */
let clockSkewMs = 0;

/** Now by the server's clock (to the second), for `since` parameters compared with server timestamps. */
export function serverNow(): number {
  return Date.now() + clockSkewMs;
}

async function request<T>(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<T> {
  const h: Record<string, string> = { accept: 'application/json', ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, { method, headers: h, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'The server could not be reached. Check your connection and try again.');
  }
  const date = Date.parse(res.headers.get('date') ?? '');
  if (!Number.isNaN(date)) clockSkewMs = date - Date.now();
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const err = (parsed ?? {}) as Partial<ScimErrorBody>;
    throw new ApiError(res.status, err.detail || `${res.status} ${res.statusText || 'request failed'}`, err.scimType);
  }
  return parsed as T;
}

/** The operator's API: the session cookie plus the CSRF token on every unsafe method. */
export class AdminApi {
  csrfToken: string | null = null;
  /** Called when a call answers 401: the session expired or was revoked. */
  onUnauthorized: () => void = () => undefined;

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (UNSAFE.has(method) && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    try {
      return await request<T>(method, path, headers, body);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401 && !path.startsWith('/console/api/session')) this.onUnauthorized();
      throw e;
    }
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body ?? {});
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, body);
  }
  del<T = void>(path: string): Promise<T> {
    return this.call<T>('DELETE', path);
  }

  async resume(): Promise<ConsoleSessionView | null> {
    try {
      const s = await request<ConsoleSessionView>('GET', '/console/api/session', {});
      this.csrfToken = s.csrfToken;
      return s;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  }

  async signIn(adminToken: string): Promise<ConsoleSessionView> {
    const s = await request<ConsoleSessionView>('POST', '/console/api/session', {}, { adminToken });
    this.csrfToken = s.csrfToken;
    return s;
  }

  async signOut(): Promise<void> {
    const headers: Record<string, string> = this.csrfToken ? { 'x-csrf-token': this.csrfToken } : {};
    try {
      await request<void>('DELETE', '/console/api/session', headers);
    } finally {
      this.csrfToken = null;
    }
  }
}

/** The setup page's API: the setup link's token as a bearer credential, never a cookie. */
export class SetupApi {
  constructor(private readonly token: string) {}

  get<T>(path: string): Promise<T> {
    return request<T>('GET', `/console/api/setup${path}`, { authorization: `Bearer ${this.token}` });
  }
  post<T>(path: string, body: unknown): Promise<T> {
    return request<T>('POST', `/console/api/setup${path}`, { authorization: `Bearer ${this.token}` }, body);
  }
}

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The operator app's one client. */
export const admin = new AdminApi();
