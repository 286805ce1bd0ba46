import { Injectable } from '@nestjs/common';
import { IngressConfig } from '@scimflow/config';
import { GroupStore } from '@scimflow/persistence';
import { memberProjection, pick, renderGroup, renderMember, storedView } from '@scimflow/provisioning';
import { groupResourceTypeSchemas, groupSchema, projectResource } from '@scimflow/scim';
import { ListRequest } from './list-query';
import { ResourceListPage, ResourceLister, ResourceTypeRegistry } from './resource-types';

/**
 * The Group resource type for discovery and for POST /.search at the tenant root, where results of several types are
 * merged in memory. GET /Groups and POST /Groups/.search stream instead (GroupResponses), which is what large groups need.
 */
@Injectable()
export class GroupsLister implements ResourceLister {
  constructor(
    private readonly groups: GroupStore,
    private readonly config: IngressConfig,
    registry: ResourceTypeRegistry,
  ) {
    registry.register({
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Group',
      // Entra's attribute-less ADSCIM URN is accepted on input but never held, so it is not advertised.
      schemas: async () => ({ core: groupSchema, extensions: [] }),
      lister: this,
    });
  }

  async list(tenantId: string, request: ListRequest, options: { lenient?: boolean } = {}): Promise<ResourceListPage> {
    const base = `${this.config.PUBLIC_BASE_URL}/scim/v2/${tenantId}`;
    const subs = memberProjection(request);
    return this.groups.snapshot(async (em) => {
      const page = await this.groups.list(tenantId, { ...request, lenient: options.lenient }, em);
      const resources: Record<string, unknown>[] = [];
      for (const group of page.groups) {
        const resource = projectResource(renderGroup(storedView(group), base), groupResourceTypeSchemas, request);
        if (subs) {
          const members: Record<string, unknown>[] = [];
          for await (const part of this.groups.members(em, tenantId, group.id)) members.push(...part.map((m) => pick(renderMember(m, base), subs)));
          if (members.length) resource.members = members;
        }
        resources.push(resource);
      }
      return { total: page.total, resources, sortKeys: page.sortKeys };
    });
  }
}
