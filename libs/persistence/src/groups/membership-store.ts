import { EntityManager } from 'typeorm';
import { isUuid } from '@scimflow/contracts';
import { MissingReference } from '@scimflow/provisioning';
import { raisingDomainErrors, Violations } from '../unit-of-work';

/** A member that is not a user of the tenant: the lock and check before a write leave only a race to this. */
const MEMBER_VIOLATIONS: Violations = { scim_group_members_user: () => new MissingReference('A member is not a User of this tenant') };

/**
 * The reconciler's writes to scim_group_members, each one SQL statement inside its transaction that reports
 * which rows it really changed (`RETURNING`), so a membership diff is computed without loading a group.
 * Writes with RETURNING are wrapped in a CTE and SELECTed: TypeORM answers a bare UPDATE/DELETE with
 * `[rows, count]` rather than rows.
 */
export class MembershipStore {
  /**
   * Locks the given users, and with `membersOf` also the current members of that group, FOR UPDATE in id order.
   * Membership changes advance the users' versions, and group commands run in parallel (one per group), so every
   * writer takes its user locks in one global order: no two of them can deadlock. A user locked here cannot be
   * deleted before the command commits.
   */
  async lockUsers(em: EntityManager, tenantId: string, userIds: string[], membersOf?: string): Promise<void> {
    const ids = userIds.filter(isUuid);
    if (!ids.length && !membersOf) return;
    await em.query(
      `SELECT count(*) FROM (
         SELECT u.id FROM scim_users u
          WHERE u.tenant_id = $1
            AND u.id IN (SELECT unnest($2::uuid[]) UNION ALL SELECT m.user_id FROM scim_group_members m WHERE m.tenant_id = $1 AND m.group_id = $3)
          ORDER BY u.id FOR UPDATE) locked`,
      [tenantId, ids, membersOf ?? null],
    );
  }

  /** The ids that are not users of this tenant (ids that are not even UUIDs included), in the given order. */
  async unknownUsers(em: EntityManager, tenantId: string, userIds: string[]): Promise<string[]> {
    const uuids = userIds.filter(isUuid);
    const rows: { id: string }[] = uuids.length
      ? await em.query(`SELECT u.id FROM scim_users u WHERE u.tenant_id = $1 AND u.id = ANY($2::uuid[])`, [tenantId, uuids])
      : [];
    const known = new Set(rows.map((r) => r.id));
    return userIds.filter((id) => !known.has(id.toLowerCase()));
  }

  /** Adds members; returns those that were not members before. MissingReference for a member that is no user of the tenant. */
  async add(em: EntityManager, tenantId: string, groupId: string, userIds: string[], now: Date): Promise<string[]> {
    if (!userIds.length) return [];
    const rows: { user_id: string }[] = await raisingDomainErrors(MEMBER_VIOLATIONS, () =>
      em.query(
        `WITH added AS (INSERT INTO scim_group_members (tenant_id, group_id, user_id, added_at)
                        SELECT $1, $2, x, $4 FROM unnest($3::uuid[]) AS x
                        ON CONFLICT DO NOTHING RETURNING user_id)
         SELECT user_id FROM added`,
        [tenantId, groupId, userIds.filter(isUuid), now],
      ),
    );
    return rows.map((r) => r.user_id);
  }

  /** Removes members; returns those that were members (removing a non-member is a no-op). */
  async remove(em: EntityManager, tenantId: string, groupId: string, userIds: string[]): Promise<string[]> {
    const ids = userIds.filter(isUuid);
    if (!ids.length) return [];
    const rows: { user_id: string }[] = await em.query(
      `WITH removed AS (DELETE FROM scim_group_members WHERE tenant_id = $1 AND group_id = $2 AND user_id = ANY($3::uuid[]) RETURNING user_id)
       SELECT user_id FROM removed`,
      [tenantId, groupId, ids],
    );
    return rows.map((r) => r.user_id);
  }

  /** Removes every member; returns who they were. */
  async removeAll(em: EntityManager, tenantId: string, groupId: string): Promise<string[]> {
    const rows: { user_id: string }[] = await em.query(
      `WITH removed AS (DELETE FROM scim_group_members WHERE tenant_id = $1 AND group_id = $2 RETURNING user_id) SELECT user_id FROM removed`,
      [tenantId, groupId],
    );
    return rows.map((r) => r.user_id);
  }

  /** Makes the members exactly `userIds`: removes the others, adds the missing ones. */
  async replace(em: EntityManager, tenantId: string, groupId: string, userIds: string[], now: Date): Promise<{ added: string[]; removed: string[] }> {
    const ids = userIds.filter(isUuid);
    const removed: { user_id: string }[] = await em.query(
      `WITH removed AS (DELETE FROM scim_group_members WHERE tenant_id = $1 AND group_id = $2 AND NOT (user_id = ANY($3::uuid[])) RETURNING user_id)
       SELECT user_id FROM removed`,
      [tenantId, groupId, ids],
    );
    return { added: await this.add(em, tenantId, groupId, ids, now), removed: removed.map((r) => r.user_id) };
  }

  /**
   * Advances the version (the per-user event sequence and ETag) and lastModified of users whose `groups` changed;
   * returns each user's new version. The users must have been locked by lockUsers.
   */
  async advanceUserVersions(em: EntityManager, tenantId: string, userIds: string[], now: Date): Promise<Map<string, number>> {
    if (!userIds.length) return new Map();
    const rows: { id: string; version: number }[] = await em.query(
      `WITH advanced AS (UPDATE scim_users u SET version = u.version + 1, updated_at = $3 WHERE u.tenant_id = $1 AND u.id = ANY($2::uuid[]) RETURNING u.id, u.version)
       SELECT id, version FROM advanced`,
      [tenantId, userIds, now],
    );
    return new Map(rows.map((r) => [r.id, r.version]));
  }

  /** Removes a user from every group (before the user is deleted); returns those groups. */
  async removeUserEverywhere(em: EntityManager, tenantId: string, userId: string): Promise<{ id: string; displayName: string }[]> {
    const rows: { id: string; display_name: string }[] = await em.query(
      `WITH removed AS (DELETE FROM scim_group_members WHERE tenant_id = $1 AND user_id = $2 RETURNING group_id)
       SELECT r.group_id AS id, g.display_name FROM removed r JOIN scim_groups g ON g.tenant_id = $1 AND g.id = r.group_id`,
      [tenantId, userId],
    );
    return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
  }
}
