import { Injectable } from '@nestjs/common';
import { ResourceTypeDescription, ResourceTypeSchemas } from '@scimflow/scim';
import { ListRequest } from './list-query';

/** One page of a resource type's list, rendered and projected, as a ListResponse holds it. */
export interface ResourceListPage {
  total: number;
  resources: Record<string, unknown>[];
  /** with a sort: each resource's sort key (compareSortKeys order), so pages of several types can be merged */
  sortKeys?: unknown[];
}

/**
 * Runs list requests for one resource type: filter, sort, page, render, `attributes`/`excludedAttributes`.
 * `lenient` is a search across resource types (POST /.search): attributes this type does not have count as
 * unassigned rather than 400 (RFC 7644 §3.4.2).
 */
export interface ResourceLister {
  list(tenantId: string, request: ListRequest, options?: { lenient?: boolean }): Promise<ResourceListPage>;
}

/** A resource type as this ingress serves it: what /ResourceTypes and /Schemas show, and how POST /.search lists it. */
export interface ResourceTypeRegistration {
  id: string;
  name: string;
  /** relative to the tenant's base URL, e.g. `/Users` */
  endpoint: string;
  description: string;
  /** the tenant's schemas of this type (core + extensions, which may be tenant-defined) */
  schemas(tenantId: string): Promise<ResourceTypeSchemas>;
  /** how POST /.search at the tenant root includes this type; without one the type is not searched there */
  lister?: ResourceLister;
}

/** Order of the standard types in discovery and root searches; others follow in registration order. */
const STANDARD_ORDER = ['User', 'Group'];

/**
 * The resource types of the ingress. Each type registers itself (UsersLister does for User; a Groups provider can
 * call `register` the same way from its constructor), so discovery and root search always show what is served.
 */
@Injectable()
export class ResourceTypeRegistry {
  private readonly types: ResourceTypeRegistration[] = [];

  register(type: ResourceTypeRegistration): void {
    if (this.find(type.id)) throw new Error(`resource type ${type.id} is registered twice`);
    this.types.push(type);
  }

  all(): ResourceTypeRegistration[] {
    const rank = (t: ResourceTypeRegistration) => {
      const i = STANDARD_ORDER.indexOf(t.id);
      return i < 0 ? STANDARD_ORDER.length : i;
    };
    return [...this.types].sort((a, b) => rank(a) - rank(b));
  }

  /** By id, case-insensitively (`/ResourceTypes/user` finds User). */
  find(id: string): ResourceTypeRegistration | undefined {
    const lower = id.toLowerCase();
    return this.types.find((t) => t.id.toLowerCase() === lower);
  }

  /** The tenant's view of every type, for the discovery documents. */
  async describe(tenantId: string): Promise<ResourceTypeDescription[]> {
    return Promise.all(
      this.all().map(async (t) => ({ id: t.id, name: t.name, endpoint: t.endpoint, description: t.description, schemas: await t.schemas(tenantId) })),
    );
  }
}
