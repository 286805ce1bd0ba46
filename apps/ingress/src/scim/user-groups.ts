import { Injectable } from '@nestjs/common';
import { IngressConfig } from '@scimflow/config';
import { GroupStore, UserGroupRef } from '@scimflow/persistence';
import { pick, renderUserGroup, userGroupsProjection } from '@scimflow/provisioning';
import { ProjectionOptions } from '@scimflow/scim';

/**
 * Fills the read-only `groups` attribute of rendered users from the membership table: one query for a whole
 * page of users (none when the list query read them already), and none when the projection leaves `groups` out.
 */
@Injectable()
export class UserGroups {
  constructor(
    private readonly groups: GroupStore,
    private readonly config: IngressConfig,
  ) {}

  /** Whether the projection shows `groups`, i.e. whether a list query should read them with the users. */
  wanted(projection: ProjectionOptions): boolean {
    return !!userGroupsProjection(projection);
  }

  /** `read`: the page's groups by user id, read with the users (users missing from it are in no group). */
  async attach(tenantId: string, users: Record<string, unknown>[], projection: ProjectionOptions, read?: Map<string, UserGroupRef[]>): Promise<void> {
    const subs = userGroupsProjection(projection);
    if (!subs || !users.length) return;
    const byUser =
      read ??
      (await this.groups.groupsOfUsers(
        tenantId,
        users.map((u) => String(u.id)),
      ));
    const base = `${this.config.PUBLIC_BASE_URL}/scim/v2/${tenantId}`;
    for (const user of users) {
      const groups = byUser.get(String(user.id));
      if (groups?.length) user.groups = groups.map((g) => pick(renderUserGroup(g, base), subs));
    }
  }
}
