import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { Browser, chromium, Page } from 'playwright-core';

/** Where the console specs put their screenshots: .run/, and docs/console/ with UPDATE_SCREENSHOTS=1. */
const ROOT = join(__dirname, '../..');
export const SHOTS = [join(ROOT, '.run/console-screenshots'), ...(process.env.UPDATE_SCREENSHOTS === '1' ? [join(ROOT, 'docs/console')] : [])];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** The system Chromium (Debian's package; Playwright's own browsers cannot be downloaded here). */
export async function launchChromium(): Promise<Browser> {
  for (const d of SHOTS) mkdirSync(d, { recursive: true });
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
}

/** Collects the page's CSP violations and uncaught errors into `problems` (a spec expects it to stay empty). */
export function watch(page: Page, problems: string[]): Page {
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return page;
}

/** A full-page screenshot under `name`, with secrets shown once cut short (they would look live in the docs). */
export async function shot(page: Page, name: string): Promise<void> {
  await page.mouse.move(0, 0); // no hover highlight left from the last click
  await page.evaluate(() => {
    const d = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ value: string }> } }).document;
    for (const input of Array.from(d.querySelectorAll('.copy-field.secret input'))) input.value = `${input.value.slice(0, 14)}… (hidden in this screenshot)`;
  });
  const png = await page.screenshot({ fullPage: true });
  for (const d of SHOTS) writeFileSync(join(d, `${name}.png`), png);
}

/** axe-core's serious and critical findings on the page (evaluated, not a script tag: the console's CSP forbids inline scripts). */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  // the page's globals, typed here: the test project has no DOM lib
  const violations = await page.evaluate(async () => {
    const w = globalThis as unknown as { axe: { run: (ctx: unknown, o: object) => Promise<{ violations: AxeViolation[] }> }; document: unknown };
    return (await w.axe.run(w.document, { resultTypes: ['violations'] })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`);
}

/** Signs the page in with the admin token and waits for the tenants page. */
export async function signIn(page: Page, baseUrl: string, adminToken: string): Promise<void> {
  await page.goto(`${baseUrl}/console`);
  await page.getByLabel('Admin token').fill(adminToken);
  await page.getByLabel('Admin token').press('Enter');
  await page.getByRole('heading', { name: 'Tenants', level: 1 }).waitFor();
}
