import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * The admin API's OpenAPI document, with the console's own API (/console/api: sign-in, the setup page's API): UI at
 * /admin/docs, JSON at /admin/docs-json. Public: it holds no secrets.
 */
export function setupAdminDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('scimflow admin API')
    .setDescription(
      'Tenants and their credentials. Authenticate with `Authorization: Bearer <ADMIN_TOKEN>`; without ADMIN_TOKEN ' +
        'the API answers 503. Errors are SCIM error bodies (`urn:ietf:params:scim:api:messages:2.0:Error`). ' +
        'Secrets (tokens, client secrets) appear only in the answer that creates them.',
    )
    .setVersion('1')
    .addBearerAuth()
    .addCookieAuth('scimflow_console', { type: 'apiKey', in: 'cookie', name: 'scimflow_console' }, 'scimflow_console')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    // only the admin API: the SCIM API is described by its own discovery endpoints
    include: [],
  });
  for (const path of Object.keys(document.paths)) if (!path.startsWith('/admin') && !path.startsWith('/console/api')) delete document.paths[path];
  SwaggerModule.setup('admin/docs', app, document, { jsonDocumentUrl: 'admin/docs-json' });
}
