import { issueClientCredentials, tenantEndpoints } from '@scimflow/access';
import { oauthClientView } from '@scimflow/persistence';
import { Verb } from '../verb';
import { tenantOnly } from './arguments';
import { withStores, withTenantStores } from './database';

/** `scimctl client get|rotate-secret|remove-secret --tenant T`: a tenant's OAuth client credentials. */

export const clientGetVerb: Verb = {
  words: ['client', 'get'],
  usage: 'scimctl client get --tenant T                          show the OAuth client (Client Identifier, Token Endpoint)',
  async run(args, { config, out }) {
    const tenantId = tenantOnly(args, 'client get');
    const client = await withStores(config, (s) => s.oauthClients.find(tenantId));
    if (!client) throw new Error(`no OAuth client for tenant ${tenantId}`);
    out(JSON.stringify(oauthClientView(client, config.PUBLIC_BASE_URL)));
  },
};

export const clientRotateSecretVerb: Verb = {
  words: ['client', 'rotate-secret'],
  usage: 'scimctl client rotate-secret --tenant T                new client secret, printed once; the old one stops working',
  async run(args, { config, out }) {
    const tenantId = tenantOnly(args, 'client rotate-secret');
    const issued = await withTenantStores(config, tenantId, async (s) => s.oauthClients.rotateSecret(tenantId, await issueClientCredentials()));
    out(JSON.stringify({ ...issued, tokenUrl: tenantEndpoints(config.PUBLIC_BASE_URL, tenantId).tokenUrl }));
  },
};

export const clientRemoveSecretVerb: Verb = {
  words: ['client', 'remove-secret'],
  usage: 'scimctl client remove-secret --tenant T                no client secret: authenticate only with federated assertions',
  async run(args, { config, out }) {
    const tenantId = tenantOnly(args, 'client remove-secret');
    if (!(await withStores(config, (s) => s.oauthClients.removeSecret(tenantId)))) throw new Error(`no OAuth client for tenant ${tenantId}`);
    out(JSON.stringify({ tenantId, hasSecret: false }));
  },
};

export const CLIENT_VERBS = [clientGetVerb, clientRotateSecretVerb, clientRemoveSecretVerb];
