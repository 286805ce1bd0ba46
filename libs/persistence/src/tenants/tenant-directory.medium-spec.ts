import { issueTenantCredentials, SecretTokenVerifier } from '@scimflow/access';
import { PersistenceConfig, validateConfig } from '@scimflow/config';
import { newTenantProfile, WORKFORCE_FOLDERS_SCHEMA, WORKFORCE_METADATA_SCHEMA } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import { subscriptionSettings } from '@scimflow/webhooks';
import { useDatabase } from '../../../../test/support/medium/database';
import { Tenant } from '../entities';
import { createStores, Stores } from '../stores';

const db = useDatabase();

describe('TenantDirectory (Postgres)', () => {
  let stores: Stores;
  beforeAll(() => {
    stores = createStores(db(), validateConfig(PersistenceConfig, { WEBHOOK_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') }));
  });

  it('creates a tenant with its token, OAuth client, webhooks and profile schemas, and shows the secrets once', async () => {
    const credentials = await issueTenantCredentials();
    const webhooks = [
      subscriptionSettings({ url: 'https://a.example/hooks' }),
      subscriptionSettings({ url: 'https://b.example/hooks', eventTypes: ['dev.scimflow.user.*'] }),
    ];
    const created = await stores.tenantDirectory.createTenant({
      name: 'Contoso',
      ...newTenantProfile('workforce'),
      allowedSourceIps: ['192.0.2.0/24'],
      rateLimit: { perSecond: 5, burst: 10 },
      webhooks,
      credentials,
    });

    const tenantId = created.tenant.id;
    expect(created.token).toBe(credentials.token.token);
    expect(created.client).toEqual({ clientId: credentials.client.clientId, clientSecret: credentials.client.clientSecret });
    expect(created.webhooks.map((w) => [w.subscription.url, w.subscription.eventTypes, w.secret])).toEqual(
      webhooks.map((w) => [w.url, w.eventTypes, w.secret]),
    );
    expect(await stores.tenantAdmin.get(tenantId)).toMatchObject({
      name: 'Contoso',
      status: 'active',
      profile: 'workforce',
      allowedSourceIps: ['192.0.2.0/24'],
      rateLimitPerSecond: 5,
      rateLimitBurst: 10,
    });
    // only hashes are stored
    expect(await stores.secretTokens.active(credentials.token.id)).toEqual({ id: credentials.token.id, tenantId, secretHash: credentials.token.secretHash });
    expect(await stores.oauthClients.byId(credentials.client.clientId)).toMatchObject({ tenantId, secretHash: credentials.client.secretHash });
    expect((await stores.tenantSchemas.list(tenantId)).map((r) => r.schema.id)).toEqual([WORKFORCE_FOLDERS_SCHEMA.id, WORKFORCE_METADATA_SCHEMA.id]);

    const listed = (await stores.tenantDirectory.listTenants()).find((t) => t.id === tenantId);
    expect(listed?.subscriptions?.map((s) => s.url).sort()).toEqual(['https://a.example/hooks', 'https://b.example/hooks']);
  });

  it('creates all of it or nothing: a schema it cannot register leaves no tenant behind', async () => {
    const name = `half-made ${Date.now()}`;
    const attempt = stores.tenantDirectory.createTenant({
      name,
      userSchemas: [{ id: 'not a urn', name: 'Broken' }],
      webhooks: [subscriptionSettings({ url: 'https://a.example/hooks' })],
      credentials: await issueTenantCredentials(),
    });
    await expect(attempt).rejects.toBeInstanceOf(ScimError);
    expect(await db().getRepository(Tenant).findOneBy({ name })).toBeNull();
  });

  it("lets the verifier find a tenant's token until it is revoked, and notes its use", async () => {
    const credentials = await issueTenantCredentials();
    const { tenant } = await stores.tenantDirectory.createTenant({ name: 'Fabrikam', credentials });
    const verifier = new SecretTokenVerifier(stores.secretTokens);
    expect(await verifier.authenticate(credentials.token.token)).toEqual({ tenantId: tenant.id, tokenId: credentials.token.id });
    expect((await stores.secretTokens.list(tenant.id))[0].lastUsedAt).not.toBeNull();
    expect(await stores.secretTokens.revoke(tenant.id, credentials.token.id)).toBe(true);
    expect(await stores.secretTokens.active(credentials.token.id)).toBeUndefined();
    verifier.forget(credentials.token.id);
    expect(await verifier.authenticate(credentials.token.token)).toBeUndefined();
  });
});
