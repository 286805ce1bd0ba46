import { readFileSync } from 'node:fs';
import path from 'node:path';
import { APP_ENV, APP_NODE_ARGS, AppName } from './runtime';

const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const apps = Object.keys(APP_NODE_ARGS) as AppName[];
const main = (app: AppName) => `dist/apps/${app}/src/main.js`;

/** Every place that starts an app in production uses the same flags and environment as APP_NODE_ARGS/APP_ENV. */
describe('app start commands', () => {
  it.each(apps)('package.json start:%s', (app) => {
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    expect(scripts[`start:${app}`]).toBe(`MALLOC_ARENA_MAX=${APP_ENV.MALLOC_ARENA_MAX} node ${APP_NODE_ARGS[app].join(' ')} ${main(app)}`);
  });

  it.each(apps)('scripts/up.sh starts %s with its flags', (app) => {
    const up = read('scripts/up.sh');
    expect(up).toContain(`start ${app} node ${APP_NODE_ARGS[app].join(' ')} ${main(app)}`);
    expect(up).toContain(`export MALLOC_ARENA_MAX="\${MALLOC_ARENA_MAX:-${APP_ENV.MALLOC_ARENA_MAX}}"`);
  });

  const command = (app: AppName) => JSON.stringify(['node', ...APP_NODE_ARGS[app], main(app)]).replace(/,/g, ', ');
  it.each(apps)('deploy/k8s and docker-compose.yml start %s with its flags', (app) => {
    expect(read(`deploy/k8s/base/${app}.yaml`)).toContain(`command: ${command(app)}`);
    expect(read('docker-compose.yml')).toContain(`command: ${command(app)}`);
  });

  it('the image sets the environment and starts the ingress by default', () => {
    const dockerfile = read('deploy/docker/Dockerfile');
    expect(dockerfile).toContain(`ENV MALLOC_ARENA_MAX=${APP_ENV.MALLOC_ARENA_MAX}`);
    expect(dockerfile).toContain(`CMD ${command('ingress')}`);
  });
});
