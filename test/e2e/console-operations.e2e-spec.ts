import { randomBytes } from 'node:crypto';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { adminRequest } from '../support/admin-client';
import { launchChromium, seriousViolations, shot, signIn, watch } from '../support/console-browser';
import { RunningSystem, startSystem } from '../support/system';

/**
 * The console's operator pages for credentials and what goes downstream, in the system Chromium against the real
 * system: signing keys rotated and one retired; a trusted issuer added and removed; a tenant's delivery paused and
 * resumed; an events API credential made, used, and its consumer seen with the retention changed.
 */
const ADMIN_TOKEN = randomBytes(32).toString('base64url');

describe('console: keys, issuers and downstream in a browser', () => {
  let system: RunningSystem;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let tenantId: string;
  let saved: string | undefined;
  const problems: string[] = [];
  const admin = (method: string, path: string) => adminRequest(system.baseUrl, ADMIN_TOKEN, method, path);

  beforeAll(async () => {
    saved = process.env.ADMIN_TOKEN;
    process.env.ADMIN_TOKEN = ADMIN_TOKEN;
    system = await startSystem();
    tenantId = (await system.createTenant('Fabrikam')).tenantId;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: system.baseUrl });
    page = watch(await context.newPage(), problems);
    await signIn(page, system.baseUrl, ADMIN_TOKEN);
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    if (saved === undefined) delete process.env.ADMIN_TOKEN;
    else process.env.ADMIN_TOKEN = saved;
  });

  afterEach(() => expect(problems).toEqual([]));

  it('rotates the signing key and retires the previous one', async () => {
    // signing keys are global: other specs of the run may have made some already (two more here, so it is so either way)
    type Key = { kid: string; state: string };
    for (let i = 0; i < 2; i++) expect((await admin('POST', '/signing-keys/rotate')).status).toBeLessThan(300);
    const before = new Set(((await admin('GET', '/signing-keys')).body as Key[]).map((k) => k.kid));
    await page.getByRole('link', { name: 'Signing keys' }).click();
    await page.getByRole('heading', { name: 'Signing keys', level: 1 }).waitFor();
    for (let i = 1; i <= 2; i++) {
      await page.getByRole('button', { name: 'Rotate signing key' }).click();
      await page.getByRole('button', { name: 'Rotate now: new tokens get a new key' }).click();
      await page
        .locator('tbody tr')
        .nth(before.size + i - 1)
        .waitFor();
    }
    const made = ((await admin('GET', '/signing-keys')).body as Key[]).filter((k) => !before.has(k.kid));
    expect(made.map((k) => k.state).sort()).toEqual(['signing', 'verifying']);
    const previous = made.find((k) => k.state === 'verifying')!.kid;
    await page.locator('tr', { hasText: previous }).getByText('verifying', { exact: true }).waitFor();
    await page.getByRole('button', { name: `Retire key ${previous}` }).click();
    await page.getByRole('button', { name: 'Retire: tokens it signed stop working now' }).click();
    await page.locator('tr', { hasText: previous }).getByText('retired', { exact: true }).waitFor();
    expect(((await admin('GET', '/signing-keys')).body as Key[]).find((k) => k.kid === previous)!.state).toBe('retired');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'signing-keys');
  });

  it("adds and removes a tenant's trusted issuer", async () => {
    await page.goto(`${system.baseUrl}/console/tenants/${tenantId}/credentials`);
    await page.getByRole('heading', { name: 'Trusted issuers' }).waitFor();
    const issuer = 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0';
    await page.getByLabel('Issuer (the exact iss)').fill(issuer);
    await page.getByLabel('JWK Set URL (https)').fill('https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/discovery/v2.0/keys');
    await page.getByLabel('Subject (the exact sub)').fill('object-id-of-the-service-principal');
    await page.getByRole('button', { name: 'Trust this issuer' }).click();
    await page.locator('td .mono', { hasText: issuer }).waitFor();
    expect((await admin('GET', `/tenants/${tenantId}/federated-credentials`)).body).toEqual([
      expect.objectContaining({ issuer, subject: 'object-id-of-the-service-principal' }),
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: `Remove issuer ${issuer}` }).click();
    await page.getByRole('button', { name: 'Remove: its assertions are refused' }).click();
    await page.getByText('No trusted issuer.').waitFor();
    expect((await admin('GET', `/tenants/${tenantId}/federated-credentials`)).body).toEqual([]);
  });

  it('pauses and resumes delivery, and makes an events API credential whose reads show as a consumer', async () => {
    await page.goto(`${system.baseUrl}/console/tenants/${tenantId}/downstream`);
    await page.getByRole('heading', { name: 'Pause switches' }).waitFor();
    await page.getByRole('button', { name: 'Pause delivery' }).click();
    await page.getByRole('button', { name: 'Pause delivery now' }).click();
    await page.getByText('delivery paused').waitFor();
    expect((await admin('GET', `/tenants/${tenantId}`)).body.deliveryPausedAt).toEqual(expect.any(String));
    await page.getByRole('button', { name: 'Resume delivery' }).click();
    await page.getByRole('button', { name: 'Pause delivery' }).waitFor();
    expect((await admin('GET', `/tenants/${tenantId}`)).body.deliveryPausedAt).toBeNull();

    await page.getByLabel('Description (optional)').fill('billing service');
    await page.getByRole('button', { name: 'New product credential' }).click();
    const credential = await page.getByRole('textbox', { name: 'Product credential', exact: true }).inputValue();
    expect(credential).toMatch(/^sfp_/);
    await shot(page, 'downstream');
    const read = await fetch(`${system.baseUrl}/api/v1/events?limit=10`, { headers: { authorization: `Bearer ${credential}` } });
    expect(read.status).toBe(200);
    await page.reload();
    await page.getByText('billing service').waitFor();
    await page.locator('tbody tr', { hasText: 'billing service' }).getByText('never').waitFor({ state: 'detached' });

    await page.getByLabel(/Days events stay readable/).fill('14');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText('Days events stay readable (now 14)').waitFor();
    expect((await admin('GET', `/tenants/${tenantId}/events-retention`)).body).toEqual({ days: 14 });
    expect(await seriousViolations(page)).toEqual([]);
  });
});
