import pino from 'pino';
import { Writable } from 'node:stream';
import { loggingParams, REDACTED_PATHS, redactUrlCredentials } from './logging';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('logging', () => {
  it('redacts credentials wherever they appear', () => {
    const { lines, stream } = capture();
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream);
    logger.info({
      req: { headers: { authorization: 'Bearer scimflow_abc_secret', cookie: 'c' }, body: { client_secret: 's3', client_assertion: 'jwt' } },
      tenant: { token: 'scimflow_x_y', secret: 'whsec_z', clientSecret: 'cs' },
    });
    const line = lines.join('');
    for (const secret of ['scimflow_abc_secret', 's3', 'jwt', 'scimflow_x_y', 'whsec_z', '"cs"']) expect(line).not.toContain(secret);
    expect(line).toContain('[redacted]');
  });

  it('redacts credential-looking query parameters of a URL and keeps the rest as sent', () => {
    expect(redactUrlCredentials('/scim/v2/t/Users?filter=userName%20eq%20%22a%22&access_token=eyJ.x.y&count=5')).toBe(
      '/scim/v2/t/Users?filter=userName%20eq%20%22a%22&access_token=[redacted]&count=5',
    );
    const secrets = [
      'access_token',
      'client_secret',
      'code',
      'token',
      'refresh_token',
      'id_token',
      'client_assertion',
      'password',
      'api_key',
      'apiKey',
      'sig',
      'signature',
      'ACCESS_TOKEN',
      'access%5Ftoken',
      'access_token[]',
      'client_secret[a]',
      'x+token',
    ];
    for (const name of secrets) expect(redactUrlCredentials(`/a?${name}=s3cr3t&b=1`)).toBe(`/a?${name}=[redacted]&b=1`);
    // a credential without "=", a malformed escape before it, a fragment after it
    expect(redactUrlCredentials('/a?token')).toBe('/a?token=[redacted]');
    expect(redactUrlCredentials('/a?x=%E0%A4%A&token=s3cr3t')).toBe('/a?x=%E0%A4%A&token=[redacted]');
    expect(redactUrlCredentials('/a?%E0%A4%Atoken=s3cr3t')).toBe('/a?%E0%A4%Atoken=[redacted]');
    expect(redactUrlCredentials('/a?token=s3cr3t#frag')).toBe('/a?token=[redacted]');
    for (const url of ['/a', '/a?', '/a?filter=token%20eq%20%22x%22', '/a?startIndex=1&count=2&attributes=userName', '/a?encoding=x&barcode=1'])
      expect(redactUrlCredentials(url)).toBe(url);
  });

  it('maps Nest log levels to pino levels', () => {
    expect((loggingParams('x', 'log', true).pinoHttp as { level: string }).level).toBe('info');
    expect((loggingParams('x', 'verbose', true).pinoHttp as { level: string }).level).toBe('trace');
    expect((loggingParams('x', 'warn', true).pinoHttp as { level: string }).level).toBe('warn');
  });

  it('keeps a well-formed caller request id and replaces a hostile one', () => {
    const genReqId = (loggingParams('x', 'log', true).pinoHttp as { genReqId: (req: unknown, res: unknown) => string }).genReqId;
    const res = {
      headers: {} as Record<string, string>,
      setHeader(k: string, v: string) {
        this.headers[k] = v;
      },
    };
    expect(genReqId({ headers: { 'x-request-id': 'abc-123' } }, res)).toBe('abc-123');
    expect(res.headers['X-Request-Id']).toBe('abc-123');
    expect(genReqId({ headers: { 'x-request-id': 'bad id\nwith newline' } }, res)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('request log lines', () => {
  // pino-http with the apps' parameters, on plain Node request and response objects
  async function logRequest(level: string, status: number, url = '/scim/v2/t1/Users?filter=userName%20eq%20%22a%22'): Promise<Record<string, unknown>[]> {
    const { default: pinoHttp } = await import('pino-http');
    const { EventEmitter } = await import('node:events');
    const { lines, stream } = capture();
    const middleware = pinoHttp({ ...(loggingParams('ingress', level, true).pinoHttp as object), stream } as never);
    const req = Object.assign(new EventEmitter(), {
      method: 'GET',
      url,
      headers: { authorization: 'Bearer scimflow_abc_secret', 'x-request-id': 'req-1' },
      params: { tenantId: 't1' },
      socket: {},
    });
    const res = Object.assign(new EventEmitter(), {
      statusCode: status,
      headers: {} as Record<string, string>,
      setHeader(k: string, v: string) {
        this.headers[k] = v;
      },
      getHeader() {
        return undefined;
      },
    });
    middleware(req as never, res as never, () => undefined);
    res.emit('finish');
    return lines
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  it('writes one line per request with its id, method, URL, status and tenant, and no credentials', async () => {
    const [line, ...more] = await logRequest('log', 200);
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      app: 'ingress',
      tenantId: 't1',
      req: { id: 'req-1', method: 'GET', url: '/scim/v2/t1/Users?filter=userName%20eq%20%22a%22' },
      res: { statusCode: 200 },
    });
    expect(Object.keys(line.req as object).sort()).toEqual(['id', 'method', 'url']);
    expect(JSON.stringify(line)).not.toContain('scimflow_abc_secret');
  });

  it('writes a refused request with a token in its URL without the token', async () => {
    const [line] = await logRequest('log', 401, '/scim/v2/t1/Users?access_token=eyJhbGciOi.secret.sig&client_secret=cs_123');
    expect(line).toMatchObject({ req: { url: '/scim/v2/t1/Users?access_token=[redacted]&client_secret=[redacted]' } });
    for (const secret of ['eyJhbGciOi.secret.sig', 'cs_123']) expect(JSON.stringify(line)).not.toContain(secret);
  });

  it('writes nothing for a successful request below the configured level, and warns on a 4xx', async () => {
    expect(await logRequest('warn', 200)).toEqual([]);
    expect(await logRequest('warn', 404)).toEqual([expect.objectContaining({ level: 40, res: { statusCode: 404 } })]);
  });
});
