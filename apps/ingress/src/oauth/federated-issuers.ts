import { Injectable } from '@nestjs/common';
import { FederatedTrust, JwksCache, validateAssertion } from '@scimflow/access';
import { IngressConfig } from '@scimflow/config';
import { FederatedCredentials } from '@scimflow/persistence';

/** Largest JWKS document read from an issuer. */
const MAX_JWKS_BYTES = 256 * 1024;

/** Validates client assertions against a tenant's trusted issuers, with their JWKS fetched and cached. */
@Injectable()
export class FederatedIssuers {
  private readonly jwks: JwksCache;

  constructor(
    private readonly credentials: FederatedCredentials,
    private readonly config: IngressConfig,
  ) {
    this.jwks = new JwksCache({
      fetchJson: (url) => this.fetchJson(url),
      ttlMs: config.JWKS_CACHE_TTL_MS,
      // an issuer's new key is found within seconds; unauthenticated callers cannot make us fetch more often
      minRefreshIntervalMs: Math.min(5_000, config.JWKS_CACHE_TTL_MS),
    });
  }

  /** The trust the assertion satisfies; throws JwtError with a reason the client may see. */
  async validate(tenantId: string, assertion: string): Promise<FederatedTrust> {
    const trusts = (await this.credentials.list(tenantId)).map((c) => ({
      id: c.id,
      issuer: c.issuer,
      jwksUrl: c.jwksUrl,
      subject: c.subject,
      audience: c.audience,
    }));
    const trust = await validateAssertion(assertion, trusts, {
      now: Math.floor(Date.now() / 1000),
      skewSeconds: this.config.ASSERTION_CLOCK_SKEW_SECONDS,
      keyFor: (url, kid, alg) => this.jwks.key(url, kid, alg),
    });
    await this.credentials.markUsed(trust.id);
    return trust;
  }

  private async fetchJson(url: string): Promise<unknown> {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(this.config.JWKS_FETCH_TIMEOUT_MS),
      redirect: 'error',
      headers: { accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}`);
    const text = await res.text();
    if (text.length > MAX_JWKS_BYTES) throw new Error(`the JWKS at ${url} is larger than ${MAX_JWKS_BYTES} bytes`);
    return JSON.parse(text);
  }
}
