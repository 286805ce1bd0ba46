import { parseToken, tokenFingerprint, verifySecret } from './secret-token';

/** A secret token as stored: what verifying it needs. */
export interface StoredSecretToken {
  id: string;
  tenantId: string;
  secretHash: string;
}

/** Where the verifier finds tokens: the one with an id unless it is revoked, and where it notes their use. */
export interface SecretTokenRecords {
  activeToken(id: string): Promise<StoredSecretToken | undefined>;
  markUsed(id: string): Promise<void>;
}

export interface AuthenticatedTenant {
  tenantId: string;
  /** the secret token's id, or the access token's jti */
  tokenId: string;
}

/** How long a verified token is trusted without re-checking the slow hash and the revocation state. */
export const VERIFIED_TOKEN_TTL_MS = 30_000;

/**
 * Which tenant a long-lived secret token (`scimflow_<id>_<secret>`) belongs to. The slow hash is checked once per
 * token; a proven token is trusted for `trustMs`, then only its row is read again (revocation applies within that).
 */
export class SecretTokenVerifier {
  /** By SHA-256 of the whole token: tokens proven against their slow hash, and until when to trust them unread. */
  private readonly verified = new Map<string, { auth: AuthenticatedTenant; until: number; secretHash: string }>();
  /**
   * Verifications under way, by fingerprint: the concurrent requests of a token not proven yet share one scrypt
   * (16 MiB and ~50 ms of CPU each) instead of each running their own, which filled the thread pool and grew the
   * ingress's native memory by tens of MB; those of a proven token whose trust ran out share one re-read.
   */
  private readonly verifying = new Map<string, Promise<AuthenticatedTenant | undefined>>();

  constructor(
    private readonly records: SecretTokenRecords,
    private readonly trustMs = VERIFIED_TOKEN_TTL_MS,
  ) {}

  /** The tenant a bearer token belongs to, or undefined for an unknown, revoked or wrong token (one answer for all). */
  async authenticate(token: string): Promise<AuthenticatedTenant | undefined> {
    const fingerprint = tokenFingerprint(token);
    const cached = this.verified.get(fingerprint);
    if (cached && cached.until > Date.now()) return cached.auth;
    const running = this.verifying.get(fingerprint);
    if (running) return running;
    const verification = (cached ? this.recheck(token, fingerprint, cached) : this.verify(token, fingerprint)).finally(() => this.verifying.delete(fingerprint));
    this.verifying.set(fingerprint, verification);
    return verification;
  }

  /** Drops a revoked token from the cache, so revocation through this process takes effect at once. */
  forget(tokenId: string): void {
    for (const [fingerprint, v] of this.verified) if (v.auth.tokenId === tokenId) this.verified.delete(fingerprint);
  }

  private async verify(token: string, fingerprint: string): Promise<AuthenticatedTenant | undefined> {
    const parsed = parseToken(token);
    if (!parsed) return undefined;
    // A disabled tenant's token still authenticates: the SCIM guard then answers 403 "tenant disabled".
    const stored = await this.records.activeToken(parsed.id);
    if (!stored) return undefined;
    if (!(await verifySecret(parsed.secret, stored.secretHash))) return undefined;
    const auth = { tenantId: stored.tenantId, tokenId: stored.id };
    this.verified.set(fingerprint, { auth, until: Date.now() + this.trustMs, secretHash: stored.secretHash });
    await this.records.markUsed(stored.id);
    return auth;
  }

  /**
   * A token proven before (the same SHA-256 of the whole token) whose trust ran out: only its row is read again,
   * for revocation. Recomputing the slow hash would prove nothing new and, every 30 s, stall the requests that
   * wait for it (tens to hundreds of ms under load).
   */
  private async recheck(token: string, fingerprint: string, proven: { auth: AuthenticatedTenant; secretHash: string }): Promise<AuthenticatedTenant | undefined> {
    const stored = await this.records.activeToken(proven.auth.tokenId);
    if (!stored || stored.secretHash !== proven.secretHash) {
      this.verified.delete(fingerprint);
      return stored ? this.verify(token, fingerprint) : undefined;
    }
    this.verified.set(fingerprint, { ...proven, until: Date.now() + this.trustMs });
    await this.records.markUsed(stored.id);
    return proven.auth;
  }
}
