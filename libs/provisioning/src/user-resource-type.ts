import { enterpriseUserSchema, ResourceTypeSchemas, userSchema } from '@scimflow/scim';

/** The User resource type as served: core schema plus the Enterprise User extension. */
export const userResourceType: ResourceTypeSchemas = { core: userSchema, extensions: [enterpriseUserSchema] };
