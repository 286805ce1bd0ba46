import { randomUUID } from 'node:crypto';
import { issueTenantCredentials } from '@scimflow/access';
import { PersistenceConfig, validateConfig } from '@scimflow/config';
import { NotFound } from '@scimflow/provisioning';
import { isSealed, secretRotation, subscriptionSettings } from '@scimflow/webhooks';
import { useDatabase } from '../../../../test/support/medium/database';
import { WebhookSubscription } from '../entities';
import { createStores, Stores } from '../stores';

const db = useDatabase();

describe('WebhookSubscriptions (Postgres)', () => {
  let stores: Stores;
  let tenantId: string;
  beforeAll(async () => {
    stores = createStores(db(), validateConfig(PersistenceConfig, { WEBHOOK_SECRETS_KEY: Buffer.alloc(32, 9).toString('base64') }));
    tenantId = (await stores.tenantDirectory.createTenant({ name: 'subscriptions', credentials: await issueTenantCredentials() })).tenant.id;
  });
  const subscriptions = () => stores.webhookSubscriptions;
  const stored = async (id: string) => (await db().getRepository(WebhookSubscription).findOneByOrFail({ id })).secrets;

  it('stores a subscription with its secret sealed, and reveals the secret to the operator', async () => {
    const settings = subscriptionSettings({ url: 'https://receiver.example/hooks', eventTypes: ['dev.scimflow.user.*'] });
    const { subscription, secret } = await subscriptions().create(tenantId, settings);
    expect(secret).toBe(settings.secret);
    expect(subscription).toMatchObject({ tenantId, url: settings.url, eventTypes: settings.eventTypes, enabled: true, disabledReason: null });
    expect(subscription.secrets).toEqual([{ createdAt: expect.any(String), expiresAt: null }]);
    expect((await stored(subscription.id)).map((s) => isSealed(s.value))).toEqual([true]);
    expect((await subscriptions().revealSecrets(subscription.id)).map((s) => s.secret)).toEqual([secret]);
    expect(await subscriptions().get(subscription.id)).toEqual(subscription);
    expect((await subscriptions().list({ tenantId })).map((s) => s.id)).toContain(subscription.id);
  });

  it('answers NotFound for a tenant or subscription that does not exist, also for ids that are not UUIDs', async () => {
    const settings = subscriptionSettings({ url: 'https://receiver.example/hooks' });
    await expect(subscriptions().create(randomUUID(), settings)).rejects.toBeInstanceOf(NotFound);
    await expect(subscriptions().create('tenant-1', settings)).rejects.toThrow(new NotFound('tenant tenant-1 not found'));
    for (const id of [randomUUID(), 'nope']) {
      await expect(subscriptions().get(id)).rejects.toThrow(new NotFound(`subscription ${id} not found`));
      await expect(subscriptions().delete(id)).rejects.toBeInstanceOf(NotFound);
      await expect(subscriptions().rotateSecret(id, secretRotation())).rejects.toBeInstanceOf(NotFound);
    }
    expect(await subscriptions().list({ tenantId: 'nope' })).toEqual([]);
  });

  it('rotates: the new secret signs, the previous one beside it until the overlap ends; with no overlap it stops at once', async () => {
    const { subscription, secret: first } = await subscriptions().create(tenantId, subscriptionSettings({ url: 'https://rotate.example/hooks' }));
    const rotated = await subscriptions().rotateSecret(subscription.id, secretRotation({ overlapMs: 3600_000 }));
    expect(rotated.subscription.secrets.map((s) => s.expiresAt === null)).toEqual([true, false]);
    expect(subscriptions().signingSecrets(await stored(subscription.id))).toEqual([rotated.secret, first]);
    const again = await subscriptions().rotateSecret(subscription.id, secretRotation({ overlapMs: 0 }));
    expect(subscriptions().signingSecrets(await stored(subscription.id))).toEqual([again.secret]);
  });

  it('disables and enables, and routes events only to the enabled subscriptions of each tenant, oldest first', async () => {
    const other = (await stores.tenantDirectory.createTenant({ name: 'other', credentials: await issueTenantCredentials() })).tenant.id;
    const a = (await subscriptions().create(other, subscriptionSettings({ url: 'https://a.example', eventTypes: ['dev.scimflow.group.*'] }))).subscription;
    const b = (await subscriptions().create(other, subscriptionSettings({ url: 'https://b.example' }))).subscription;
    expect(await subscriptions().disable(a.id, 'receiver gone')).toMatchObject({ enabled: false, disabledReason: 'receiver gone' });
    expect((await subscriptions().enabledForTenants([other, 'nope', randomUUID()])).get(other)).toEqual([{ id: b.id, eventTypes: [] }]);
    expect(await subscriptions().enable(a.id)).toMatchObject({ enabled: true, disabledReason: null });
    expect((await subscriptions().enabledForTenants([other])).get(other)).toEqual([
      { id: a.id, eventTypes: ['dev.scimflow.group.*'] },
      { id: b.id, eventTypes: [] },
    ]);
  });

  it('deletes a subscription', async () => {
    const { subscription } = await subscriptions().create(tenantId, subscriptionSettings({ url: 'https://gone.example' }));
    await subscriptions().delete(subscription.id);
    await expect(subscriptions().get(subscription.id)).rejects.toBeInstanceOf(NotFound);
  });
});
