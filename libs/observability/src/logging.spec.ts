import pino from 'pino';
import { Writable } from 'node:stream';
import { loggingParams, REDACTED_PATHS } from './logging';

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

  it('maps Nest log levels to pino levels', () => {
    expect((loggingParams('x', 'log', true).pinoHttp as { level: string }).level).toBe('info');
    expect((loggingParams('x', 'verbose', true).pinoHttp as { level: string }).level).toBe('trace');
    expect((loggingParams('x', 'warn', true).pinoHttp as { level: string }).level).toBe('warn');
  });

  it('keeps a well-formed caller request id and replaces a hostile one', () => {
    const genReqId = (loggingParams('x', 'log', true).pinoHttp as { genReqId: (req: unknown, res: unknown) => string }).genReqId;
    const res = { headers: {} as Record<string, string>, setHeader(k: string, v: string) { this.headers[k] = v; } };
    expect(genReqId({ headers: { 'x-request-id': 'abc-123' } }, res)).toBe('abc-123');
    expect(res.headers['X-Request-Id']).toBe('abc-123');
    expect(genReqId({ headers: { 'x-request-id': 'bad id\nwith newline' } }, res)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
