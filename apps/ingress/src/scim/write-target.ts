import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request } from 'express';
import { AuthenticatedTenant } from '@scimflow/access';
import { isUuid } from '@scimflow/contracts';
import { ScimError } from '@scimflow/scim';

type WrittenType = 'User' | 'Group';

/** What a PUT, PATCH or DELETE of /{resourceType}/{id} writes: the fields its command carries besides the action and payload. */
export interface WriteTarget<T extends WrittenType> {
  /** the authenticated tenant (TenantGuard has matched it with the path's) */
  tenantId: string;
  resourceType: T;
  resourceId: string;
  /** the If-Match header, as given */
  ifMatch: string | undefined;
}

/**
 * `@WriteTarget('User') target: WriteTarget<'User'>`: the target of a write to one resource. An id that is not a UUID
 * names no resource of this type: 404, before anything else is looked at.
 */
export const WriteTarget = createParamDecorator(<T extends WrittenType>(resourceType: T, ctx: ExecutionContext): WriteTarget<T> => {
  const req = ctx.switchToHttp().getRequest<Request & { user: AuthenticatedTenant }>();
  const id = req.params.id;
  if (!isUuid(id)) throw ScimError.notFound(`${resourceType} ${id} not found`);
  return { tenantId: req.user.tenantId, resourceType, resourceId: id, ifMatch: req.headers['if-match'] };
});
