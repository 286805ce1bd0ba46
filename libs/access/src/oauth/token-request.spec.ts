import fc from 'fast-check';
import { OAuthError } from './oauth-error';
import { JWT_BEARER_ASSERTION_TYPE, JWT_BEARER_GRANT, parseTokenRequest, RawTokenRequest } from './token-request';

const FORM = 'application/x-www-form-urlencoded';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

function errorOf(raw: RawTokenRequest): OAuthError {
  try {
    parseTokenRequest(raw);
  } catch (e) {
    if (e instanceof OAuthError) return e;
    throw e;
  }
  throw new Error('expected an OAuthError');
}

describe('parseTokenRequest', () => {
  it('client_secret_basic', () => {
    expect(parseTokenRequest({ contentType: FORM, authorization: basic('sfc_1', 's3cret'), body: { grant_type: 'client_credentials' } })).toEqual({
      grantType: 'client_credentials',
      client: { method: 'client_secret_basic', clientId: 'sfc_1', clientSecret: 's3cret' },
    });
  });

  it('client_secret_basic form-decodes id and secret (RFC 6749 §2.3.1) and allows ":" in the secret', () => {
    const req = parseTokenRequest({
      contentType: `${FORM}; charset=UTF-8`,
      authorization: basic('a%2Bb', 'x%3Ay+z:w'),
      body: { grant_type: 'client_credentials' },
    });
    expect(req.client).toEqual({ method: 'client_secret_basic', clientId: 'a+b', clientSecret: 'x:y z:w' });
  });

  it('client_secret_post, scope accepted and ignored', () => {
    expect(
      parseTokenRequest({ contentType: FORM, body: { grant_type: 'client_credentials', client_id: 'sfc_1', client_secret: 's', scope: 'scim' } }).client,
    ).toEqual({
      method: 'client_secret_post',
      clientId: 'sfc_1',
      clientSecret: 's',
    });
  });

  it('client_assertion (workload identity federation), client_id optional', () => {
    const body = { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: 'a.b.c' };
    expect(parseTokenRequest({ contentType: FORM, body }).client).toEqual({ method: 'client_assertion', assertion: 'a.b.c' });
    expect(parseTokenRequest({ contentType: FORM, body: { ...body, client_id: 'sfc_1' } }).client).toEqual({
      method: 'client_assertion',
      clientId: 'sfc_1',
      assertion: 'a.b.c',
    });
  });

  it('the JWT bearer grant (RFC 7523 §2.1) needs no client authentication', () => {
    expect(parseTokenRequest({ contentType: FORM, body: { grant_type: JWT_BEARER_GRANT, assertion: 'a.b.c' } })).toEqual({
      grantType: JWT_BEARER_GRANT,
      assertion: 'a.b.c',
      client: { method: 'none' },
    });
  });

  it.each<[string, RawTokenRequest, string, number, RegExp]>([
    ['JSON body', { contentType: 'application/json', body: { grant_type: 'client_credentials' } }, 'invalid_request', 400, /x-www-form-urlencoded/],
    ['no content type', { body: {} }, 'invalid_request', 400, /x-www-form-urlencoded/],
    ['no grant_type', { contentType: FORM, body: { client_id: 'a', client_secret: 'b' } }, 'invalid_request', 400, /"grant_type" is missing/],
    ['password grant', { contentType: FORM, body: { grant_type: 'password' } }, 'unsupported_grant_type', 400, /"password" is not supported/],
    ['authorization_code grant', { contentType: FORM, body: { grant_type: 'authorization_code', code: 'x' } }, 'unsupported_grant_type', 400, /not supported/],
    [
      'a repeated parameter',
      { contentType: FORM, body: { grant_type: ['client_credentials', 'client_credentials'] } },
      'invalid_request',
      400,
      /more than once/,
    ],
    ['a nested parameter', { contentType: FORM, body: { grant_type: { a: 1 } } }, 'invalid_request', 400, /malformed/],
    ['no client authentication', { contentType: FORM, body: { grant_type: 'client_credentials', client_id: 'a' } }, 'invalid_client', 401, /required/],
    [
      'two methods',
      { contentType: FORM, authorization: basic('a', 'b'), body: { grant_type: 'client_credentials', client_secret: 'b' } },
      'invalid_request',
      400,
      /More than one/,
    ],
    [
      'basic + assertion',
      {
        contentType: FORM,
        authorization: basic('a', 'b'),
        body: { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: 'x' },
      },
      'invalid_request',
      400,
      /More than one/,
    ],
    [
      'client_id differing from Basic',
      { contentType: FORM, authorization: basic('a', 'b'), body: { grant_type: 'client_credentials', client_id: 'z' } },
      'invalid_request',
      400,
      /differs/,
    ],
    [
      'Bearer authorization',
      { contentType: FORM, authorization: 'Bearer xyz', body: { grant_type: 'client_credentials' } },
      'invalid_client',
      401,
      /Only Basic/,
    ],
    [
      'Basic without colon',
      { contentType: FORM, authorization: `Basic ${Buffer.from('nocolon').toString('base64')}`, body: { grant_type: 'client_credentials' } },
      'invalid_client',
      401,
      /malformed/,
    ],
    [
      'Basic with bad percent-encoding',
      { contentType: FORM, authorization: basic('%zz', 'b'), body: { grant_type: 'client_credentials' } },
      'invalid_client',
      401,
      /malformed/,
    ],
    [
      'post without client_id',
      { contentType: FORM, body: { grant_type: 'client_credentials', client_secret: 'b' } },
      'invalid_request',
      400,
      /"client_id" is missing/,
    ],
    [
      'wrong assertion type',
      { contentType: FORM, body: { grant_type: 'client_credentials', client_assertion_type: 'saml', client_assertion: 'x' } },
      'invalid_request',
      400,
      /client_assertion_type/,
    ],
    [
      'assertion type without assertion',
      { contentType: FORM, body: { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER_ASSERTION_TYPE } },
      'invalid_request',
      400,
      /"client_assertion" is missing/,
    ],
    ['jwt-bearer grant without assertion', { contentType: FORM, body: { grant_type: JWT_BEARER_GRANT } }, 'invalid_request', 400, /"assertion" is missing/],
  ])('refuses %s', (_name, raw, error, status, description) => {
    const e = errorOf(raw);
    expect(e.error).toBe(error);
    expect(e.status).toBe(status);
    expect(e.description).toMatch(description);
  });

  it('invalid_client carries a WWW-Authenticate challenge; every error is no-store', () => {
    const e = errorOf({ contentType: FORM, body: { grant_type: 'client_credentials' } });
    expect(e.headers).toEqual({ 'Cache-Control': 'no-store', Pragma: 'no-cache', 'WWW-Authenticate': 'Basic realm="scimflow", charset="UTF-8"' });
    expect(e.toBody()).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(new OAuthError('invalid_grant', 'x').headers).toEqual({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  });
});

describe('parseTokenRequest under any input', () => {
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('%E0%A4%A', '%', '%zz', 'client_credentials', JWT_BEARER_GRANT, JWT_BEARER_ASSERTION_TYPE, ''),
  );
  const authorization = fc.oneof(
    fc.constant(undefined),
    text,
    text.map((t) => `Basic ${t}`),
    fc.uint8Array({ maxLength: 64 }).map((b) => `Basic ${Buffer.from(b).toString('base64')}`),
    fc.tuple(text, text).map(([id, secret]) => basic(id, secret)),
  );
  const value = fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.integer(), fc.constant(null), fc.object({ maxDepth: 1 }));
  const names = fc.constantFrom('grant_type', 'client_id', 'client_secret', 'client_assertion', 'client_assertion_type', 'assertion', 'scope', 'x');
  const body = fc.oneof(fc.dictionary(names, value), fc.dictionary(names, text), value, fc.constant(undefined));

  it('answers a token request or an OAuthError, never anything else (seeded)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constant(FORM), fc.constant(undefined), text), authorization, body, (contentType, auth, b) => {
        try {
          parseTokenRequest({ contentType, authorization: auth, body: b });
        } catch (e) {
          if (!(e instanceof OAuthError)) throw e;
          expect([400, 401]).toContain(e.status);
        }
      }),
      { seed: 150605, numRuns: 3000 },
    );
  });
});
