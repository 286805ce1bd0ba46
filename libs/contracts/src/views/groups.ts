/** A group as the operator browses it: its SCIM identity and how many members it has. */
export interface GroupAdminView {
  id: string;
  displayName: string;
  externalId: string | null;
  memberCount: number;
  version: number;
  created: string;
  lastModified: string;
}

export interface GroupMemberAdminView {
  id: string;
  userName: string;
}

/** One group with the first `members` (in user-id order); `memberCount` says how many there are in all. */
export interface GroupAdminDetail extends GroupAdminView {
  members: GroupMemberAdminView[];
}
