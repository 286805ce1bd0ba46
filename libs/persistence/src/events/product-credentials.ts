import { DataSource } from 'typeorm';
import type { CredentialRecords, IssuedToken, StoredProductCredential } from '@scimflow/access';
import { ConsumerPositionRecords, CreatedProductCredential, EventConsumerView, isUuid, ProductCredentialView } from '@scimflow/contracts';

/** Lag is counted up to this many events (a count costs one index entry per event): a consumer further behind shows this. */
export const MAX_COUNTED_LAG = 10_000;

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** What the credential list and the consumer list both show of a credential. */
function credentialView(r: Record<string, unknown>) {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    description: (r.description as string | null) ?? null,
    createdAt: iso(r.created_at as Date)!,
    revokedAt: iso(r.revoked_at as Date | null),
  };
}

/**
 * A tenant's product credentials (table product_credentials, issued by issueProductCredential, only their hashes
 * stored): several at once, rotated by create then revoke.
 */
export class ProductCredentials implements CredentialRecords<StoredProductCredential>, ConsumerPositionRecords {
  constructor(private readonly ds: DataSource) {}

  async create(tenantId: string, issued: IssuedToken, description?: string | null): Promise<CreatedProductCredential> {
    const [row] = await this.ds.query(
      `INSERT INTO product_credentials (id, tenant_id, secret_hash, description) VALUES ($1, $2, $3, $4) RETURNING created_at`,
      [issued.id, tenantId, issued.secretHash, description ?? null],
    );
    return { id: issued.id, credential: issued.token, description: description ?? null, createdAt: iso(row.created_at)! };
  }

  async list(tenantId: string): Promise<ProductCredentialView[]> {
    if (!isUuid(tenantId)) return [];
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT id, tenant_id::text, description, created_at, last_used_at, revoked_at FROM product_credentials WHERE tenant_id = $1 ORDER BY created_at, id`,
      [tenantId],
    );
    return rows.map((r) => ({ ...credentialView(r), lastUsedAt: iso(r.last_used_at as Date | null) }));
  }

  /** Revokes a credential of this tenant (never another tenant's). False if there is no such active credential. */
  async revoke(tenantId: string, id: string): Promise<boolean> {
    if (!isUuid(tenantId)) return false;
    // in a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count]
    const rows = await this.ds.query(
      `WITH revoked AS (UPDATE product_credentials SET revoked_at = now() WHERE id = $1 AND tenant_id = $2 AND revoked_at IS NULL RETURNING id) SELECT id FROM revoked`,
      [id, tenantId],
    );
    return rows.length > 0;
  }

  /** The credential with this id unless it is revoked, with its tenant's state. */
  async active(id: string): Promise<StoredProductCredential | undefined> {
    const rows: { tenant_id: string; secret_hash: string; status: string }[] = await this.ds.query(
      `SELECT c.tenant_id::text, c.secret_hash, t.status FROM product_credentials c JOIN tenants t ON t.id = c.tenant_id WHERE c.id = $1 AND c.revoked_at IS NULL`,
      [id],
    );
    return rows.length ? { id, tenantId: rows[0].tenant_id, secretHash: rows[0].secret_hash, tenantActive: rows[0].status === 'active' } : undefined;
  }

  async markUsed(id: string): Promise<void> {
    await this.ds.query(`UPDATE product_credentials SET last_used_at = now() WHERE id = $1`, [id]);
  }

  /** The consumer has read after `position` (how often: ConsumerPositions). */
  async writePosition(credentialId: string, position: string): Promise<void> {
    await this.ds.query(`UPDATE product_credentials SET last_position = $2, last_read_at = now() WHERE id = $1`, [credentialId, position]);
  }

  /** Every consumer (credential) of the tenant with its position and lag; all tenants' when `tenantId` is undefined. */
  async consumers(tenantId?: string): Promise<EventConsumerView[]> {
    if (tenantId !== undefined && !isUuid(tenantId)) return [];
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT c.id, c.tenant_id::text, c.description, c.created_at, c.revoked_at, c.last_position::text AS position, c.last_read_at,
              l.lag_events, a.lag_seconds
         FROM product_credentials c JOIN tenants t ON t.id = c.tenant_id
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS lag_events FROM (
             SELECT 1 FROM tenant_events e
              WHERE e.tenant_id = c.tenant_id AND e.position > coalesce(c.last_position, 0)
                AND e.created_at >= now() - make_interval(days => t.events_retention_days)
              LIMIT ${MAX_COUNTED_LAG}) unread) l
         CROSS JOIN LATERAL (
           SELECT coalesce(extract(epoch FROM now() - (
             SELECT e.created_at FROM tenant_events e
              WHERE e.tenant_id = c.tenant_id AND e.position > coalesce(c.last_position, 0)
                AND e.created_at >= now() - make_interval(days => t.events_retention_days)
              ORDER BY e.position LIMIT 1)), 0)::float8 AS lag_seconds) a
        WHERE ($1::uuid IS NULL OR c.tenant_id = $1)
        ORDER BY c.tenant_id, c.created_at, c.id`,
      [tenantId ?? null],
    );
    return rows.map((r) => ({
      ...credentialView(r),
      position: (r.position as string | null) ?? null,
      lastReadAt: iso(r.last_read_at as Date | null),
      lagEvents: r.lag_events as number,
      lagSeconds: Math.max(0, r.lag_seconds as number),
    }));
  }
}
