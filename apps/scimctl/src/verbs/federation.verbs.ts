import { parseArgs } from 'node:util';
import { tenantEndpoints } from '@scimflow/access';
import { federatedCredentialView } from '@scimflow/persistence';
import { Verb, UsageError } from '../verb';
import { oneArgument, tenantOf, tenantOnly } from './arguments';
import { withStores, withTenantStores } from './database';

/**
 * `scimctl federation add|list|remove --tenant T`: trusted issuers whose JWTs authenticate the tenant's
 * client at its token endpoint (Entra workload identity federation, RFC 7523), with no client secret.
 */

const JWKS_URL = /^(https:\/\/|http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/)/;

export const federationAddVerb: Verb = {
  words: ['federation', 'add'],
  usage:
    'scimctl federation add --tenant T --issuer ISS --jwks-url URL --subject SUB [--audience AUD] [--description TEXT]\n' +
    "                                                       trust the issuer's JWTs about SUB (audience default: the token URL)",
  async run(args, { config, out }) {
    const { values } = parseArgs({
      args,
      options: {
        tenant: { type: 'string' },
        issuer: { type: 'string' },
        'jwks-url': { type: 'string' },
        subject: { type: 'string' },
        audience: { type: 'string' },
        description: { type: 'string' },
      },
      strict: true,
    });
    const tenantId = tenantOf(values, 'federation add');
    if (!values.issuer || !values['jwks-url'] || !values.subject) throw new UsageError('federation add needs --issuer, --jwks-url and --subject');
    if (!JWKS_URL.test(values['jwks-url'])) throw new UsageError('--jwks-url must be https (http only for 127.0.0.1, localhost or [::1])');
    const created = await withTenantStores(config, tenantId, (s) =>
      s.federatedCredentials.add(tenantId, {
        issuer: values.issuer!,
        jwksUrl: values['jwks-url']!,
        subject: values.subject!,
        audience: values.audience ?? tenantEndpoints(config.PUBLIC_BASE_URL, tenantId).tokenUrl,
        description: values.description,
      }),
    );
    out(JSON.stringify(federatedCredentialView(created)));
  },
};

export const federationListVerb: Verb = {
  words: ['federation', 'list'],
  usage: 'scimctl federation list --tenant T                     list trusted issuers',
  async run(args, { config, out }) {
    const tenantId = tenantOnly(args, 'federation list');
    for (const c of await withStores(config, (s) => s.federatedCredentials.list(tenantId))) out(JSON.stringify(federatedCredentialView(c)));
  },
};

export const federationRemoveVerb: Verb = {
  words: ['federation', 'remove'],
  usage: 'scimctl federation remove --tenant T CREDENTIAL_ID     stop trusting an issuer',
  async run(args, { config, out }) {
    const { values, positionals } = parseArgs({ args, options: { tenant: { type: 'string' } }, allowPositionals: true, strict: true });
    const tenantId = tenantOf(values, 'federation remove');
    const id = oneArgument(positionals, 'federation remove', 'credential id');
    if (!(await withStores(config, (s) => s.federatedCredentials.remove(tenantId, id))))
      throw new Error(`no federated credential ${id} for tenant ${tenantId}`);
    out(JSON.stringify({ id, removed: true }));
  },
};

export const FEDERATION_VERBS = [federationAddVerb, federationListVerb, federationRemoveVerb];
