import { DataSource } from 'typeorm';
import type { NewSetupLink, SetupLinkRecords } from '@scimflow/access';
import type { SetupLinkView } from '@scimflow/contracts';
import { AuditLog } from '../audit/audit-log';
import { isUuid } from '@scimflow/contracts';

/** A link that may be used now, with the one tenant it opens. */
export interface ActiveSetupLink {
  id: string;
  tenantId: string;
  productName: string | null;
  logoUrl: string | null;
  expiresAt: Date;
}

export type SetupCredentialKind = 'secret-token' | 'oauth-client-secret';

/** A tenant's setup links (table setup_links): created and revoked by the operator, used by the customer's IT admin. */
export class SetupLinks implements SetupLinkRecords {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async create(tenantId: string, link: NewSetupLink): Promise<SetupLinkView> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `INSERT INTO setup_links (tenant_id, token_hash, expires_at, product_name, logo_url) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [tenantId, link.tokenHash, link.expiresAt, link.productName ?? null, link.logoUrl ?? null],
    );
    return toView(rows[0]);
  }

  async list(tenantId: string): Promise<SetupLinkView[]> {
    if (!isUuid(tenantId)) return [];
    const rows: Record<string, unknown>[] = await this.ds.query(`SELECT ${COLUMNS} FROM setup_links WHERE tenant_id = $1 ORDER BY created_at, id`, [tenantId]);
    return rows.map(toView);
  }

  /** Revokes a link of this tenant (never another tenant's). False if there is no such unrevoked link. */
  async revoke(tenantId: string, linkId: string): Promise<boolean> {
    if (!isUuid(tenantId) || !isUuid(linkId)) return false;
    // in a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count]
    const rows: unknown[] = await this.ds.query(
      `WITH revoked AS (UPDATE setup_links SET revoked_at = now() WHERE id = $1 AND tenant_id = $2 AND revoked_at IS NULL RETURNING id) SELECT id FROM revoked`,
      [linkId, tenantId],
    );
    return rows.length > 0;
  }

  /**
   * The link with this token hash if it may be used at `now`: not revoked, not expired, its tenant existing and enabled.
   * Marks it used (at most once a minute: the setup page polls). Undefined otherwise, whatever the reason (the caller
   * gives one answer for all).
   */
  async use(tokenHash: string, now: Date): Promise<ActiveSetupLink | undefined> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT l.id::text, l.tenant_id::text, l.product_name, l.logo_url, l.expires_at, l.last_used_at
         FROM setup_links l JOIN tenants t ON t.id = l.tenant_id
        WHERE l.token_hash = $1 AND t.status = 'active' AND l.revoked_at IS NULL AND l.expires_at > $2`,
      [tokenHash, now],
    );
    if (!rows.length) return undefined;
    const r = rows[0];
    const lastUsed = r.last_used_at as Date | null;
    if (!lastUsed || now.getTime() - lastUsed.getTime() >= USED_RESOLUTION_MS)
      await this.ds.query(`UPDATE setup_links SET last_used_at = $2 WHERE id = $1`, [r.id, now]);
    return {
      id: r.id as string,
      tenantId: r.tenant_id as string,
      productName: (r.product_name as string | null) ?? null,
      logoUrl: (r.logo_url as string | null) ?? null,
      expiresAt: r.expires_at as Date,
    };
  }

  /** The tenant's audit entry of a credential issued through a setup link (by the customer, not the operator). */
  async auditCredentialIssued(link: ActiveSetupLink, kind: SetupCredentialKind, credentialId: string, at: Date): Promise<void> {
    await this.audit.record(this.ds.manager, {
      tenantId: link.tenantId,
      commandId: `setup-link:${link.id}`,
      resourceType: 'Credential',
      resourceId: credentialId,
      action: kind === 'secret-token' ? 'secret-token.create' : 'oauth-client-secret.rotate',
      status: 201,
      diff: { via: 'setup-link', setupLinkId: link.id, kind },
      at,
    });
  }
}

/** lastUsedAt is kept to the minute: a poll every few seconds need not write every time. */
const USED_RESOLUTION_MS = 60_000;

const COLUMNS = `id::text, created_at, expires_at, revoked_at, last_used_at, product_name`;

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : null);

function toView(r: Record<string, unknown>): SetupLinkView {
  return {
    id: r.id as string,
    createdAt: iso(r.created_at)!,
    expiresAt: iso(r.expires_at)!,
    revokedAt: iso(r.revoked_at),
    lastUsedAt: iso(r.last_used_at),
    productName: (r.product_name as string | null) ?? null,
  };
}
