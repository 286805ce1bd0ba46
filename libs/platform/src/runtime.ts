/**
 * How each app's Node process is started in production: its V8 heap caps and the environment that keeps its
 * memory in bounds (why: deploy/docker/Dockerfile). The start commands of package.json, scripts/up.sh,
 * docker-compose.yml and deploy/ repeat these (runtime.spec.ts keeps them equal); the benchmark and the
 * process-level tests start the apps with them too.
 */
export const APP_NODE_ARGS = {
  ingress: ['--max-old-space-size=128', '--max-semi-space-size=8'],
  reconciler: ['--max-old-space-size=96', '--max-semi-space-size=8'],
  notifier: ['--max-old-space-size=128', '--max-semi-space-size=8'],
} as const;

export type AppName = keyof typeof APP_NODE_ARGS;

/** glibc keeps a malloc arena per thread; two are enough for Node and hold RSS down. */
export const APP_ENV = { MALLOC_ARENA_MAX: '2' } as const;
