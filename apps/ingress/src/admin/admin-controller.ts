import { applyDecorators, Controller, UseGuards, UsePipes, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiDefaultResponse, ApiTags } from '@nestjs/swagger';
import { Tenant, TenantAdmin } from '@scimflow/persistence';
import { ScimError } from '@scimflow/scim';
import { AdminGuard } from './admin.guard';
import { ErrorSchema } from './admin.schemas';

/** Every message of a failed validation, nested properties named by their path (`rateLimit.burst must …`). */
export function validationMessages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => (parent ? `${parent}.${m}` : m)),
    ...validationMessages(e.children ?? [], parent ? `${parent}.${e.property}` : e.property),
  ]);
}

/** Admin bodies and queries: unknown properties refused; a value out of its type or range is 400 invalidValue naming the allowed values. */
export const ADMIN_VALIDATION = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => ScimError.badRequest('invalidValue', validationMessages(errors).join('; ') || 'invalid request'),
});

export function found<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw ScimError.notFound(`${what} not found`);
  return value;
}

/** The tenant an admin path names; 404 if there is none. */
export async function existingTenant(tenants: TenantAdmin, tenantId: string): Promise<Tenant> {
  return found(await tenants.get(tenantId), `Tenant ${tenantId}`);
}

export interface AdminControllerDocs {
  /** the statuses the default (error) response lists, e.g. '401 bad admin credential, 503 admin API disabled, 400, 404' */
  errors?: string;
  /** listed in /admin/docs as open to the console's session cookie as well (AdminGuard accepts it everywhere) */
  consoleCookie?: boolean;
}

/**
 * An admin API controller at `path`: the admin credential (AdminGuard), admin validation (ADMIN_VALIDATION), SCIM error
 * bodies, and its place in /admin/docs under `tag`.
 */
export function AdminController(path: string, tag: string, { errors, consoleCookie }: AdminControllerDocs = {}): ClassDecorator {
  return applyDecorators(
    ApiTags(tag),
    // before the bearer scheme: /admin/docs lists them in the order they always had
    ...(consoleCookie ? [ApiCookieAuth('scimflow_console')] : []),
    ApiBearerAuth(),
    ApiDefaultResponse({ type: ErrorSchema, description: errors ? `SCIM error body (${errors})` : 'SCIM error body' }),
    Controller(path),
    UseGuards(AdminGuard),
    UsePipes(ADMIN_VALIDATION),
  );
}
