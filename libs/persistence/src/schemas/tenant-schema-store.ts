import { DataSource, EntityManager } from 'typeorm';
import { NotFound } from '@scimflow/provisioning';
import {
  AttributeDefinition,
  enterpriseUserSchema,
  ResourceTypeSchemas,
  SchemaDefinition,
  schemaRegistration,
  userResourceTypeFor,
  userSchema,
} from '@scimflow/scim';

/** Resource types a tenant can extend. Only User for now; the table already keys schemas by resource type. */
export type ExtensibleResourceType = 'User';

/** Schemas every tenant's resource type has; a tenant schema may not reuse or overlap their ids. */
const BUILT_IN: Record<ExtensibleResourceType, SchemaDefinition[]> = { User: [userSchema, enterpriseUserSchema] };

export interface RegisteredSchema {
  resourceType: ExtensibleResourceType;
  schema: SchemaDefinition;
  createdAt: Date;
  updatedAt: Date;
}

interface SchemaRow {
  resource_type: ExtensibleResourceType;
  schema_id: string;
  name: string;
  description: string;
  attributes: AttributeDefinition[];
  additional_string_attributes: boolean;
  created_at: Date;
  updated_at: Date;
}

function toRegistered(r: SchemaRow): RegisteredSchema {
  const schema: SchemaDefinition = { id: r.schema_id, name: r.name, description: r.description, attributes: r.attributes };
  if (r.additional_string_attributes) schema.additionalStringAttributes = true;
  return { resourceType: r.resource_type, schema, createdAt: r.created_at, updatedAt: r.updated_at };
}

const COLUMNS = 'resource_type, schema_id, name, description, attributes, additional_string_attributes, created_at, updated_at';

/**
 * Tenant-defined extension schemas (docs/extensions.md). What a registration may change is schemaRegistration's
 * decision; schemas are never removed, since users' documents may hold their data.
 * Used by `scimctl schema …` and meant for the admin API as well.
 */
export class TenantSchemaStore {
  constructor(private readonly ds: DataSource) {}

  async list(tenantId: string, resourceType: ExtensibleResourceType = 'User', em: EntityManager = this.ds.manager): Promise<RegisteredSchema[]> {
    const rows: SchemaRow[] = await em.query(
      `SELECT ${COLUMNS} FROM tenant_schemas WHERE tenant_id = $1 AND resource_type = $2 ORDER BY created_at, schema_id`,
      [tenantId, resourceType],
    );
    return rows.map(toRegistered);
  }

  /** The tenant's extension schemas of a resource type, in registration order. */
  async extensions(tenantId: string, resourceType: ExtensibleResourceType = 'User'): Promise<SchemaDefinition[]> {
    return (await this.list(tenantId, resourceType)).map((r) => r.schema);
  }

  /** The tenant's User resource type: core + enterprise + its registered extensions. */
  async userResourceType(tenantId: string): Promise<ResourceTypeSchemas> {
    return userResourceTypeFor(await this.extensions(tenantId, 'User'));
  }

  /**
   * Registers a schema, or updates the one with the same id (case-insensitively; the stored spelling is kept).
   * Throws NotFound for an unknown tenant, and schemaRegistration's ScimError for a definition it refuses.
   */
  async register(
    tenantId: string,
    input: unknown,
    resourceType: ExtensibleResourceType = 'User',
    within?: EntityManager,
  ): Promise<{ schema: SchemaDefinition; created: boolean }> {
    // `within`: a caller's transaction (tenant creation registers its profile's schemas with the tenant).
    const run = <T>(work: (em: EntityManager) => Promise<T>) => (within ? work(within) : this.ds.transaction(work));
    return run(async (em) => {
      // Serialises registrations per tenant, so the overlap check sees every other schema.
      const tenant = await em.query(`SELECT id FROM tenants WHERE id = $1 FOR UPDATE`, [tenantId]);
      if (!tenant.length) throw new NotFound(`tenant ${tenantId} not found`);
      const existing = await this.list(tenantId, resourceType, em);
      const { schema, replaces } = schemaRegistration(
        input,
        BUILT_IN[resourceType],
        existing.map((r) => r.schema),
      );
      if (!replaces) {
        await em.query(
          `INSERT INTO tenant_schemas (tenant_id, resource_type, schema_id, name, description, attributes, additional_string_attributes)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [tenantId, resourceType, schema.id, schema.name, schema.description, JSON.stringify(schema.attributes), schema.additionalStringAttributes === true],
        );
        return { schema, created: true };
      }
      await em.query(
        `UPDATE tenant_schemas SET name = $4, description = $5, attributes = $6, additional_string_attributes = $7, updated_at = now()
         WHERE tenant_id = $1 AND resource_type = $2 AND schema_id = $3`,
        [tenantId, resourceType, schema.id, schema.name, schema.description, JSON.stringify(schema.attributes), schema.additionalStringAttributes === true],
      );
      return { schema, created: false };
    });
  }
}

/**
 * A tenant's User resource type as the ingress and the reconciler use it on every request, cached for `ttlMs` so a
 * request costs no query. A registration takes up to `ttlMs` to reach running processes (scimctl runs elsewhere).
 */
export class TenantResourceTypes {
  private readonly cache = new Map<string, { value: Promise<ResourceTypeSchemas>; until: number }>();

  constructor(
    private readonly store: TenantSchemaStore,
    private readonly ttlMs: number,
  ) {}

  user(tenantId: string): Promise<ResourceTypeSchemas> {
    const now = Date.now();
    const hit = this.cache.get(tenantId);
    if (hit && hit.until > now) return hit.value;
    const value = this.store.userResourceType(tenantId);
    this.cache.set(tenantId, { value, until: now + this.ttlMs });
    // A failed load is not kept: the next request tries again. The error itself still reaches this caller.
    value.catch(() => {
      if (this.cache.get(tenantId)?.value === value) this.cache.delete(tenantId);
    });
    return value;
  }
}
