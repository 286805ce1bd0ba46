/**
 * Replays the conformance corpus (test/conformance/*.json) against the running system — HTTP → Kafka → reconciler →
 * Postgres — in both modes: for a tenant addressed as Entra does by default, and with `?aadOptscim062020` appended to
 * the Tenant URL (then every request carries the flag as its first query parameter). Each case file gets a fresh
 * tenant per mode and starts with no captured values, so files do not depend on each other. One `it` per case, named
 * by its id and source; cases of a file run in order.
 */
import { RunningSystem, startSystem } from '../support/system';
import { captureFrom, caseTitle, casesFor, ConformanceCase, loadCorpus, matchValue, Mode, MODES, queryString, substitute } from './corpus';

const corpus = loadCorpus(__dirname);

describe('conformance corpus', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem();
  });

  afterAll(async () => {
    await system?.stop();
  });

  for (const mode of MODES) {
    describe(mode, () => {
      for (const file of corpus) {
        describe(`${file.file}: ${file.title}`, () => {
          let tenant: Tenant;
          let vars: Record<string, unknown>;

          beforeAll(async () => {
            tenant = await system.createTenant(`conformance ${mode} ${file.file}`);
            vars = { baseUrl: tenant.scimBaseUrl, tenantId: tenant.tenantId };
          });

          for (const c of casesFor(file, mode)) {
            it(caseTitle(c), async () => {
              const res = await replay(c, mode, tenant, vars);
              // captured before matching, so a response can be asserted against its own id (`location` of a create)
              if (res.status === c.expect.status) Object.assign(vars, captureFrom(c, res));
              const mismatches = [
                ...(res.status === c.expect.status ? [] : [`status: expected ${c.expect.status}, found ${res.status}`]),
                ...(c.expect.body === undefined ? [] : matchValue(substitute(c.expect.body, vars), res.body, 'body')),
                ...(c.expect.headers === undefined ? [] : matchValue(substitute(c.expect.headers, vars), res.headers, 'headers')),
              ];
              if (mismatches.length) {
                throw new Error(`${c.id} (${mode}): ${c.why}\n  ${mismatches.join('\n  ')}\n  response: ${JSON.stringify(res.body)?.slice(0, 2000)}`);
              }
            });
          }
        });
      }
    });
  }
});

type Tenant = { tenantId: string; token: string; scimBaseUrl: string };

async function replay(c: ConformanceCase, mode: Mode, tenant: Tenant, vars: Record<string, unknown>) {
  const req = substitute(c.request, vars);
  const headers: Record<string, string> = { authorization: `Bearer ${tenant.token}`, accept: 'application/scim+json' };
  if (req.body !== undefined) headers['content-type'] = 'application/scim+json';
  Object.assign(headers, req.headers);
  const res = await fetch(`${tenant.scimBaseUrl}${req.path}${queryString(req.query, mode)}`, {
    method: req.method,
    headers,
    body: req.body === undefined ? undefined : JSON.stringify(req.body),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text; // a non-JSON answer is asserted as text, and fails any object expectation with its content shown
  }
  return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body };
}
