import { parseArgs } from 'node:util';
import { signingKeyViews } from '@scimflow/persistence';
import { Verb } from '../verb';
import { oneArgument } from './arguments';
import { withStores } from './database';

/**
 * `scimctl keys list|rotate|retire`: the keys that sign OAuth access tokens. After a rotation the
 * new key signs and older keys verify until ACCESS_TOKEN_TTL_SECONDS have passed; retiring a key
 * refuses its tokens (a running ingress applies this within 30 s).
 */

export const keysListVerb: Verb = {
  words: ['keys', 'list'],
  usage: 'scimctl keys list                                      list access-token signing keys (newest first) with their state',
  async run(args, { config, out }) {
    parseArgs({ args, options: {}, strict: true });
    for (const k of await withStores(config, async (s) => signingKeyViews(await s.signingKeys.list()))) out(JSON.stringify(k));
  },
};

export const keysRotateVerb: Verb = {
  words: ['keys', 'rotate'],
  usage: 'scimctl keys rotate                                    new signing key; old keys verify until their tokens expire',
  async run(args, { config, out }) {
    parseArgs({ args, options: {}, strict: true });
    const key = await withStores(config, (s) => s.signingKeys.rotate(config.ACCESS_TOKEN_TTL_SECONDS));
    out(JSON.stringify({ kid: key.kid, algorithm: key.algorithm, state: 'signing', createdAt: key.createdAt.toISOString() }));
  },
};

export const keysRetireVerb: Verb = {
  words: ['keys', 'retire'],
  usage: 'scimctl keys retire KID                                refuse every token the key signed (for a leaked key)',
  async run(args, { config, out }) {
    // a kid is a JWK thumbprint (base64url), which may begin with '-': it is taken as it is, never as an option
    const kids = args[0] === '--' ? args.slice(1) : args;
    const kid = oneArgument(kids, 'keys retire', 'kid');
    const key = await withStores(config, (s) => s.signingKeys.retire(kid));
    if (!key) throw new Error(`no signing key ${kid}`);
    out(JSON.stringify({ kid: key.kid, state: 'retired', retiredAt: key.retiredAt?.toISOString() }));
  },
};

export const KEYS_VERBS = [keysListVerb, keysRotateVerb, keysRetireVerb];
