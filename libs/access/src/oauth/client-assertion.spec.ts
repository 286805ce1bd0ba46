import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { JwtError, signJwt } from '../jwt/jwt';
import { FederatedTrust, validateAssertion } from './client-assertion';

const issuerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ENTRA = 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0';
const trust: FederatedTrust = {
  id: 'fc-1',
  issuer: ENTRA,
  jwksUrl: 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
  subject: 'sp-object-id',
  audience: 'api://AzureADTokenExchange',
};
const NOW = 1_700_000_000;

function assertion(claims: object = {}, o: { kid?: string; key?: KeyObject } = {}) {
  return signJwt(
    { iss: ENTRA, sub: 'sp-object-id', aud: 'api://AzureADTokenExchange', iat: NOW - 10, nbf: NOW - 10, exp: NOW + 3600, jti: 'j', ...claims },
    { kid: o.kid ?? 'entra-key', alg: 'RS256', privateKey: o.key ?? issuerKey.privateKey },
  );
}

describe('validateAssertion (RFC 7523 client assertions from a trusted issuer)', () => {
  const fetched: string[] = [];
  const ctx = {
    now: NOW,
    skewSeconds: 60,
    keyFor: async (url: string, kid: string | undefined) => {
      fetched.push(url);
      if (kid !== 'entra-key') throw new JwtError(`no key with kid "${kid}" in the issuer's JWKS`);
      return issuerKey.publicKey;
    },
  };
  beforeEach(() => (fetched.length = 0));

  it('accepts a good assertion and names the trust it satisfied', async () => {
    await expect(validateAssertion(assertion(), [trust], ctx)).resolves.toBe(trust);
  });

  it('picks the trust by issuer and subject among several', async () => {
    const second = { ...trust, id: 'fc-2', subject: 'other-sp' };
    await expect(validateAssertion(assertion({ sub: 'other-sp' }), [trust, second], ctx)).resolves.toBe(second);
  });

  it.each([
    ['an untrusted issuer', assertion({ iss: 'https://evil.example' }), /issuer "https:\/\/evil.example" is not trusted/],
    ['a wrong subject', assertion({ sub: 'someone-else' }), /subject "someone-else" is not trusted/],
    ['a wrong audience', assertion({ aud: 'api://other' }), /audience "api:\/\/other" does not contain/],
    ['an expired assertion', assertion({ exp: NOW - 61 }), /expired/],
    ['a not-yet-valid assertion', assertion({ nbf: NOW + 120 }), /not valid yet/],
    ['an assertion without exp', assertion({ exp: undefined }), /"exp" is missing/],
    ['an unknown kid', assertion({}, { kid: 'rotated-away' }), /no key with kid "rotated-away"/],
    ['a signature by another key', assertion({}, { key: otherKey.privateKey }), /signature does not verify/],
    ['garbage', 'not-a-jwt', /not a JWT/],
  ])('refuses %s', async (_name, token, reason) => {
    await expect(validateAssertion(token, [trust], ctx)).rejects.toThrow(reason);
  });

  it('never fetches keys for an issuer the tenant does not trust', async () => {
    await expect(validateAssertion(assertion({ iss: 'https://evil.example' }), [trust], ctx)).rejects.toThrow(JwtError);
    await expect(validateAssertion(assertion(), [], ctx)).rejects.toThrow(/not trusted/);
    expect(fetched).toEqual([]);
  });

  it('refuses "none" before fetching keys', async () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: ENTRA, sub: 'sp-object-id' })).toString('base64url')}.`;
    await expect(validateAssertion(none, [trust], ctx)).rejects.toThrow(/algorithm "none" is not accepted/);
    expect(fetched).toEqual([]);
  });
});
