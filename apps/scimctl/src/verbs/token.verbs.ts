import { parseArgs } from 'node:util';
import { issueToken } from '@scimflow/access';
import { secretTokenView } from '@scimflow/persistence';
import { Verb } from '../verb';
import { oneArgument, tenantOf, tenantOnly } from './arguments';
import { withStores, withTenantStores } from './database';

/**
 * `scimctl token create|list|revoke --tenant T`: a tenant's long-lived secret tokens (Entra's
 * "Secret Token"). Rotate by creating a new token, entering it in Entra, then revoking the old one.
 */

export const tokenCreateVerb: Verb = {
  words: ['token', 'create'],
  usage: 'scimctl token create --tenant T [--description TEXT]    create a secret token; prints it once',
  async run(args, { config, out }) {
    const { values } = parseArgs({ args, options: { tenant: { type: 'string' }, description: { type: 'string' } }, strict: true });
    const tenantId = tenantOf(values, 'token create');
    const created = await withTenantStores(config, tenantId, async (s) => s.secretTokens.create(tenantId, await issueToken(), values.description));
    out(JSON.stringify({ id: created.id, token: created.token, description: created.description, createdAt: created.createdAt.toISOString() }));
  },
};

export const tokenListVerb: Verb = {
  words: ['token', 'list'],
  usage: 'scimctl token list --tenant T                          list secret tokens with created/last-used/revoked times',
  async run(args, { config, out }) {
    const tenantId = tenantOnly(args, 'token list');
    for (const t of await withTenantStores(config, tenantId, (s) => s.secretTokens.list(tenantId))) out(JSON.stringify(secretTokenView(t)));
  },
};

export const tokenRevokeVerb: Verb = {
  words: ['token', 'revoke'],
  usage: 'scimctl token revoke --tenant T TOKEN_ID               revoke a secret token (a running ingress stops accepting it within 30 s)',
  async run(args, { config, out }) {
    const { values, positionals } = parseArgs({ args, options: { tenant: { type: 'string' } }, allowPositionals: true, strict: true });
    const tenantId = tenantOf(values, 'token revoke');
    const id = oneArgument(positionals, 'token revoke', 'token id');
    if (!(await withStores(config, (s) => s.secretTokens.revoke(tenantId, id)))) throw new Error(`no active token ${id} for tenant ${tenantId}`);
    out(JSON.stringify({ id, revoked: true }));
  },
};

export const TOKEN_VERBS = [tokenCreateVerb, tokenListVerb, tokenRevokeVerb];
