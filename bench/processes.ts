import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { APP_ENV, APP_NODE_ARGS } from '@scimflow/platform';
import { ROOT } from './root';

/** USER_HZ: Linux reports process times in 1/100 s on every architecture Node runs on */
const CLOCK_TICKS_PER_SECOND = 100;

/** A TCP port free on 127.0.0.1 right now, for an app started beside others on a shared machine. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** The apps' ports on one machine. */
export interface AppPorts {
  ingress: number;
  reconciler: number;
  notifier: number;
}

/**
 * The environment of a system the bench starts on its own database and topic prefix. Its throughput runs lift the
 * per-tenant rate limit (it would answer 429 at 50/s) with `unlimited`; the Entra job keeps it, as a tenant has it.
 */
export function systemEnv(opts: { databaseUrl: string; brokers: string; prefix: string; ports: AppPorts; unlimited: boolean }): Record<string, string> {
  return {
    DATABASE_URL: opts.databaseUrl,
    KAFKA_BROKERS: opts.brokers,
    KAFKA_TOPIC_PREFIX: opts.prefix,
    INGRESS_PORT: String(opts.ports.ingress),
    RECONCILER_PORT: String(opts.ports.reconciler),
    NOTIFIER_PORT: String(opts.ports.notifier),
    PUBLIC_BASE_URL: `http://127.0.0.1:${opts.ports.ingress}`,
    ...(opts.unlimited ? { RATE_LIMIT_PER_SECOND: '1000000', RATE_LIMIT_BURST: '1000000' } : {}),
  };
}

/** utime + stime (+ cutime + cstime) of one /proc/<pid>/stat line, in seconds */
function statCpuSeconds(stat: string, withReapedChildren: boolean): number {
  // fields after the command name's ')': state is [0], utime [11], stime [12], cutime [13], cstime [14]
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[11]) + Number(f[12]) + (withReapedChildren ? Number(f[13]) + Number(f[14]) : 0);
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU seconds used so far by the machine's Postgres (every `postgres` process, with the backends that already
 * exited: the postmaster counts them when it reaps them) and by the Kafka broker (a `java` process running kafka).
 * Machine-wide, so only meaningful while the benchmark is what runs. Linux only; 0 where /proc says nothing.
 */
export function serviceCpuSeconds(): { postgres: number; kafka: number } {
  const out = { postgres: 0, kafka: 0 };
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (comm === 'postgres') out.postgres += statCpuSeconds(stat, true);
      else if (comm === 'java' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka')) out.kafka += statCpuSeconds(stat, false);
    } catch {
      /* the process ended while we read it */
    }
  }
  return out;
}

/** A scimflow app running as its own OS process, as in production. */
export class AppProcess {
  private child?: ChildProcess;
  readonly log: string[] = [];

  constructor(
    readonly name: 'ingress' | 'reconciler' | 'notifier',
    private readonly env: Record<string, string>,
    /** where everything the process writes (stdout and stderr) is appended, as a deployment's log file */
    private readonly logFile?: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(healthUrl: string): Promise<void> {
    // the heap caps of the start scripts (package.json, deploy/), then BENCH_NODE_ARGS: extra node flags for the
    // apps, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile them
    const nodeArgs = [...APP_NODE_ARGS[this.name], ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)];
    this.child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, `dist/apps/${this.name}/src/main.js`)], {
      // logs at warn unless the caller or BENCH_LOG_LEVEL says otherwise (the apps' default, log, writes a line per request)
      env: { ...APP_ENV, ...process.env, ...this.env, LOG_LEVEL: this.env.LOG_LEVEL ?? process.env.BENCH_LOG_LEVEL ?? 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const file: WriteStream | undefined = this.logFile ? createWriteStream(this.logFile, { flags: 'a' }) : undefined;
    if (file) this.child.once('close', () => file.end());
    const keep = (b: Buffer) => {
      file?.write(b);
      this.log.push(b.toString());
      if (this.log.length > 200) this.log.shift();
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.child.once('exit', (code, signal) => this.log.push(`[${this.name} exited: code ${code}, signal ${signal}]\n`));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited: ${this.log.join('')}`);
      try {
        if ((await fetch(healthUrl)).ok) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`${this.name} not healthy in 60 s: ${this.log.join('')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Peak resident set size so far (VmHWM), in MB. */
  peakRssMb(): number {
    if (!this.child?.pid) return 0;
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round(kb / 1024);
  }

  /**
   * CPU time the process has used so far (user + system), in seconds. Per unit of work it is steadier than a rate
   * on a shared 2-core machine, so it is what tells whether a change made the work cheaper.
   */
  cpuSeconds(): number {
    if (!this.child?.pid) return 0;
    return statCpuSeconds(readFileSync(`/proc/${this.child.pid}/stat`, 'utf8'), false);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
