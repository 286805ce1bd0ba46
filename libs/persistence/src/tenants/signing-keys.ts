import { DataSource, EntityManager } from 'typeorm';
import { generateSigningKey } from '@scimflow/access';
import { SigningKey } from '../entities';

/** Serialises key creation across processes, so two ingress instances never race to create the first key. */
const LOCK = `SELECT pg_advisory_xact_lock(hashtext('scimflow.signing_keys'))`;

const ACTIVE = `retired_at IS NULL AND verify_until IS NULL`;
const VERIFYING = `retired_at IS NULL AND (verify_until IS NULL OR verify_until > now())`;

/**
 * The keys that sign our access tokens. The newest active key signs. Rotation creates a new key
 * and gives the old ones a `verify_until` of now + the token lifetime, so no token they signed is
 * cut short; retiring a key ends its tokens at once (for a leaked key).
 */
export class SigningKeys {
  constructor(private readonly ds: DataSource) {}

  /** The key to sign with; the first call creates one. */
  async signingKey(): Promise<SigningKey> {
    const active = await this.ds.getRepository(SigningKey).createQueryBuilder('k').where(ACTIVE).orderBy('k.createdAt', 'DESC').getOne();
    if (active) return active;
    return this.ds.transaction(async (em) => {
      await em.query(LOCK);
      const again = await em.getRepository(SigningKey).createQueryBuilder('k').where(ACTIVE).orderBy('k.createdAt', 'DESC').getOne();
      return again ?? this.create(em);
    });
  }

  /** Keys whose tokens are still accepted. */
  verificationKeys(): Promise<SigningKey[]> {
    return this.ds.getRepository(SigningKey).createQueryBuilder('k').where(VERIFYING).orderBy('k.createdAt', 'DESC').getMany();
  }

  list(): Promise<SigningKey[]> {
    return this.ds.getRepository(SigningKey).find({ order: { createdAt: 'DESC' } });
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
    const repo = this.ds.getRepository(SigningKey);
    const result = await repo
      .createQueryBuilder()
      .update()
      .set({ retiredAt: () => 'COALESCE(retired_at, now())' })
      .where('kid = :kid', { kid })
      .execute();
    if (!result.affected) return null;
    return repo.findOne({ where: { kid } });
  }

  private async create(em: EntityManager): Promise<SigningKey> {
    const k = generateSigningKey();
    const rows: SigningKey[] = await em.query(
      `INSERT INTO signing_keys (kid, algorithm, private_key, public_jwk) VALUES ($1, $2, $3, $4) RETURNING kid`,
      [k.kid, k.algorithm, k.privateKeyPem, k.publicJwk],
    );
    return (await em.getRepository(SigningKey).findOne({ where: { kid: rows[0].kid } }))!;
  }
}
