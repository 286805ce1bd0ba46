import { OAuthError } from './oauth-error';

describe('OAuthError', () => {
  it('has the status of its code (RFC 6749 §5.2), or the one it is given, and is never cached', () => {
    expect(new OAuthError('invalid_request', 'x').status).toBe(400);
    expect(new OAuthError('invalid_client', 'x').status).toBe(401);
    expect(new OAuthError('invalid_client', 'x').headers).toMatchObject({
      'WWW-Authenticate': 'Basic realm="scimflow", charset="UTF-8"',
      'Cache-Control': 'no-store',
    });
    expect(new OAuthError('server_error', 'x').status).toBe(500);
    expect(new OAuthError('temporarily_unavailable', 'x').status).toBe(503);
    const limited = new OAuthError('temporarily_unavailable', 'slow down', { status: 429, headers: { 'Retry-After': '2', 'Cache-Control': 'public' } });
    expect(limited.status).toBe(429);
    expect(limited.headers).toEqual({ 'Retry-After': '2', 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    expect(limited.toBody()).toEqual({ error: 'temporarily_unavailable', error_description: 'slow down' });
  });
});
