import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppProcess, freePort } from '../../bench/processes';

const ROOT = path.resolve(__dirname, '../..');
// Async on purpose: a blocked event loop would stall the test's own HTTP clients and servers meanwhile.
const run = promisify(execFile);

export { freePort };

/**
 * The environment of a spec's apps as processes: the run's Postgres and Kafka on topics of their own
 * (`<run prefix><topics>.`, which no app of another spec consumes), a write not applied within 3 s answered 503 with
 * Retry-After: 1, and no rate limit.
 */
export function processEnv(topics: string) {
  return {
    DATABASE_URL: process.env.DATABASE_URL!,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
    KAFKA_TOPIC_PREFIX: `${process.env.KAFKA_TOPIC_PREFIX}${topics}.`,
    COMMAND_TIMEOUT_MS: '3000',
    RETRY_AFTER_SECONDS: '1',
    RATE_LIMIT_PER_SECOND: '100000',
    RATE_LIMIT_BURST: '100000',
  };
}

/** The three apps as separate OS processes from dist/ (npm test builds it), for tests that kill or starve them. */
export class ProcessSystem {
  readonly apps: Record<'ingress' | 'reconciler' | 'notifier', AppProcess>;
  readonly ports: Record<'ingress' | 'reconciler' | 'notifier', number>;

  private constructor(ports: ProcessSystem['ports'], env: Record<string, string>, logDir?: string) {
    this.ports = ports;
    const logFile = (name: string) => (logDir ? path.join(logDir, `${name}.log`) : undefined);
    this.apps = {
      ingress: new AppProcess('ingress', env, logFile('ingress')),
      reconciler: new AppProcess('reconciler', env, logFile('reconciler')),
      notifier: new AppProcess('notifier', env, logFile('notifier')),
    };
  }

  /** With `logDir`, each app's output is appended to `<logDir>/<app>.log`. */
  static async create(env: Record<string, string>, options: { logDir?: string } = {}): Promise<ProcessSystem> {
    if (!existsSync(path.join(ROOT, 'dist/apps/ingress/src/main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
    const ports = { ingress: await freePort(), reconciler: await freePort(), notifier: await freePort() };
    return new ProcessSystem(
      ports,
      {
        ...env,
        INGRESS_PORT: String(ports.ingress),
        RECONCILER_PORT: String(ports.reconciler),
        NOTIFIER_PORT: String(ports.notifier),
        PUBLIC_BASE_URL: `http://127.0.0.1:${ports.ingress}`,
      },
      options.logDir,
    );
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.ports.ingress}`;
  }

  start(name: keyof ProcessSystem['apps']): Promise<void> {
    return this.apps[name].start(`http://127.0.0.1:${this.ports[name]}/healthz`);
  }

  async startAll(): Promise<void> {
    await this.start('reconciler');
    await this.start('notifier');
    await this.start('ingress');
  }

  async stopAll(): Promise<void> {
    await Promise.all(Object.values(this.apps).map((a) => a.stop()));
  }
}

/** A Kafka broker of the test's own (deploy/local/kafka.sh on another port), so stopping it disturbs nobody. */
export class PrivateKafka {
  private readonly stateDir = mkdtempSync(path.join(os.tmpdir(), 'scimflow-kafka-'));
  constructor(
    readonly port: number,
    private readonly controllerPort: number,
  ) {}

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  private async script(verb: string): Promise<void> {
    await run(path.join(ROOT, 'deploy/local/kafka.sh'), [verb], {
      env: { ...process.env, LOCAL_KAFKA_PORT: String(this.port), LOCAL_KAFKA_CONTROLLER_PORT: String(this.controllerPort), SCIMFLOW_STATE_DIR: this.stateDir },
    });
  }

  start = () => this.script('start');
  stop = () => this.script('stop');

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

/**
 * A PostgreSQL cluster of the test's own (initdb on a free port, run as the postgres OS user when we are
 * root), so restarting it disturbs nobody. Skipped with a clear reason where the server binaries are absent.
 */
export class PrivatePostgres {
  readonly dataDir: string;
  private readonly bin: string;
  constructor(readonly port: number) {
    const versions = existsSync('/usr/lib/postgresql') ? execFileSync('ls', ['/usr/lib/postgresql']).toString().trim().split('\n').sort() : [];
    this.bin = `/usr/lib/postgresql/${versions[versions.length - 1]}/bin`;
    this.dataDir = mkdtempSync(path.join(os.tmpdir(), 'scimflow-pg-'));
  }

  static available(): boolean {
    return existsSync('/usr/lib/postgresql');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/scimflow`;
  }

  private async asPostgres(cmd: string, args: string[]): Promise<void> {
    const full = path.join(this.bin, cmd);
    if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', full, ...args]);
    else await run(full, args);
  }

  async init(): Promise<void> {
    if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', this.dataDir]);
    await this.asPostgres('initdb', ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    writeFileSync(
      path.join(this.dataDir, 'postgresql.auto.conf'),
      `port = ${this.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${this.dataDir}'\nfsync = on\n`,
    );
  }

  running(): boolean {
    return existsSync(path.join(this.dataDir, 'postmaster.pid'));
  }

  start = () => this.asPostgres('pg_ctl', ['-D', this.dataDir, '-w', '-l', path.join(this.dataDir, 'log'), 'start']);
  stop = () => this.asPostgres('pg_ctl', ['-D', this.dataDir, '-w', '-m', 'fast', 'stop']);

  async destroy(): Promise<void> {
    if (this.running()) await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
