/** How a user signs in to the product: through Entra (SSO, the default for provisioned users) or the product's own login. */
export const LOGIN_METHODS = ['sso', 'builtIn'] as const;
export type LoginMethod = (typeof LOGIN_METHODS)[number];

/** A user as the product's admin sees it: its SCIM identity plus the product-side lifecycle SCIM does not show. */
export interface UserAdminView {
  id: string;
  userName: string;
  workEmail: string | null;
  externalId: string | null;
  active: boolean;
  loginMethod: LoginMethod;
  /** `import`: from the product's bulk import; `scim`: created by Entra */
  origin: 'scim' | 'import';
  /** false: imported (or soft-deleted) and not claimed by Entra yet */
  linked: boolean;
  /** set when soft-deleted (gone for SCIM, kept for the product) */
  deletedAt: string | null;
  unmatchedRoles: string[];
  version: number;
  created: string;
  lastModified: string;
}
