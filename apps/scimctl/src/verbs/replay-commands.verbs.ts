import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ScimctlConfig } from '@scimflow/config';
import { ConsumerGroupName, readCommand, topicName } from '@scimflow/contracts';
import { createKafka, parseBrokers } from '@scimflow/messaging';
import { createStores } from '@scimflow/persistence';
import { CommandDispatcher } from '@scimflow/reconciliation';
import { Verb, UsageError } from '../verb';
import { withDatabase } from './database';
import { groupHasMembers, parseFrom, parseTo, planRanges, progressLine, rangeSize, readRanges, ReplayStart, ReplayTally } from '@scimflow/replay';
import { Progress } from '../replay/progress';

export interface CommandReplayOptions {
  from: ReplayStart;
  to?: Date;
  tenantId?: string;
  dryRun: boolean;
  force: boolean;
}

export function parseReplayCommandsArgs(args: string[]): CommandReplayOptions {
  const { values, positionals } = parseArgs({
    args,
    options: { from: { type: 'string' }, to: { type: 'string' }, tenant: { type: 'string' }, 'dry-run': { type: 'boolean' }, force: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  const from = parseFrom(values.from);
  return { from, to: parseTo(values.to, from), tenantId: values.tenant, dryRun: values['dry-run'] ?? false, force: values.force ?? false };
}

/**
 * Re-applies the commands topic from a point to the end offsets captured at start, through the reconciler's own
 * dispatcher on the given DataSource. Already-applied commands are no-ops (processed_commands), so this is safe to
 * interrupt and run again. Events of newly applied commands go to the outbox; the reconciler's relay publishes them.
 */
export async function replayCommands(config: ScimctlConfig, ds: DataSource, options: CommandReplayOptions, label = 'replay commands'): Promise<ReplayTally> {
  const kafka = createKafka({ brokers: parseBrokers(config.KAFKA_BROKERS), clientId: 'scimctl-replay' });
  const topic = topicName('commands', config.KAFKA_TOPIC_PREFIX);
  const ranges = await planRanges(kafka, topic, options.from);
  const planned = rangeSize(ranges);
  const stores = createStores(ds, config);
  const dispatcher = new CommandDispatcher(ds, config, stores);
  const processed = stores.processedCommands;
  const tally = new ReplayTally();
  const progress = new Progress((ms) =>
    progressLine(label, tally.total, planned, ms, `${tally.applied} ${options.dryRun ? 'would apply' : 'applied'}, ${tally.alreadyApplied} already applied`),
  );
  // merged by timestamp: commands of different resources depend on each other (a group on its members)
  await readRanges(kafka, topic, ranges, async (record) => {
    tally.total++;
    progress.tick();
    if (options.to && record.timestamp > options.to.getTime()) return void tally.skippedAfterTo++;
    const command = readCommand(record.value);
    if (!command) return void tally.unreadable++; // the reconciler answered it with 400 when it was live
    if (options.tenantId && command.tenantId !== options.tenantId) return void tally.skippedOtherTenant++;
    if (options.dryRun) return tally.count(command.tenantId, command.action, (await processed.outcome(command.commandId)) !== undefined);
    const applied = await dispatcher.apply(command);
    tally.count(command.tenantId, command.action, !applied.firstTime, applied.events);
  });
  progress.done();
  return tally;
}

export async function refuseWhileReconcilerRuns(config: ScimctlConfig, force: boolean): Promise<void> {
  if (force) return;
  const kafka = createKafka({ brokers: parseBrokers(config.KAFKA_BROKERS), clientId: 'scimctl-replay' });
  const members = await groupHasMembers(kafka, config.KAFKA_TOPIC_PREFIX + ConsumerGroupName.reconciler);
  if (members > 0)
    throw new Error(
      `the reconciler is running (${members} member(s) in ${config.KAFKA_TOPIC_PREFIX + ConsumerGroupName.reconciler}): stop it first, or pass --force ` +
        '(a replay racing live commands may apply an old command of a resource between two newer ones)',
    );
}

export const replayCommandsVerb: Verb = {
  words: ['replay', 'commands'],
  usage:
    'scimctl replay commands --from ISO|beginning|P:O,… [--to ISO] [--tenant T] [--dry-run] [--force]\n' +
    '                                                         re-apply the commands topic from a point to its current end (in produce-time\n' +
    '                                                         order across partitions) through the\n' +
    "                                                         reconciler's use cases (applied commands are no-ops: safe to interrupt and\n" +
    '                                                         re-run). Refuses while the reconciler runs (--force overrides): per-resource\n' +
    '                                                         order holds only when nothing else applies commands meanwhile.\n' +
    '                                                         --dry-run: counts (per tenant/action, already applied vs would apply)',
  async run(args, { config, out }) {
    const options = parseReplayCommandsArgs(args);
    if (!options.dryRun) await refuseWhileReconcilerRuns(config, options.force);
    const tally = await withDatabase(config.DATABASE_URL, (ds) => replayCommands(config, ds, options));
    out(JSON.stringify({ dryRun: options.dryRun, ...tally.toJSON() }));
  },
};
