import { createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';
import { JwtError } from './jwt';

export interface PublicJwk extends JsonWebKey {
  kid?: string;
  use?: string;
  alg?: string;
}

export interface JwksKey {
  kid?: string;
  alg?: string;
  key: KeyObject;
}

/** The usable signature keys of a JWK Set (RFC 7517 §5); encryption keys and unreadable keys are skipped. */
export function readJwks(document: unknown): JwksKey[] {
  const keys = (document as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) throw new JwtError('the JWKS document has no "keys" array');
  const out: JwksKey[] = [];
  for (const jwk of keys as PublicJwk[]) {
    if (typeof jwk !== 'object' || jwk === null) continue;
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    if (jwk.kty !== 'RSA' && jwk.kty !== 'EC') continue;
    if ('d' in jwk) continue; // a private key published by mistake is not used
    let key: KeyObject;
    try {
      key = createPublicKey({ key: jwk, format: 'jwk' });
    } catch {
      continue; // one malformed key must not make the issuer's other keys unusable
    }
    out.push({ kid: typeof jwk.kid === 'string' ? jwk.kid : undefined, alg: typeof jwk.alg === 'string' ? jwk.alg : undefined, key });
  }
  return out;
}

/** The key a token names by `kid`; without a `kid`, the only key of the set (if it has exactly one). */
export function selectKey(keys: readonly JwksKey[], kid: string | undefined, alg: string): KeyObject | undefined {
  const fitting = keys.filter((k) => k.alg === undefined || k.alg === alg);
  if (kid === undefined) return fitting.length === 1 ? fitting[0].key : undefined;
  return fitting.find((k) => k.kid === kid)?.key;
}

export interface JwksCacheOptions {
  /** loads and parses a JWKS URL; throws on network errors and non-2xx answers */
  fetchJson: (url: string) => Promise<unknown>;
  /** how long a fetched set is used before it is fetched again */
  ttlMs: number;
  /** a token with an unknown kid triggers a refetch, at most this often per URL (issuers rotate keys) */
  minRefreshIntervalMs: number;
  now?: () => number;
}

interface Entry {
  keys: JwksKey[];
  fetchedAt: number;
}

/** Fetched JWK Sets by URL, with a TTL, refetch on unknown kid, and one request in flight per URL. */
export class JwksCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Entry>>();
  private readonly now: () => number;

  constructor(private readonly options: JwksCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  async key(url: string, kid: string | undefined, alg: string): Promise<KeyObject> {
    const cached = this.entries.get(url);
    let entry = cached;
    if (!entry || this.now() - entry.fetchedAt >= this.options.ttlMs) {
      // An issuer briefly unreachable must not stop provisioning: its last known keys stay usable.
      entry = await this.refresh(url).catch((e: unknown) => {
        if (cached) return cached;
        throw e;
      });
    }
    let key = selectKey(entry.keys, kid, alg);
    if (!key && this.now() - entry.fetchedAt >= this.options.minRefreshIntervalMs) {
      entry = await this.refresh(url);
      key = selectKey(entry.keys, kid, alg);
    }
    if (!key)
      throw new JwtError(kid === undefined ? 'the token has no "kid" and the issuer has several keys' : `no key with kid "${kid}" in the issuer's JWKS`);
    return key;
  }

  private refresh(url: string): Promise<Entry> {
    const running = this.inFlight.get(url);
    if (running) return running;
    const p = this.options
      .fetchJson(url)
      .then((doc) => {
        const entry = { keys: readJwks(doc), fetchedAt: this.now() };
        this.entries.set(url, entry);
        return entry;
      })
      .catch((e: unknown) => {
        throw e instanceof JwtError ? e : new JwtError(`the issuer's JWKS could not be fetched: ${(e as Error).message}`);
      })
      .finally(() => this.inFlight.delete(url));
    this.inFlight.set(url, p);
    return p;
  }
}
