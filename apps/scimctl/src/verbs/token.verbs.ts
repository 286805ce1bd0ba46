import { parseArgs } from 'node:util';
import { issueToken } from '@scimflow/access';
import { secretTokenView, TenantAdmin } from '@scimflow/persistence';
import { Verb, UsageError } from '../verb';
import { withStores } from './database';

/**
 * `scimctl token create|list|revoke --tenant T`: a tenant's long-lived secret tokens (Entra's
 * "Secret Token"). Rotate by creating a new token, entering it in Entra, then revoking the old one.
 */

function tenantOf(values: { tenant?: string }, verb: string): string {
  if (!values.tenant) throw new UsageError(`${verb} needs --tenant TENANT_ID`);
  return values.tenant;
}

async function assertTenant(admin: TenantAdmin, id: string) {
  if (!(await admin.get(id))) throw new Error(`tenant ${id} not found`);
}

export const tokenCreateVerb: Verb = {
  words: ['token', 'create'],
  usage: 'scimctl token create --tenant T [--description TEXT]    create a secret token; prints it once',
  async run(args, { config, out }) {
    const { values } = parseArgs({ args, options: { tenant: { type: 'string' }, description: { type: 'string' } }, strict: true });
    const tenantId = tenantOf(values, 'token create');
    const created = await withStores(config, async (s) => {
      await assertTenant(s.tenantAdmin, tenantId);
      return s.secretTokens.create(tenantId, await issueToken(), values.description);
    });
    out(JSON.stringify({ id: created.id, token: created.token, description: created.description, createdAt: created.createdAt.toISOString() }));
  },
};

export const tokenListVerb: Verb = {
  words: ['token', 'list'],
  usage: 'scimctl token list --tenant T                          list secret tokens with created/last-used/revoked times',
  async run(args, { config, out }) {
    const { values } = parseArgs({ args, options: { tenant: { type: 'string' } }, strict: true });
    const tenantId = tenantOf(values, 'token list');
    const tokens = await withStores(config, async (s) => {
      await assertTenant(s.tenantAdmin, tenantId);
      return s.secretTokens.list(tenantId);
    });
    for (const t of tokens) out(JSON.stringify(secretTokenView(t)));
  },
};

export const tokenRevokeVerb: Verb = {
  words: ['token', 'revoke'],
  usage: 'scimctl token revoke --tenant T TOKEN_ID               revoke a secret token (a running ingress stops accepting it within 30 s)',
  async run(args, { config, out }) {
    const { values, positionals } = parseArgs({ args, options: { tenant: { type: 'string' } }, allowPositionals: true, strict: true });
    const tenantId = tenantOf(values, 'token revoke');
    if (positionals.length !== 1) throw new UsageError('token revoke needs exactly one token id');
    const revoked = await withStores(config, (s) => s.secretTokens.revoke(tenantId, positionals[0]));
    if (!revoked) throw new Error(`no active token ${positionals[0]} for tenant ${tenantId}`);
    out(JSON.stringify({ id: positionals[0], revoked: true }));
  },
};

export const TOKEN_VERBS = [tokenCreateVerb, tokenListVerb, tokenRevokeVerb];
