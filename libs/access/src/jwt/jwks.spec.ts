import { generateKeyPairSync } from 'node:crypto';
import { JwtError } from './jwt';
import { JwksCache, readJwks, selectKey } from './jwks';

const jwkOf = (kid: string, extra: object = {}) => ({
  ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }),
  kid,
  ...extra,
});

describe('readJwks / selectKey', () => {
  it('reads RSA and EC signature keys, skipping encryption, private, unknown and malformed keys', () => {
    const ec = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }), kid: 'ec' };
    const keys = readJwks({
      keys: [
        jwkOf('a', { use: 'sig', alg: 'RS256' }),
        ec,
        jwkOf('enc', { use: 'enc' }),
        { kty: 'oct', k: 'AAAA', kid: 'sym' },
        { kty: 'RSA', kid: 'broken', n: 'x' },
        { ...jwkOf('priv'), d: 'x' },
        null,
      ],
    });
    expect(keys.map((k) => k.kid)).toEqual(['a', 'ec']);
  });

  it('refuses a document without keys', () => {
    expect(() => readJwks({})).toThrow(JwtError);
    expect(() => readJwks(null)).toThrow(/no "keys" array/);
  });

  it('selects by kid and alg; without kid only a single key', () => {
    const keys = readJwks({ keys: [jwkOf('a', { alg: 'RS256' }), jwkOf('b')] });
    expect(selectKey(keys, 'a', 'RS256')).toBe(keys[0].key);
    expect(selectKey(keys, 'a', 'PS256')).toBeUndefined(); // the key is declared for RS256 only
    expect(selectKey(keys, 'b', 'PS256')).toBe(keys[1].key);
    expect(selectKey(keys, 'c', 'RS256')).toBeUndefined();
    expect(selectKey(keys, undefined, 'RS256')).toBeUndefined();
    expect(selectKey(keys.slice(0, 1), undefined, 'RS256')).toBe(keys[0].key);
  });
});

describe('JwksCache', () => {
  let now = 0;
  let documents: Record<string, unknown>;
  let fetches: string[];
  let failing = false;
  const make = () =>
    new JwksCache({
      fetchJson: async (url) => {
        fetches.push(url);
        await new Promise((r) => setImmediate(r));
        if (failing) throw new Error('connect ECONNREFUSED');
        return documents[url];
      },
      ttlMs: 60_000,
      minRefreshIntervalMs: 5_000,
      now: () => now,
    });
  beforeEach(() => {
    now = 1_000_000;
    fetches = [];
    failing = false;
    documents = { u: { keys: [jwkOf('k1')] } };
  });

  it('fetches once and serves from the cache until the TTL', async () => {
    const cache = make();
    await cache.key('u', 'k1', 'RS256');
    now += 59_000;
    await cache.key('u', 'k1', 'RS256');
    expect(fetches).toHaveLength(1);
    now += 2_000;
    await cache.key('u', 'k1', 'RS256');
    expect(fetches).toHaveLength(2);
  });

  it('one fetch in flight per URL', async () => {
    const cache = make();
    await Promise.all([cache.key('u', 'k1', 'RS256'), cache.key('u', 'k1', 'RS256'), cache.key('u', 'k1', 'RS256')]);
    expect(fetches).toHaveLength(1);
  });

  it('an unknown kid refetches (the issuer rotated), at most once per interval', async () => {
    const cache = make();
    await cache.key('u', 'k1', 'RS256');
    documents.u = { keys: [jwkOf('k1'), jwkOf('k2')] };
    await expect(cache.key('u', 'k2', 'RS256')).rejects.toThrow(/no key with kid "k2"/); // within the interval
    expect(fetches).toHaveLength(1);
    now += 5_000;
    await expect(cache.key('u', 'k2', 'RS256')).resolves.toBeDefined();
    expect(fetches).toHaveLength(2);
    await expect(cache.key('u', 'k3', 'RS256')).rejects.toThrow(/no key with kid "k3"/);
    expect(fetches).toHaveLength(2);
  });

  it('reports an unreachable issuer, but keeps using known keys when a refresh fails', async () => {
    const cache = make();
    failing = true;
    await expect(cache.key('u', 'k1', 'RS256')).rejects.toThrow(/JWKS could not be fetched: connect ECONNREFUSED/);
    failing = false;
    await cache.key('u', 'k1', 'RS256');
    failing = true;
    now += 120_000;
    await expect(cache.key('u', 'k1', 'RS256')).resolves.toBeDefined();
  });
});
