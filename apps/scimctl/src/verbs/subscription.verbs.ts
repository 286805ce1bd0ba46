import { parseArgs } from 'node:util';
import { WebhookSubscriptions } from '@scimflow/persistence';
import { secretRotation, subscriptionSettings } from '@scimflow/webhooks';
import { Verb, CliContext, UsageError } from '../verb';
import { oneArgument, positionalsOnly } from './arguments';
import { withStores } from './database';
import { parseDuration } from './time-args';

/** Webhook subscriptions: `scimctl subscription create|list|enable|disable|rotate-secret|delete`. */

const withSubscriptions = <T>(ctx: CliContext, work: (s: WebhookSubscriptions) => Promise<T>) =>
  withStores(ctx.config, (stores) => work(stores.webhookSubscriptions));

export const subscriptionCreateVerb: Verb = {
  words: ['subscription', 'create'],
  usage:
    'scimctl subscription create --tenant T --url URL [--event-type TYPE]... [--secret whsec_…]\n' +
    '                                                         subscribe a webhook (types: exact or prefix.*; none = all); prints it with its secret, once',
  async run(args, ctx) {
    const { values } = parseArgs({
      args,
      options: { tenant: { type: 'string' }, url: { type: 'string' }, 'event-type': { type: 'string', multiple: true }, secret: { type: 'string' } },
      strict: true,
    });
    if (!values.tenant || !values.url) throw new UsageError('subscription create needs --tenant T and --url URL');
    const settings = subscriptionSettings({ url: values.url, eventTypes: values['event-type'] ?? [], secret: values.secret });
    const created = await withSubscriptions(ctx, (s) => s.create(values.tenant!, settings));
    ctx.out(JSON.stringify({ ...created.subscription, secret: created.secret }));
  },
};

export const subscriptionListVerb: Verb = {
  words: ['subscription', 'list'],
  usage: 'scimctl subscription list [--tenant T] [--reveal-secrets]   list subscriptions (one JSON object per line)',
  async run(args, ctx) {
    const { values } = parseArgs({ args, options: { tenant: { type: 'string' }, 'reveal-secrets': { type: 'boolean' } }, strict: true });
    await withSubscriptions(ctx, async (s) => {
      for (const subscription of await s.list({ tenantId: values.tenant })) {
        const secrets = values['reveal-secrets'] ? await s.revealSecrets(subscription.id) : subscription.secrets;
        ctx.out(JSON.stringify({ ...subscription, secrets }));
      }
    });
  },
};

export const subscriptionEnableVerb: Verb = {
  words: ['subscription', 'enable'],
  usage: 'scimctl subscription enable ID                          resume delivery (queued events go out again, in order)',
  async run(args, ctx) {
    const id = oneArgument(positionalsOnly(args), 'subscription enable', 'subscription id');
    ctx.out(JSON.stringify(await withSubscriptions(ctx, (s) => s.enable(id))));
  },
};

export const subscriptionDisableVerb: Verb = {
  words: ['subscription', 'disable'],
  usage: 'scimctl subscription disable ID [--reason TEXT]         stop delivery; new events are not queued for it meanwhile',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, options: { reason: { type: 'string' } }, allowPositionals: true, strict: true });
    const id = oneArgument(positionals, 'subscription disable', 'subscription id');
    ctx.out(JSON.stringify(await withSubscriptions(ctx, (s) => s.disable(id, values.reason))));
  },
};

export const subscriptionRotateSecretVerb: Verb = {
  words: ['subscription', 'rotate-secret'],
  usage:
    'scimctl subscription rotate-secret ID [--overlap 24h] [--secret whsec_…]\n' +
    '                                                         new signing secret; the old one keeps signing for --overlap; prints the new one, once',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      options: { overlap: { type: 'string' }, secret: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const overlapMs = values.overlap === undefined ? undefined : parseDuration(values.overlap, '--overlap');
    const id = oneArgument(positionals, 'subscription rotate-secret', 'subscription id');
    const rotation = secretRotation({ overlapMs, secret: values.secret });
    const rotated = await withSubscriptions(ctx, (s) => s.rotateSecret(id, rotation));
    ctx.out(JSON.stringify({ ...rotated.subscription, secret: rotated.secret }));
  },
};

export const subscriptionDeleteVerb: Verb = {
  words: ['subscription', 'delete'],
  usage: 'scimctl subscription delete ID                          delete it with its queue, delivery log and dead letters',
  async run(args, ctx) {
    const id = oneArgument(positionalsOnly(args), 'subscription delete', 'subscription id');
    await withSubscriptions(ctx, (s) => s.delete(id));
    ctx.out(JSON.stringify({ deleted: id }));
  },
};

export const SUBSCRIPTION_VERBS = [
  subscriptionCreateVerb,
  subscriptionListVerb,
  subscriptionEnableVerb,
  subscriptionDisableVerb,
  subscriptionRotateSecretVerb,
  subscriptionDeleteVerb,
];
