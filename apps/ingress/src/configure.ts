import { INestApplication } from '@nestjs/common';
import { resolve } from 'node:path';
import { json, NextFunction, Request, Response, text, urlencoded } from 'express';
import { IngressConfig } from '@scimflow/config';
import { assertSafeJson, ScimError } from '@scimflow/scim';
import { setupAdminDocs } from './admin/admin-docs';
import { answerParserErrors } from './client-errors';
import { isTokenEndpoint, sendOAuthError, toOAuthError } from './oauth/oauth-exception.filter';
import { SCIM_CONTENT_TYPE, toScimError } from './scim/scim-exception.filter';
import { RequestLogCapture } from './request-log/request-log-capture';
import { serveConsole } from './console/console-static';

/**
 * HTTP details the Nest pipeline does not cover: the request log's capture, the console's static files, SCIM's media type, form bodies of the token
 * endpoint, the body size limits (MAX_BODY_BYTES, MAX_IMPORT_BYTES for bulk imports; larger is 413), body errors as SCIM errors, and
 * the admin API's OpenAPI document.
 */
export function configureIngress(app: INestApplication): void {
  const { MAX_BODY_BYTES: limit, MAX_IMPORT_BYTES: importLimit, CONSOLE_DIR } = app.get(IngressConfig);
  // first: the request log records the refusals below too
  app.use(app.get(RequestLogCapture).middleware);
  app.use(refuseUnsupportedEncoding);
  // the built console's files (GET only; its API under /console/api goes on to Nest)
  app.use(serveConsole(resolve(CONSOLE_DIR)));
  // Bulk imports are larger than any SCIM request, and may be CSV; parsed first, the general parsers skip them.
  app.use(
    ['/admin/tenants/:tenantId/users/import', '/admin/tenants/:tenantId/groups/import'],
    json({ limit: importLimit }),
    text({ type: ['text/csv', 'text/plain'], limit: importLimit }),
  );
  app.use(json({ type: ['application/json', 'application/scim+json', 'application/*+json'], limit }));
  // extended: false keeps repeated parameters as arrays, so the token endpoint can refuse them (RFC 6749 §3.2)
  app.use(urlencoded({ type: 'application/x-www-form-urlencoded', extended: false, limit }));
  app.use(refuseUnsafeInput);
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

/** Content encodings the body parsers decode; anything else (br included) is 415 before a byte is read. */
const CONTENT_ENCODINGS = new Set(['identity', 'gzip', 'deflate']);
const SCIM_WRITE_TYPES = new Set(['application/scim+json', 'application/json']);
const IMPORT_PATH = /^\/admin\/tenants\/[^/]+\/(users|groups)\/import\/?$/;

function refuseUnsupportedEncoding(req: Request, _res: Response, next: NextFunction) {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (!CONTENT_ENCODINGS.has(encoding))
    return next(new ScimError(415, `Content-Encoding ${JSON.stringify(encoding)} is not supported: send identity, gzip or deflate`));
  next();
}

/**
 * Before any controller: SCIM writes carry JSON (415 otherwise), and no body or query parameter is nested deeper than
 * MAX_JSON_DEPTH or holds strings Postgres and Kafka cannot take (400, see assertSafeJson). Imports check strings per
 * row (a bad row fails, the others are imported), so only their depth is checked here.
 */
function refuseUnsafeInput(req: Request, _res: Response, next: NextFunction) {
  try {
    if (req.path.startsWith('/scim/') && (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH')) {
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (!SCIM_WRITE_TYPES.has(type))
        throw new ScimError(415, `Content-Type ${JSON.stringify(type || '(none)')} is not supported: send application/scim+json or application/json`);
    }
    assertSafeJson(req.query, { label: 'query' });
    if (req.body !== undefined) assertSafeJson(req.body, { strings: !IMPORT_PATH.test(req.path) });
    next();
  } catch (e) {
    next(e);
  }
}
