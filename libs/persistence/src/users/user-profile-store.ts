import { EntityManager } from 'typeorm';
import { isUuid } from '@scimflow/contracts';
import { MissingReference } from '@scimflow/provisioning';
import { raisingDomainErrors } from '../unit-of-work';

/** The reconciler's profile-rule reads and writes on users, each inside its transaction. */
export class UserProfileStore {
  /**
   * Serializes writers of one work email in one tenant until the transaction ends, so two concurrent creates
   * with the same email cannot both pass the uniqueness check (there is no unique index over a jsonb array).
   */
  async lockWorkEmail(em: EntityManager, tenantId: string, email: string): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`work-email:${tenantId}:${email.toLowerCase()}`]);
  }

  /** Another user of the tenant whose work email equals `email`, case-insensitively (soft-deleted users included: a create would claim them). */
  async workEmailHolder(em: EntityManager, tenantId: string, email: string, exceptUserId: string): Promise<string | undefined> {
    const rows: { id: string }[] = await em.query(`SELECT u.id FROM scim_users u WHERE u.tenant_id = $1 AND u.work_email = lower($3) AND u.id <> $2 LIMIT 1`, [
      tenantId,
      exceptUserId,
      email,
    ]);
    return rows[0]?.id;
  }

  /** The groups the user is a member of. */
  async groupsOf(em: EntityManager, tenantId: string, userId: string): Promise<string[]> {
    const rows: { group_id: string }[] = await em.query(`SELECT group_id FROM scim_group_members WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]);
    return rows.map((r) => r.group_id);
  }

  /** The tenant's groups among `ids` (id and displayName); ids that are not groups of this tenant are left out. */
  async groups(em: EntityManager, tenantId: string, ids: string[]): Promise<{ id: string; displayName: string }[]> {
    const uuids = ids.filter(isUuid);
    if (!uuids.length) return [];
    const rows: { id: string; display_name: string }[] = await em.query(
      `SELECT id, display_name FROM scim_groups WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id`,
      [tenantId, uuids],
    );
    return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
  }

  /** MissingReference when one of the groups is gone (deleted since `groups` found it). */
  async join(em: EntityManager, tenantId: string, userId: string, groupIds: string[], now: Date): Promise<void> {
    if (!groupIds.length) return;
    await raisingDomainErrors(
      { scim_group_members_group: () => new MissingReference(`userType names groups that do not exist in this tenant: ${groupIds.join(', ')}`) },
      () =>
        em.query(
          `INSERT INTO scim_group_members (tenant_id, group_id, user_id, added_at) SELECT $1, g, $3, $4 FROM unnest($2::uuid[]) AS g ON CONFLICT DO NOTHING`,
          [tenantId, groupIds, userId, now],
        ),
    );
  }

  async leave(em: EntityManager, tenantId: string, userId: string, groupIds: string[]): Promise<void> {
    if (!groupIds.length) return;
    await em.query(`DELETE FROM scim_group_members WHERE tenant_id = $1 AND user_id = $2 AND group_id = ANY($3::uuid[])`, [tenantId, userId, groupIds]);
  }

  async setUnmatchedRoles(em: EntityManager, tenantId: string, userId: string, roles: string[]): Promise<void> {
    await em.query(`UPDATE scim_users SET unmatched_roles = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, userId, roles]);
  }
}
