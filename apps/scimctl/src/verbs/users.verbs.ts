import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ScimctlConfig } from '@scimflow/config';
import {
  COMMAND_SCHEMA_VERSION,
  CommandOutcome,
  UnstampedCommand,
  LOGIN_METHODS,
  LoginMethod,
  ProvisioningCommand,
  ResourceType,
  resourceKey,
  topicName,
} from '@scimflow/contracts';
import { createKafka, parseBrokers } from '@scimflow/messaging';
import { ProcessedCommands } from '@scimflow/persistence';
import { Stores } from '@scimflow/persistence';
import { ImportRow, importRowsFromCsv, importRowsFromJson, runImport } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import { Verb, UsageError } from '../verb';
import { withTenantStores } from './database';

/**
 * `scimctl users list|get|import|login-method --tenant T`: a tenant's users with their product-side lifecycle.
 * Writes are published to the commands topic like the ingress does (no reply topic) and their outcomes read from
 * processed_commands, so they are ordered with Entra's writes and reproduced by a replay.
 */

/** How long `users import|login-method` waits for the reconciler before reporting the rest as not applied yet. */
const OUTCOME_WAIT_MS = 120_000;

export async function withTenant<T>(
  config: ScimctlConfig,
  tenantId: string | undefined,
  work: (ds: DataSource, tenantId: string, stores: Stores) => Promise<T>,
): Promise<T> {
  if (!tenantId) throw new UsageError('needs --tenant T');
  return withTenantStores(config, tenantId, (stores, ds) => work(ds, tenantId, stores));
}

/** Publishes User commands and waits for their outcomes in processed_commands (written with each command's effects). */
export class CommandSubmitter {
  private readonly kafka;
  private readonly producer;
  private readonly waiting = new Map<string, (o: CommandOutcome | undefined) => void>();
  private readonly processed: ProcessedCommands;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly config: ScimctlConfig,
    ds: DataSource,
  ) {
    this.processed = new ProcessedCommands(ds);
    this.kafka = createKafka({ brokers: parseBrokers(config.KAFKA_BROKERS), clientId: 'scimctl-users' });
    this.producer = this.kafka.producer({ idempotent: true });
  }

  async start() {
    await this.producer.connect();
    this.timer = setInterval(() => void this.poll(), 200);
  }

  async stop() {
    clearInterval(this.timer);
    for (const done of this.waiting.values()) done(undefined);
    await this.producer.disconnect();
  }

  async submit(request: UnstampedCommand): Promise<CommandOutcome | undefined> {
    const command: ProvisioningCommand = { v: COMMAND_SCHEMA_VERSION, commandId: randomUUID(), issuedAt: new Date().toISOString(), ...request };
    const { tenantId, resourceId } = command;
    const outcome = new Promise<CommandOutcome | undefined>((resolve) => this.waiting.set(command.commandId, resolve));
    const timeout = setTimeout(() => this.settle(command.commandId, undefined), OUTCOME_WAIT_MS);
    await this.producer.send({
      topic: topicName('commands', this.config.KAFKA_TOPIC_PREFIX),
      messages: [{ key: resourceKey(tenantId, resourceId), value: JSON.stringify(command), headers: { 'schema-version': String(COMMAND_SCHEMA_VERSION) } }],
    });
    const result = await outcome;
    clearTimeout(timeout);
    return result;
  }

  private settle(commandId: string, outcome: CommandOutcome | undefined) {
    const done = this.waiting.get(commandId);
    this.waiting.delete(commandId);
    done?.(outcome);
  }

  private async poll() {
    const ids = [...this.waiting.keys()];
    if (!ids.length) return;
    for (const [commandId, outcome] of await this.processed.outcomes(ids)) this.settle(commandId, outcome);
  }
}

export async function submitting<T>(config: ScimctlConfig, ds: DataSource, work: (s: CommandSubmitter) => Promise<T>): Promise<T> {
  const submitter = new CommandSubmitter(config, ds);
  await submitter.start();
  try {
    return await work(submitter);
  } finally {
    await submitter.stop();
  }
}

export const NOT_APPLIED = {
  status: 503,
  detail: `no outcome within ${OUTCOME_WAIT_MS / 1000} s: is the reconciler running? The command is queued and will be applied`,
};

export const usersListVerb: Verb = {
  words: ['users', 'list'],
  usage:
    'scimctl users list --tenant T [--origin scim|import] [--linked true|false] [--deleted true|false] [--after ID] [--limit N]\n' +
    '                                                       users with login method, origin, link and soft-delete state (one JSON line each)',
  async run(args, { config, out }) {
    const { values } = parseArgs({
      args,
      options: {
        tenant: { type: 'string' },
        origin: { type: 'string' },
        linked: { type: 'string' },
        deleted: { type: 'string' },
        after: { type: 'string' },
        limit: { type: 'string' },
      },
      strict: true,
    });
    const flag = (name: string, v: string | undefined) => {
      if (v === undefined) return undefined;
      if (v !== 'true' && v !== 'false') throw new UsageError(`--${name} must be true or false`);
      return v === 'true';
    };
    if (values.origin && values.origin !== 'scim' && values.origin !== 'import') throw new UsageError('--origin must be scim or import');
    const limit = values.limit === undefined ? 1000 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
    const users = await withTenant(config, values.tenant, (_ds, tenantId, { userAdmin }) =>
      userAdmin.list(tenantId, {
        origin: values.origin as 'scim' | 'import' | undefined,
        linked: flag('linked', values.linked),
        deleted: flag('deleted', values.deleted),
        after: values.after,
        limit,
      }),
    );
    for (const u of users) out(JSON.stringify(u));
  },
};

export const usersGetVerb: Verb = {
  words: ['users', 'get'],
  usage: 'scimctl users get --tenant T USER_ID                  a user with its lifecycle fields',
  async run(args, { config, out }) {
    const { values, positionals } = parseArgs({ args, options: { tenant: { type: 'string' } }, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('users get needs one user id');
    const user = await withTenant(config, values.tenant, (_ds, tenantId, { userAdmin }) => userAdmin.get(tenantId, positionals[0]));
    if (!user) throw new Error(`user ${positionals[0]} not found`);
    out(JSON.stringify(user));
  },
};

export const usersLoginMethodVerb: Verb = {
  words: ['users', 'login-method'],
  usage: `scimctl users login-method --tenant T USER_ID ${LOGIN_METHODS.join('|')}   set how the user signs in (emits user.updated)`,
  async run(args, { config, out }) {
    const { values, positionals } = parseArgs({ args, options: { tenant: { type: 'string' } }, allowPositionals: true, strict: true });
    if (positionals.length !== 2) throw new UsageError(`users login-method needs a user id and ${LOGIN_METHODS.join('|')}`);
    const [userId, method] = positionals;
    if (!(LOGIN_METHODS as readonly string[]).includes(method)) throw new UsageError(`login method must be one of ${LOGIN_METHODS.join('|')}: ${method}`);
    const user = await withTenant(config, values.tenant, async (ds, tenantId, { userAdmin: users }) => {
      if (!(await users.get(tenantId, userId))) throw new Error(`user ${userId} not found`);
      const outcome = await submitting(config, ds, (s) =>
        s.submit({ tenantId, resourceType: 'User', resourceId: userId, action: 'setLoginMethod', payload: { loginMethod: method as LoginMethod } }),
      );
      if (!outcome) throw new Error(NOT_APPLIED.detail);
      if (outcome.error) throw new Error(`${outcome.status}: ${outcome.error.detail ?? 'refused'}`);
      return users.get(tenantId, userId);
    });
    out(JSON.stringify(user));
  },
};

/**
 * `scimctl users|groups import --tenant T --file F`: reads the rows (CSV, or JSON for a .json file), submits one
 * `import` command per row through the commands topic, prints one JSON line per row and then the counts.
 */
export function importVerb<P>(
  word: 'users' | 'groups',
  resourceType: ResourceType,
  usage: string,
  fromCsv: (text: string) => ImportRow<P>[],
  fromJson: (body: unknown) => ImportRow<P>[],
): Verb {
  return {
    words: [word, 'import'],
    usage,
    async run(args, { config, out }) {
      const { values } = parseArgs({ args, options: { tenant: { type: 'string' }, file: { type: 'string' } }, strict: true });
      if (!values.file) throw new UsageError(`${word} import needs --file F (.csv or .json)`);
      const text = await readFile(values.file, 'utf8');
      let rows: ImportRow<P>[];
      try {
        rows = values.file.toLowerCase().endsWith('.json') ? fromJson(JSON.parse(text)) : fromCsv(text);
      } catch (e) {
        if (e instanceof ScimError || e instanceof SyntaxError) throw new UsageError(`${values.file}: ${e instanceof ScimError ? e.detail : e.message}`);
        throw e;
      }
      const summary = await withTenant(config, values.tenant, (ds, tenantId) =>
        submitting(config, ds, (s) =>
          runImport(rows, async (payload, row) => {
            // P is the import payload of resourceType (ImportUserPayload, ImportGroupPayload), as the row readers build it
            const outcome = await s.submit({
              tenantId,
              resourceType,
              resourceId: row.resourceId ?? randomUUID(),
              action: 'import',
              payload,
            } as UnstampedCommand);
            if (!outcome) return NOT_APPLIED;
            return { status: outcome.status, id: outcome.resource?.id, detail: outcome.error?.detail };
          }),
        ),
      );
      for (const r of summary.results) out(JSON.stringify(r));
      out(JSON.stringify({ total: summary.total, imported: summary.imported, existing: summary.existing, failed: summary.failed }));
    },
  };
}

export const usersImportVerb = importVerb(
  'users',
  'User',
  'scimctl users import --tenant T --file F.csv|F.json  import existing product users (unlinked until Entra claims them by userName or\n' +
    '                                                       work email); one JSON line per row, then a summary; safe to re-run',
  importRowsFromCsv,
  importRowsFromJson,
);

export const USERS_VERBS = [usersListVerb, usersGetVerb, usersImportVerb, usersLoginMethodVerb];
