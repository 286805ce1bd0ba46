import { parseArgs } from 'node:util';
import { issueClientCredentials, tenantEndpoints } from '@scimflow/access';
import { oauthClientView } from '@scimflow/persistence';
import { Verb, UsageError } from '../verb';
import { withStores } from './database';

/** `scimctl client get|rotate-secret|remove-secret --tenant T`: a tenant's OAuth client credentials. */

function tenantOf(values: { tenant?: string }, verb: string): string {
  if (!values.tenant) throw new UsageError(`${verb} needs --tenant TENANT_ID`);
  return values.tenant;
}

export const clientGetVerb: Verb = {
  words: ['client', 'get'],
  usage: 'scimctl client get --tenant T                          show the OAuth client (Client Identifier, Token Endpoint)',
  async run(args, { config, out }) {
    const { values } = parseArgs({ args, options: { tenant: { type: 'string' } }, strict: true });
    const tenantId = tenantOf(values, 'client get');
    const client = await withStores(config, (s) => s.oauthClients.find(tenantId));
    if (!client) throw new Error(`no OAuth client for tenant ${tenantId}`);
    out(JSON.stringify(oauthClientView(client, config.PUBLIC_BASE_URL)));
  },
};

export const clientRotateSecretVerb: Verb = {
  words: ['client', 'rotate-secret'],
  usage: 'scimctl client rotate-secret --tenant T                new client secret, printed once; the old one stops working',
  async run(args, { config, out }) {
    const { values } = parseArgs({ args, options: { tenant: { type: 'string' } }, strict: true });
    const tenantId = tenantOf(values, 'client rotate-secret');
    const issued = await withStores(config, async (s) => {
      if (!(await s.tenantAdmin.get(tenantId))) throw new Error(`tenant ${tenantId} not found`);
      return s.oauthClients.rotateSecret(tenantId, await issueClientCredentials());
    });
    out(JSON.stringify({ ...issued, tokenUrl: tenantEndpoints(config.PUBLIC_BASE_URL, tenantId).tokenUrl }));
  },
};

export const clientRemoveSecretVerb: Verb = {
  words: ['client', 'remove-secret'],
  usage: 'scimctl client remove-secret --tenant T                no client secret: authenticate only with federated assertions',
  async run(args, { config, out }) {
    const { values } = parseArgs({ args, options: { tenant: { type: 'string' } }, strict: true });
    const tenantId = tenantOf(values, 'client remove-secret');
    if (!(await withStores(config, (s) => s.oauthClients.removeSecret(tenantId)))) throw new Error(`no OAuth client for tenant ${tenantId}`);
    out(JSON.stringify({ tenantId, hasSecret: false }));
  },
};

export const CLIENT_VERBS = [clientGetVerb, clientRotateSecretVerb, clientRemoveSecretVerb];
