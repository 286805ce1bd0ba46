// The SCIM filter box of the Users tab: the server's own parser and matcher (libs/scim, plain TypeScript), applied in
// the page to the users the admin API listed, seen as the SCIM resources Entra filters on.
import { compileMatcher } from '../../../libs/scim/src/filter/matcher';
import { parseFilter } from '../../../libs/scim/src/filter/parser';
import { userSchema } from '../../../libs/scim/src/schema/user.schema';
import type { UserAdminView } from '@scimflow/contracts/views';

/** An admin user as the SCIM attributes a filter can name: userName, externalId, active, emails, meta. */
export function scimView(u: UserAdminView): Record<string, unknown> {
  return {
    id: u.id,
    userName: u.userName,
    externalId: u.externalId ?? undefined,
    active: u.active,
    emails: u.workEmail ? [{ type: 'work', value: u.workEmail, primary: true }] : [],
    meta: { resourceType: 'User', created: u.created, lastModified: u.lastModified },
  };
}

/** The users a SCIM filter selects; an invalid filter throws with the same words the SCIM API answers. */
export function filterUsers(users: UserAdminView[], filter: string): UserAdminView[] {
  if (!filter.trim()) return users;
  const matches = compileMatcher(parseFilter(filter.trim()), { schemas: [userSchema] });
  return users.filter((u) => matches(scimView(u)));
}
