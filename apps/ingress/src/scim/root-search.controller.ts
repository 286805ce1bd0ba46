import { Body, Controller, Post, Res, UseGuards } from '@nestjs/common';
import { Response } from 'express';
import { listResponse } from '@scimflow/provisioning';
import { compareSortKeys, ScimError } from '@scimflow/scim';
import { CurrentTenant, TenantGuard } from '../auth/tenant.guard';
import { ListQuery, ListRequest, listRequestOf } from './list-query';
import { ResourceLister, ResourceTypeRegistry } from './resource-types';
import { SCIM_CONTENT_TYPE } from './scim-exception.filter';

/**
 * How deep a sorted search across resource types may page: each type's first `startIndex - 1 + count` resources are
 * read and merged in memory, so beyond this the answer is 400 tooMany (RFC 7644 §3.12). Unsorted searches and
 * searches of one resource type (`/Users/.search`) have no such limit.
 */
export const MAX_SORTED_ROOT_WINDOW = 1000;

/**
 * POST /scim/v2/{tenantId}/.search (RFC 7644 §3.4.3): one search over every resource type that has a lister.
 * Attributes a type does not have count as unassigned there (RFC 7644 §3.4.2), so `userName eq "x"` finds no Group.
 * Without sortBy the results are the types in order (Users, then Groups), each in creation order; with sortBy they are
 * merged by the sort key.
 */
@Controller('scim/v2/:tenantId')
@UseGuards(TenantGuard)
export class RootSearchController {
  constructor(private readonly registry: ResourceTypeRegistry) {}

  @Post('.search')
  async search(@CurrentTenant() tenantId: string, @Body() body: unknown, @Res() res: Response) {
    const request = listRequestOf(ListQuery.fromSearchRequest(body));
    const listers = this.registry.all().flatMap((t) => (t.lister ? [t.lister] : []));
    const page = request.sort ? await sortedAcross(tenantId, listers, request) : await concatenated(tenantId, listers, request);
    res
      .status(200)
      .type(SCIM_CONTENT_TYPE)
      .send(JSON.stringify(listResponse(page.resources, page.total, request.startIndex)));
  }
}

/** The types one after another: counts first, then from each type the part of the window that falls into it. */
async function concatenated(tenantId: string, listers: ResourceLister[], request: ListRequest) {
  const totals = await Promise.all(listers.map(async (l) => (await l.list(tenantId, { ...request, count: 0 }, { lenient: true })).total));
  const resources: Record<string, unknown>[] = [];
  let skip = request.startIndex - 1;
  let wanted = request.count;
  for (const [i, lister] of listers.entries()) {
    if (wanted === 0) break;
    if (skip >= totals[i]) {
      skip -= totals[i];
      continue;
    }
    const part = await lister.list(tenantId, { ...request, startIndex: skip + 1, count: Math.min(wanted, totals[i] - skip) }, { lenient: true });
    resources.push(...part.resources);
    wanted -= part.resources.length;
    skip = 0;
  }
  return { total: totals.reduce((a, b) => a + b, 0), resources };
}

/** Each type's first `window` resources in sort order, merged; ties keep the types' order. */
async function sortedAcross(tenantId: string, listers: ResourceLister[], request: ListRequest) {
  const window = request.startIndex - 1 + request.count;
  if (window > MAX_SORTED_ROOT_WINDOW) {
    throw ScimError.badRequest(
      'tooMany',
      `A sorted search across resource types can page up to ${MAX_SORTED_ROOT_WINDOW} results (startIndex + count - 1); narrow the filter or search one resource type`,
    );
  }
  const pages = await Promise.all(listers.map((l) => l.list(tenantId, { ...request, startIndex: 1, count: window }, { lenient: true })));
  const order = request.sort!.order;
  const merged = pages
    .flatMap((p, type) => p.resources.map((resource, i) => ({ resource, key: p.sortKeys?.[i], type, i })))
    .sort((a, b) => compareSortKeys(a.key, b.key, order) || a.type - b.type || a.i - b.i);
  return {
    total: pages.reduce((sum, p) => sum + p.total, 0),
    resources: merged.slice(request.startIndex - 1, window).map((m) => m.resource),
  };
}
