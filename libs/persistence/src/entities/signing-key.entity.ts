import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A key that signs our OAuth access tokens (shared by all tenants). */
@Entity({ name: 'signing_keys' })
export class SigningKey {
  @PrimaryColumn('text')
  kid: string;

  @Column('text')
  algorithm: string;

  /** PKCS#8 PEM. Whoever can read this table can mint access tokens, as whoever can write tenant_tokens can add tokens. */
  @Column('text', { name: 'private_key' })
  privateKey: string;

  @Column('jsonb', { name: 'public_jwk' })
  publicJwk: Record<string, unknown>;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  /** set when a newer key replaced this one: it stops signing at once and verifies until then */
  @Column('timestamptz', { name: 'verify_until', nullable: true })
  verifyUntil: Date | null;

  /** set when the key is withdrawn: tokens it signed are refused from then on */
  @Column('timestamptz', { name: 'retired_at', nullable: true })
  retiredAt: Date | null;
}
