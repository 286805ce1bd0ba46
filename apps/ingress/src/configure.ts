import { INestApplication } from '@nestjs/common';
import { json, NextFunction, Request, Response, text, urlencoded } from 'express';
import { AppConfig } from '@scimflow/config';
import { setupAdminDocs } from './admin/admin-docs';
import { answerParserErrors } from './client-errors';
import { isTokenEndpoint, sendOAuthError, toOAuthError } from './oauth/oauth-exception.filter';
import { SCIM_CONTENT_TYPE, toScimError } from './scim/scim-exception.filter';

/**
 * HTTP details the Nest pipeline does not cover: SCIM's media type, form bodies of the token
 * endpoint, the body size limits (MAX_BODY_BYTES, MAX_IMPORT_BYTES for bulk imports; larger is 413), body errors as SCIM errors, and
 * the admin API's OpenAPI document.
 */
export function configureIngress(app: INestApplication): void {
  const { MAX_BODY_BYTES: limit, MAX_IMPORT_BYTES: importLimit } = app.get(AppConfig);
  // Bulk imports are larger than any SCIM request, and may be CSV; parsed first, the general parsers skip them.
  app.use(['/admin/tenants/:tenantId/users/import', '/admin/tenants/:tenantId/groups/import'], json({ limit: importLimit }), text({ type: ['text/csv', 'text/plain'], limit: importLimit }));
  app.use(json({ type: ['application/json', 'application/scim+json', 'application/*+json'], limit }));
  // extended: false keeps repeated parameters as arrays, so the token endpoint can refuse them (RFC 6749 §3.2)
  app.use(urlencoded({ type: 'application/x-www-form-urlencoded', extended: false, limit }));
  // Body-parser errors happen before Nest's filters run; render them the same way.
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    if (isTokenEndpoint(req)) return sendOAuthError(res, toOAuthError(err));
    const e = toScimError(err);
    res.status(e.status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(e.toBody()));
  });
  const http = app.getHttpAdapter().getInstance();
  http.disable('x-powered-by');
  http.set('etag', false); // ETags are SCIM versions, set by the controllers
  setupAdminDocs(app);
  answerParserErrors(app.getHttpServer());
}
