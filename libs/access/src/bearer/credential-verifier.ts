import { ParsedCredential, parseProductCredential, parseToken, tokenFingerprint, verifySecret } from './secret-token';

/** A credential as stored: what verifying it needs, and whatever else its holder is known by. */
export interface StoredCredential {
  id: string;
  secretHash: string;
}

/** Where a verifier finds credentials: the one with an id unless it is revoked, and where it notes their use. */
export interface CredentialRecords<R extends StoredCredential> {
  active(id: string): Promise<R | undefined>;
  markUsed(id: string): Promise<void>;
}

/** How long a verified credential is trusted without re-checking the slow hash and the revocation state. */
export const VERIFIED_CREDENTIAL_TTL_MS = 30_000;

/**
 * Who a long-lived bearer credential (`<prefix>_<id>_<secret>`) belongs to. The slow hash is checked once per
 * credential; a proven credential is trusted for `trustMs`, then only its row is read again (revocation applies within
 * that). Unknown, revoked and wrong credentials get one answer: undefined.
 */
export class CredentialVerifier<R extends StoredCredential, A> {
  /** By SHA-256 of the whole credential: those proven against their slow hash, and until when to trust them unread. */
  private readonly verified = new Map<string, { id: string; auth: A; until: number; secretHash: string }>();
  /**
   * Verifications under way, by fingerprint: the concurrent requests of a credential not proven yet share one scrypt
   * (16 MiB and ~50 ms of CPU each) instead of each running their own, which filled the thread pool and grew the
   * ingress's native memory by tens of MB; those of a proven one whose trust ran out share one re-read.
   */
  private readonly verifying = new Map<string, Promise<A | undefined>>();

  constructor(
    private readonly records: CredentialRecords<R>,
    private readonly parse: (credential: string) => ParsedCredential | undefined,
    /** what a verified credential proves, from its row */
    private readonly proves: (stored: R) => A,
    private readonly trustMs = VERIFIED_CREDENTIAL_TTL_MS,
  ) {}

  async authenticate(credential: string): Promise<A | undefined> {
    const fingerprint = tokenFingerprint(credential);
    const cached = this.verified.get(fingerprint);
    if (cached && cached.until > Date.now()) return cached.auth;
    const running = this.verifying.get(fingerprint);
    if (running) return running;
    const verification = (cached ? this.recheck(credential, fingerprint, cached) : this.verify(credential, fingerprint)).finally(() =>
      this.verifying.delete(fingerprint),
    );
    this.verifying.set(fingerprint, verification);
    return verification;
  }

  /** Drops a revoked credential from the cache, so revocation through this process takes effect at once. */
  forget(id: string): void {
    for (const [fingerprint, v] of this.verified) if (v.id === id) this.verified.delete(fingerprint);
  }

  private async verify(credential: string, fingerprint: string): Promise<A | undefined> {
    const parsed = this.parse(credential);
    if (!parsed) return undefined;
    const stored = await this.records.active(parsed.id);
    if (!stored) return undefined;
    if (!(await verifySecret(parsed.secret, stored.secretHash))) return undefined;
    return this.trust(fingerprint, stored);
  }

  /**
   * A credential proven before (the same SHA-256 of the whole credential) whose trust ran out: only its row is read
   * again, for revocation. Recomputing the slow hash would prove nothing new and, every 30 s, stall the requests that
   * wait for it (tens to hundreds of ms under load).
   */
  private async recheck(credential: string, fingerprint: string, proven: { id: string; secretHash: string }): Promise<A | undefined> {
    const stored = await this.records.active(proven.id);
    if (!stored || stored.secretHash !== proven.secretHash) {
      this.verified.delete(fingerprint);
      return stored ? this.verify(credential, fingerprint) : undefined;
    }
    return this.trust(fingerprint, stored);
  }

  private async trust(fingerprint: string, stored: R): Promise<A> {
    const auth = this.proves(stored);
    this.verified.set(fingerprint, { id: stored.id, auth, until: Date.now() + this.trustMs, secretHash: stored.secretHash });
    await this.records.markUsed(stored.id);
    return auth;
  }
}

/** A secret token as stored. */
export interface StoredSecretToken extends StoredCredential {
  tenantId: string;
}

export interface AuthenticatedTenant {
  tenantId: string;
  /** the secret token's id, or the access token's jti */
  tokenId: string;
}

/** Entra's secret tokens (`scimflow_…`): the tenant they belong to. A disabled tenant's token still authenticates (the SCIM guard answers 403). */
export class SecretTokenVerifier extends CredentialVerifier<StoredSecretToken, AuthenticatedTenant> {
  constructor(records: CredentialRecords<StoredSecretToken>, trustMs?: number) {
    super(records, parseToken, (t) => ({ tenantId: t.tenantId, tokenId: t.id }), trustMs);
  }
}

/** A product credential as stored, with its tenant's state. */
export interface StoredProductCredential extends StoredCredential {
  tenantId: string;
  tenantActive: boolean;
}

export interface AuthenticatedProduct {
  tenantId: string;
  credentialId: string;
  tenantActive: boolean;
}

/** Product credentials (`sfp_…`) of the events API and state pull: the tenant they read, and whether it is active. */
export class ProductCredentialVerifier extends CredentialVerifier<StoredProductCredential, AuthenticatedProduct> {
  constructor(records: CredentialRecords<StoredProductCredential>, trustMs?: number) {
    super(records, parseProductCredential, (c) => ({ tenantId: c.tenantId, credentialId: c.id, tenantActive: c.tenantActive }), trustMs);
  }
}
