/** A minimal SCIM HTTP client for tests, speaking as Entra does (application/scim+json, bearer token). */
export class ScimClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'application/scim+json',
        ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body: unknown) => this.request('POST', path, body);
  put = (path: string, body: unknown, headers?: Record<string, string>) => this.request('PUT', path, body, headers);
  patch = (path: string, body: unknown, headers?: Record<string, string>) => this.request('PATCH', path, body, headers);
  delete = (path: string) => this.request('DELETE', path);
}

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const patchOps = (...Operations: object[]) => ({ schemas: [PATCH_OP], Operations });

/** Entra's create-user body: `userName`, its work email (`email`, by default the userName), `extra` merged over. */
export const entraUser = (userName: string, extra: Record<string, unknown> = {}, email = userName) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName,
  externalId: userName.split('@')[0],
  active: true,
  emails: [{ primary: true, type: 'work', value: email }],
  name: { givenName: 'Given', familyName: 'Family' },
  ...extra,
});
