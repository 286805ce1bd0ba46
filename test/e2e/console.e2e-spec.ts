import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, BrowserContext } from 'playwright-core';
import { adminRequest } from '../support/admin-client';
import { launchChromium, seriousViolations, SHOTS, shot, watch } from '../support/console-browser';
import { patchOps, ScimClient } from '../support/scim-client';
import { RunningSystem, startSystem } from '../support/system';

/**
 * The console in a real browser (the system Chromium) against the real system: the ingress serves the built
 * dist/console and the admin and setup APIs; Kafka, Postgres, the reconciler and the notifier are the real ones.
 * An operator signs in, creates a tenant, copies its credentials and makes a setup link; the customer's setup
 * page sees Entra's Test Connection turn green; a provisioning run shows in the request log with its notes; a
 * failing webhook dead-letters and is redriven from the console; a group Entra provisioned is browsed with its
 * members; a replay is counted (dry run) and run from the Webhooks page; a second tenant's link sees nothing of the first.
 * axe-core checks the main pages; one page is checked at 768px. Screenshots go to .run/console-screenshots/
 * (and docs/console/ with UPDATE_SCREENSHOTS=1).
 */

const ADMIN_TOKEN = randomBytes(32).toString('base64url');
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

describe('console in a browser', () => {
  let system: RunningSystem;
  let browser: Browser;
  let operator: BrowserContext;
  let customer: BrowserContext;
  let receiver: http.Server;
  let hookUrl: string;
  let refuse = true;
  const received: string[] = [];
  /** bodies that came with `webhook-replay: true` */
  const replayed: string[] = [];
  const cspViolations: string[] = [];
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        if (refuse) return void res.writeHead(500).end('receiver down for the test');
        received.push(raw);
        if (req.headers['webhook-replay'] === 'true') replayed.push(raw);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    // the retry horizon short, so a refused event becomes a dead letter within seconds (as webhooks-admin.e2e does)
    for (const [k, v] of Object.entries({ ADMIN_TOKEN, WEBHOOK_RETRY_HORIZON_MS: '1500', WEBHOOK_POLL_MS: '100' })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    system = await startSystem();
    browser = await launchChromium();
    operator = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await operator.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: system.baseUrl });
    customer = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    receiver?.closeAllConnections();
    await new Promise<void>((r) => receiver?.close(() => r()) ?? r());
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  it('an operator connects a tenant; the customer sets it up; requests, notes and a redriven dead letter show', async () => {
    try {
      await scenario();
    } catch (e) {
      // what each page showed when it failed, for the one reading the report
      const pages = [...operator.pages(), ...customer.pages()];
      await Promise.all(pages.map((p, i) => p.screenshot({ path: join(SHOTS[0], `failed-${i}.png`), fullPage: true }).catch(() => undefined)));
      throw e;
    }
  });

  async function scenario() {
    const page = watch(await operator.newPage(), cspViolations);

    // static serving: the console's security headers
    const index = await fetch(`${system.baseUrl}/console`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");

    // sign in
    await page.goto(`${system.baseUrl}/console`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot(page, 'sign-in');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Admin token').fill('not-the-admin-token-but-long-enough-to-try');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByLabel('Admin token').press('Enter');
    await page.getByRole('heading', { name: 'Tenants', level: 1 }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // keyboard: the first Tab lands on the skip link, with a visible focus ring
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const g = globalThis as unknown as {
        document: { activeElement: { textContent: string } };
        getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string };
      };
      const style = g.getComputedStyle(g.document.activeElement);
      return { text: g.document.activeElement.textContent, outline: `${style.outlineStyle} ${style.outlineWidth}` };
    });
    expect(focused).toEqual({ text: 'Skip to content', outline: 'solid 3px' });

    // create a tenant, its credentials shown once, copied with the button
    await page.getByRole('link', { name: 'New tenant' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Contoso');
    await page.getByLabel('Product profile').selectOption('custom');
    await page.getByLabel('Webhook URL (optional)').fill(hookUrl);
    await page.getByLabel('Allowed source IPs (optional)').fill('127.0.0.0/8');
    await shot(page, 'create-tenant');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await page.getByRole('heading', { name: 'Entra credentials' }).waitFor();
    const scimBaseUrl = await page.getByLabel('Tenant URL', { exact: true }).inputValue();
    await page.getByRole('button', { name: 'Copy Secret Token' }).click();
    await page.getByText('Secret Token copied').waitFor();
    const token: string = await page.evaluate(() =>
      (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
    );
    expect(token).toMatch(/^scimflow_[a-z0-9]{12}_/);
    expect(await page.getByLabel('Secret Token', { exact: true }).inputValue()).toBe(token);
    const tenantId = scimBaseUrl.split('/').pop()!;

    await page.getByRole('button', { name: 'I have copied them' }).click();
    await page.getByRole('heading', { name: 'Contoso', level: 1 }).waitFor();
    expect(page.url()).toBe(`${system.baseUrl}/console/tenants/${tenantId}`);

    // a setup link for the customer's IT admin
    await page.getByRole('link', { name: 'Setup links' }).click();
    await page.getByLabel('Product name (optional)').fill('Acme HR');
    await page.getByRole('button', { name: 'Create setup link' }).click();
    const setupUrl = await page.getByLabel('Setup link URL', { exact: true }).inputValue();
    expect(setupUrl).toMatch(new RegExp(`^${system.baseUrl}/console/setup#sfsl_`));
    await page.getByRole('cell', { name: 'Acme HR' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // the customer's page: the token leaves the address bar; Test Connection goes green on a real SCIM request
    const setup = watch(await customer.newPage(), cspViolations);
    await setup.goto(setupUrl);
    await setup.getByRole('heading', { name: 'Connect Acme HR to Microsoft Entra ID' }).waitFor();
    expect(setup.url()).toBe(`${system.baseUrl}/console/setup`);
    expect(await setup.getByLabel('Tenant URL', { exact: true }).inputValue()).toBe(scimBaseUrl);
    const indicator = setup.locator('.indicator');
    expect(await indicator.getAttribute('data-state')).toBe('waiting');
    await setup.getByRole('button', { name: 'Reveal a secret token' }).click();
    const revealed = await setup.getByLabel('Secret Token', { exact: true }).inputValue();
    expect(revealed).toMatch(/^scimflow_/);
    expect(await seriousViolations(setup)).toEqual([]);

    // a Test Connection with a wrong token: red, saying why
    const wrong = new ScimClient(scimBaseUrl, `scimflow_abcdefghij12_${randomBytes(32).toString('base64url')}`);
    expect((await wrong.get('/Users?filter=userName+eq+%22probe%22')).status).toBe(401);
    await setup.locator('.indicator[data-state="failed"]').waitFor({ timeout: 15_000 });
    expect(await indicator.innerText()).toContain('the credential was not accepted');

    const scim = new ScimClient(scimBaseUrl, revealed);
    const test = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "test-connection-probe"')}`);
    expect(test.status).toBe(200);
    await setup.locator('.indicator[data-state="ok"]').waitFor({ timeout: 15_000 });
    expect(await indicator.innerText()).toMatch(/Connected[\s\S]*from 127\.0\.0\.1/);
    await setup.locator('dt:text-is("Last request") + dd').filter({ hasNotText: 'none yet' }).waitFor();
    await shot(setup, 'setup-page');

    // a provisioning run as Entra sends it
    const created = await scim.post('/Users', {
      schemas: [USER],
      userName: 'ada@contoso.example',
      externalId: 'ada',
      active: true,
      name: { givenName: 'Ada', familyName: 'Lovelace' },
    });
    expect(created.status).toBe(201);
    const userId: string = created.body.id;
    expect((await scim.patch(`/Users/${userId}`, patchOps({ op: 'Replace', path: 'active', value: 'False' }))).status).toBe(200);
    expect((await scim.get(`/Users/${userId}`)).status).toBe(200);
    expect((await scim.post('/Users', { schemas: [USER], active: true })).status).toBe(400);
    const group = await scim.post('/Groups', { schemas: [GROUP], displayName: 'Engineering', externalId: 'eng', members: [{ value: userId }] });
    expect(group.status).toBe(201);

    await page.getByRole('link', { name: 'Request log' }).click();
    const patchRow = page.getByRole('row').filter({ hasText: `PATCH /Users/${userId}` });
    await until('the PATCH in the request log', async () => {
      if ((await patchRow.count()) > 0) return true;
      await page.getByRole('button', { name: 'Apply' }).click();
      return false;
    });
    await patchRow.getByRole('button', { name: /Details/ }).click();
    await page.getByRole('heading', { name: 'Normalisation notes' }).waitFor();
    await page.getByText('active "False" read as false').waitFor();
    await shot(page, 'request-log');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Method').selectOption('POST');
    await page.getByLabel('Status').fill('400');
    await page.getByRole('button', { name: 'Apply' }).click();
    await until('the filter to leave the one failed POST', async () => (await page.locator('table.requests tbody tr').count()) === 1);
    // a custom time range that starts in an hour: nothing yet (datetime-local takes the browser's local time)
    const inAnHour = new Date(Date.now() + 3600_000);
    await page.getByLabel('Time', { exact: true }).selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill(new Date(inAnHour.getTime() - inAnHour.getTimezoneOffset() * 60_000).toISOString().slice(0, 16));
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No requests match.').waitFor();

    // the token the customer revealed through the link is the tenant's, and says so
    await page.getByRole('link', { name: 'Credentials' }).click();
    await page.getByText(/issued through setup link/).waitFor();
    await shot(page, 'credentials');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('img', { name: /Requests per hour by outcome/ }).waitFor();
    await page.getByText('Show the numbers as a table').click();
    await shot(page, 'activity');
    expect(await seriousViolations(page)).toEqual([]);

    // users through a SCIM filter, parsed and matched by libs/scim as the SCIM API does
    await page.getByRole('link', { name: 'Users and groups' }).click();
    const filter = page.getByRole('search', { name: 'Filter users' }).getByLabel('SCIM filter');
    await filter.fill('active eq true');
    await filter.press('Enter');
    await page.getByText('No user matches the filter.').waitFor();
    await filter.fill('userName eq');
    await filter.press('Enter');
    await page
      .getByRole('alert')
      .filter({ hasText: /filter/i })
      .waitFor();
    await filter.fill('emails[type eq "work"].value co "contoso" or userName sw "ADA" and active eq false');
    await filter.press('Enter');
    await page.getByRole('link', { name: 'ada@contoso.example' }).waitFor();
    await shot(page, 'users');
    expect(await seriousViolations(page)).toEqual([]);
    // groups, filtered on the server with a SCIM filter; a group's members on demand
    const groupFilter = page.getByRole('search', { name: 'Filter groups' }).getByLabel('SCIM filter');
    await groupFilter.fill('displayName sw "Sales"');
    await groupFilter.press('Enter');
    await page.getByText('No group matches the filter.').waitFor();
    await groupFilter.fill('displayName eq');
    await groupFilter.press('Enter');
    await page
      .getByRole('alert')
      .filter({ hasText: /filter/i })
      .waitFor();
    await groupFilter.fill('displayName sw "eng" and externalId eq "eng"');
    await groupFilter.press('Enter');
    const groupRow = page.getByRole('row').filter({ hasText: 'Engineering' });
    await groupRow.getByRole('button', { name: 'Members of Engineering' }).click();
    await page.getByRole('heading', { name: 'Members of Engineering (1)' }).waitFor();
    expect(await page.locator('ul.members li').allInnerTexts()).toEqual([`ada@contoso.example ${userId}`]);
    await shot(page, 'groups');
    expect(await seriousViolations(page)).toEqual([]);
    // a member's name leads to the user's page
    await page.locator('ul.members').getByRole('link', { name: 'ada@contoso.example' }).click();
    await page.getByRole('heading', { name: 'ada@contoso.example' }).waitFor();
    await page.getByText('dev.scimflow.user.deactivated').first().waitFor();
    await shot(page, 'user-timeline');

    // the webhook receiver refused the events: they dead-letter; redriven from the console, they arrive
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByLabel('Tenant').selectOption({ label: 'Contoso' });
    await page.getByRole('button', { name: /^Deliveries/ }).click();
    const redrive = page.getByRole('button', { name: /^Redrive dev\.scimflow\.user/ });
    await until(
      'a dead letter in the console',
      async () => {
        if ((await redrive.count()) > 0) return true;
        await page.reload();
        await page.getByRole('heading', { name: 'Dead letters' }).waitFor();
        return false;
      },
      30_000,
    );
    await shot(page, 'webhooks');
    expect(await seriousViolations(page)).toEqual([]);
    refuse = false;
    await page.getByRole('button', { name: /^Redrive all/ }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /\d+ redriven/ })
      .waitFor();
    await until('the redriven events at the receiver', async () => received.length > 0);
    expect(JSON.parse(received[0]).data).toBeDefined();

    // a replay of the subscription's events from the console: counted first (a dry run queues nothing), then run
    // with its progress polled; the receiver gets them again, marked as replays
    const replays = page.getByRole('region', { name: 'Replay' });
    await replays.getByRole('button', { name: 'Count' }).click();
    const counted = replays.getByRole('status').filter({ hasText: /\d+ events? of this subscription in the range/ });
    await counted.waitFor();
    const matched = Number(/(\d+) events? of this subscription/.exec(await counted.innerText())![1]);
    expect(matched).toBeGreaterThanOrEqual(4); // created, deactivated, the group and its membership at least
    expect(replayed).toEqual([]);
    await replays.getByRole('button', { name: `Replay ${matched} events` }).click();
    await replays.getByRole('status').getByText(`Replay done: ${matched} events queued.`).waitFor({ timeout: 30_000 });
    expect(await replays.locator('.replay-progress').innerText()).toContain(`${matched} matched · ${matched} queued`);
    await replays.getByRole('row').filter({ hasText: '✓ done' }).waitFor();
    await until('the replayed events at the receiver', async () => replayed.length >= matched, 30_000);
    expect(replayed.length).toBe(matched);
    expect(replayed.map((r) => JSON.parse(r).type)).toEqual(
      expect.arrayContaining([
        'dev.scimflow.user.created.v1',
        'dev.scimflow.user.deactivated.v1',
        'dev.scimflow.group.created.v1',
        'dev.scimflow.membership.added.v1',
      ]),
    );
    await shot(page, 'webhooks-replay');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Pipeline' }).click();
    await page.getByRole('heading', { name: 'Consumer lag' }).waitFor();
    await shot(page, 'pipeline');
    expect(await seriousViolations(page)).toEqual([]);

    // the tenants page with this tenant's health, also at 768px wide
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tenants' }).click();
    await page.getByRole('link', { name: 'Contoso' }).waitFor();
    await shot(page, 'tenants');
    await page.setViewportSize({ width: 768, height: 1000 });
    await page.getByRole('link', { name: 'Contoso' }).click();
    await page.getByRole('heading', { name: 'Lifecycle' }).waitFor();
    expect(
      await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(768);
    expect(await page.getByRole('link', { name: 'Request log' }).isVisible()).toBe(true);
    await shot(page, 'tenant-768');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });

    // a second tenant's setup link sees nothing of the first
    const other = await adminRequest(system.baseUrl, ADMIN_TOKEN, 'POST', '/tenants', { name: 'Fabrikam' });
    expect(other.status).toBe(201);
    // a logo that cannot be fetched is hidden rather than shown broken
    const link = await adminRequest(system.baseUrl, ADMIN_TOKEN, 'POST', `/tenants/${other.body.tenantId}/setup-links`, {
      logoUrl: 'https://127.0.0.1:9/logo.svg',
    });
    expect(link.status).toBe(201);
    const second = watch(await customer.newPage(), cspViolations);
    await second.goto(link.body.url);
    await second.getByRole('heading', { name: 'Connect Fabrikam to Microsoft Entra ID' }).waitFor();
    await second.getByText('Waiting for Entra').waitFor();
    await second.locator('img.product-logo[hidden]').waitFor({ state: 'attached' });
    expect((await scim.get(`/Users/${userId}`)).status).toBe(200); // Contoso's traffic meanwhile
    await new Promise((r) => setTimeout(r, 2500)); // more than one poll of the indicator
    expect(await second.locator('.indicator').getAttribute('data-state')).toBe('waiting');
    const body = await second.locator('main').innerText();
    expect(body).not.toContain('Contoso');
    expect(body).not.toContain(tenantId);
    expect(await second.locator('dt:text-is("Users") + dd').innerText()).toBe('0');

    // disabling takes the tenant's name typed out; its setup link stops working with it
    await page.goto(`${system.baseUrl}/console/tenants/${other.body.tenantId}`);
    // the allow-list and rate limit changed in place; a bad CIDR block answered with the API's reason
    await page.getByText('Change the allow-list or rate limit').click();
    await page.getByLabel('Allowed source IPs', { exact: true }).fill('300.1.1.1/8');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: '300.1.1.1/8' }).waitFor();
    await page.getByLabel('Allowed source IPs', { exact: true }).fill('10.0.0.0/8, 192.0.2.0/24');
    await page.getByLabel('Requests per second', { exact: true }).fill('5');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('5/s, burst 5').waitFor();
    expect((await adminRequest(system.baseUrl, ADMIN_TOKEN, 'GET', `/tenants/${other.body.tenantId}`)).body).toMatchObject({
      allowedSourceIps: ['10.0.0.0/8', '192.0.2.0/24'],
      rateLimit: { perSecond: 5, burst: 5 },
    });
    await page.getByRole('button', { name: 'Disable tenant…' }).click();
    const confirm = page.getByRole('button', { name: 'Disable tenant', exact: true });
    await page.getByLabel(/Type Fabrikam to disable tenant/).fill('Fabrikam?');
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByLabel(/Type Fabrikam to disable tenant/).fill('Fabrikam');
    await confirm.click();
    await page.getByText('disabled: SCIM answers 403').waitFor();
    await second.reload();
    await second.getByText('This setup link is not valid').waitFor();

    // revoking Contoso's link (a second, explicit click) ends the customer's page too
    await page.goto(`${system.baseUrl}/console/tenants/${tenantId}/setup-links`);
    await page.getByRole('button', { name: /^Revoke setup link created/ }).click();
    await page.getByRole('button', { name: 'Revoke link' }).click();
    await page.getByText('revoked', { exact: true }).waitFor();
    await setup.reload();
    await setup.getByText('This setup link is not valid').waitFor();

    // the token copied from the console at creation is a working Entra credential (used only now, so that Test
    // Connection above saw nothing before the setup page's own request)
    expect((await new ScimClient(scimBaseUrl, token).get('/Users?count=1')).status).toBe(200);

    // sign out: the session is gone server-side, not only the cookie
    const session = (await operator.cookies(system.baseUrl)).find((c) => c.name === 'scimflow_console');
    expect(session).toBeDefined();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    expect((await operator.cookies(system.baseUrl)).find((c) => c.name === 'scimflow_console')).toBeUndefined();
    expect((await fetch(`${system.baseUrl}/admin/overview`, { headers: { cookie: `scimflow_console=${session!.value}` } })).status).toBe(401);

    expect(cspViolations).toEqual([]);
  }
});
