import { parseArgs } from 'node:util';
import { DeprovisioningHolds, HoldView } from '@scimflow/persistence';
import { DEFAULT_DEPROVISION_THRESHOLD, DeprovisionThreshold, validateThreshold } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import { Verb, CliContext, UsageError } from '../verb';
import { oneArgument, positionalsOnly } from './arguments';
import { withStores } from './database';
import { parseDuration } from './time-args';

/**
 * `scimctl tenant deprovision-threshold TENANT_ID …` and `scimctl tenant holds [approve|reject] TENANT_ID [HOLD_ID]`:
 * the deprovisioning threshold and the holds it opens (see DeprovisioningHolds).
 */

const withHolds = <T>(ctx: CliContext, work: (h: DeprovisioningHolds) => Promise<T>) => withStores(ctx.config, (s) => work(s.deprovisioningHolds));

export const thresholdVerb: Verb = {
  words: ['tenant', 'deprovision-threshold'],
  usage:
    'scimctl tenant deprovision-threshold TENANT_ID [--max-users N] [--max-percent P] [--window 60m] | --off\n' +
    '                                                       hold deprovisionings beyond N users (or P % of the active users)\n' +
    '                                                       deactivated or deleted within the window; without options: show it',
  async run(args, ctx) {
    const { positionals, values } = parseArgs({
      args,
      options: { 'max-users': { type: 'string' }, 'max-percent': { type: 'string' }, window: { type: 'string' }, off: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const id = oneArgument(positionals, 'tenant deprovision-threshold', 'tenant id');
    const limits = values['max-users'] !== undefined || values['max-percent'] !== undefined;
    if (values.off && (limits || values.window !== undefined)) throw new UsageError('--off takes no other option');
    if (!values.off && !limits && values.window !== undefined) throw new UsageError('--window needs --max-users or --max-percent');
    let threshold: DeprovisionThreshold | undefined;
    if (values.off) threshold = { maxUsers: null, maxPercent: null, windowSeconds: DEFAULT_DEPROVISION_THRESHOLD.windowSeconds };
    else if (limits) {
      try {
        threshold = validateThreshold({
          maxUsers: number(values['max-users'], '--max-users'),
          maxPercent: number(values['max-percent'], '--max-percent'),
          windowSeconds: values.window === undefined ? undefined : parseDuration(values.window, '--window') / 1000,
        });
      } catch (e) {
        if (e instanceof ScimError) throw new UsageError(e.message);
        throw e;
      }
    }
    const result = await withHolds(ctx, (h) => (threshold ? h.setThreshold(id, threshold) : h.threshold(id)));
    if (!result) throw new Error(`tenant ${id} not found`);
    ctx.out(JSON.stringify(result));
  },
};

export const holdsListVerb: Verb = {
  words: ['tenant', 'holds'],
  usage: 'scimctl tenant holds TENANT_ID [--all]                 open deprovisioning holds: held commands, first/last time, sample users',
  async run(args, ctx) {
    const { positionals, values } = parseArgs({ args, options: { all: { type: 'boolean' } }, allowPositionals: true, strict: true });
    const id = oneArgument(positionals, 'tenant holds', 'tenant id');
    const holds = await withHolds(ctx, async (h) => ((await h.threshold(id)) ? h.list(id, { includeDecided: values.all }) : undefined));
    if (!holds) throw new Error(`tenant ${id} not found`);
    for (const hold of holds) ctx.out(JSON.stringify(hold));
  },
};

const decideVerb = (word: 'approve' | 'reject'): Verb => ({
  words: ['tenant', 'holds', word],
  usage:
    word === 'approve'
      ? 'scimctl tenant holds approve TENANT_ID HOLD_ID          apply the held deprovisionings in order (their events go out)'
      : 'scimctl tenant holds reject TENANT_ID HOLD_ID           discard them: the users stay as they are, no events, Entra is told nothing',
  async run(args, ctx) {
    const positionals = positionalsOnly(args);
    if (positionals.length !== 2) throw new UsageError(`tenant holds ${word} needs a tenant id and a hold id`);
    const [tenantId, holdId] = positionals;
    const result: HoldView | 'decided' | undefined = await withHolds(ctx, (h) =>
      word === 'approve' ? h.approve(tenantId, holdId, 'scimctl') : h.reject(tenantId, holdId, 'scimctl'),
    );
    if (result === 'decided') throw new Error(`hold ${holdId} was already decided`);
    if (!result) throw new Error(`hold ${holdId} of tenant ${tenantId} not found`);
    ctx.out(JSON.stringify(result));
  },
});

function number(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '' || !Number.isFinite(Number(value))) throw new UsageError(`${option} must be a number: ${value}`);
  return Number(value);
}

export const HOLDS_VERBS = [thresholdVerb, holdsListVerb, decideVerb('approve'), decideVerb('reject')];
