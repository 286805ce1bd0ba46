import { INestApplication } from '@nestjs/common';
import { json, NextFunction, Request, Response } from 'express';
import { SCIM_CONTENT_TYPE, toScimError } from './scim/scim-exception.filter';

export const MAX_BODY = '1mb';

/** HTTP details the Nest pipeline does not cover: SCIM's media type, and body errors as SCIM errors. */
export function configureIngress(app: INestApplication): void {
  app.use(json({ type: ['application/json', 'application/scim+json', 'application/*+json'], limit: MAX_BODY }));
  // Body-parser errors happen before Nest's filters run; render them the same way.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const e = toScimError(err);
    res.status(e.status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(e.toBody()));
  });
  const http = app.getHttpAdapter().getInstance();
  http.disable('x-powered-by');
  http.set('etag', false); // ETags are SCIM versions, set by the controllers
}
