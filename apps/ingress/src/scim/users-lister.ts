import { Injectable } from '@nestjs/common';
import { IngressConfig } from '@scimflow/config';
import { TenantResourceTypes, UserGroupRef, UserStore } from '@scimflow/persistence';
import { renderUser, storedView, UserState } from '@scimflow/provisioning';
import { projectResource, ProjectionOptions, ResourceTypeSchemas } from '@scimflow/scim';
import { ListRequest } from './list-query';
import { ResourceListPage, ResourceLister, ResourceTypeRegistry } from './resource-types';
import { UserGroups } from './user-groups';

/**
 * Users as the ingress reads them: the tenant's User resource type (with its extension schemas), rendering with
 * meta and `groups`, and projection. Lists GET /Users, POST /Users/.search and the Users of POST /.search alike.
 */
@Injectable()
export class UsersLister implements ResourceLister {
  constructor(
    private readonly users: UserStore,
    private readonly resourceTypes: TenantResourceTypes,
    private readonly userGroups: UserGroups,
    private readonly config: IngressConfig,
    registry: ResourceTypeRegistry,
  ) {
    registry.register({
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account',
      schemas: (tenantId) => this.types(tenantId),
      lister: this,
    });
  }

  /** The tenant's User resource type: core, enterprise and its registered extensions. */
  types(tenantId: string): Promise<ResourceTypeSchemas> {
    return this.resourceTypes.user(tenantId);
  }

  async list(tenantId: string, request: ListRequest, options: { lenient?: boolean } = {}): Promise<ResourceListPage> {
    const types = await this.types(tenantId);
    const page = await this.users.list(tenantId, { ...request, types, lenient: options.lenient, withGroups: this.userGroups.wanted(request) });
    return { total: page.total, resources: await this.render(tenantId, page.users, types, request, page.groups), sortKeys: page.sortKeys };
  }

  /** Rendered, with `groups` filled in (from `groups` when read with the users), and projected (RFC 7644 §3.9). */
  async render(
    tenantId: string,
    users: UserState[],
    types: ResourceTypeSchemas,
    projection: ProjectionOptions,
    groups?: Map<string, UserGroupRef[]>,
  ): Promise<Record<string, unknown>[]> {
    const base = `${this.config.PUBLIC_BASE_URL}/scim/v2/${tenantId}`;
    const rendered = users.map((u) => renderUser(storedView(u), base));
    await this.userGroups.attach(tenantId, rendered, projection, groups);
    return rendered.map((r) => projectResource(r, types, projection));
  }
}
