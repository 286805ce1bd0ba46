import { DataSource, EntityManager } from 'typeorm';
import { generateSigningKey } from '@scimflow/access';

/** A key that signs our OAuth access tokens (shared by all tenants). */
export interface SigningKey {
  kid: string;
  algorithm: string;
  /** PKCS#8 PEM. Whoever can read this table can mint access tokens, as whoever can write tenant_tokens can add tokens. */
  privateKey: string;
  publicJwk: Record<string, unknown>;
  createdAt: Date;
  /** set when a newer key replaced this one: it stops signing at once and verifies until then */
  verifyUntil: Date | null;
  /** set when the key is withdrawn: tokens it signed are refused from then on */
  retiredAt: Date | null;
}

/** Serialises key creation across processes, so two ingress instances never race to create the first key. */
const LOCK = `SELECT pg_advisory_xact_lock(hashtext('scimflow.signing_keys'))`;

const COLUMNS = `kid, algorithm, private_key, public_jwk, created_at, verify_until, retired_at`;
const ACTIVE = `retired_at IS NULL AND verify_until IS NULL`;
const VERIFYING = `retired_at IS NULL AND (verify_until IS NULL OR verify_until > now())`;

function toKey(r: Record<string, unknown>): SigningKey {
  return {
    kid: r.kid as string,
    algorithm: r.algorithm as string,
    privateKey: r.private_key as string,
    publicJwk: r.public_jwk as Record<string, unknown>,
    createdAt: r.created_at as Date,
    verifyUntil: (r.verify_until as Date | null) ?? null,
    retiredAt: (r.retired_at as Date | null) ?? null,
  };
}

/**
 * The keys that sign our access tokens. The newest active key signs. Rotation creates a new key
 * and gives the old ones a `verify_until` of now + the token lifetime, so no token they signed is
 * cut short; retiring a key ends its tokens at once (for a leaked key).
 */
export class SigningKeys {
  constructor(private readonly ds: DataSource) {}

  /** The key to sign with; the first call creates one. */
  async signingKey(): Promise<SigningKey> {
    const active = await this.newestActive(this.ds.manager);
    if (active) return active;
    return this.ds.transaction(async (em) => {
      await em.query(LOCK);
      return (await this.newestActive(em)) ?? this.create(em);
    });
  }

  /** Keys whose tokens are still accepted. */
  async verificationKeys(): Promise<SigningKey[]> {
    const rows: Record<string, unknown>[] = await this.ds.query(`SELECT ${COLUMNS} FROM signing_keys WHERE ${VERIFYING} ORDER BY created_at DESC`);
    return rows.map(toKey);
  }

  async list(): Promise<SigningKey[]> {
    const rows: Record<string, unknown>[] = await this.ds.query(`SELECT ${COLUMNS} FROM signing_keys ORDER BY created_at DESC`);
    return rows.map(toKey);
  }

  /** A new signing key; the previous ones keep verifying for `verifyForSeconds` (the access-token lifetime). */
  async rotate(verifyForSeconds: number): Promise<SigningKey> {
    return this.ds.transaction(async (em) => {
      await em.query(LOCK);
      await em.query(`UPDATE signing_keys SET verify_until = now() + make_interval(secs => $1) WHERE ${ACTIVE}`, [verifyForSeconds]);
      return this.create(em);
    });
  }

  /** Withdraws a key: its tokens are refused from now on. Null if there is no such key. */
  async retire(kid: string): Promise<SigningKey | null> {
    // Postgres text cannot hold NUL: no key has such a kid, and the query would fail rather than find none
    if (kid.includes('\0')) return null;
    // in a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count]
    const rows: Record<string, unknown>[] = await this.ds.query(
      `WITH retired AS (UPDATE signing_keys SET retired_at = COALESCE(retired_at, now()) WHERE kid = $1 RETURNING ${COLUMNS}) SELECT * FROM retired`,
      [kid],
    );
    return rows.length ? toKey(rows[0]) : null;
  }

  private async newestActive(em: EntityManager): Promise<SigningKey | undefined> {
    const rows: Record<string, unknown>[] = await em.query(`SELECT ${COLUMNS} FROM signing_keys WHERE ${ACTIVE} ORDER BY created_at DESC LIMIT 1`);
    return rows.length ? toKey(rows[0]) : undefined;
  }

  private async create(em: EntityManager): Promise<SigningKey> {
    const k = generateSigningKey();
    const rows: Record<string, unknown>[] = await em.query(
      `INSERT INTO signing_keys (kid, algorithm, private_key, public_jwk) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [k.kid, k.algorithm, k.privateKeyPem, k.publicJwk],
    );
    return toKey(rows[0]);
  }
}
