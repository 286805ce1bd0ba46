import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleAnswer } from './console-static';

describe('console static files', () => {
  let root: string;
  let empty: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'console-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'assets', 'console.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'console.css'), 'body{}');
    writeFileSync(join(root, 'secret.txt'), 'not an asset');
    empty = mkdtempSync(join(tmpdir(), 'console-empty-'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  });

  const page = () => ({ kind: 'file', path: join(root, 'index.html'), contentType: 'text/html; charset=utf-8', cacheControl: 'no-store' });

  it("answers index.html for the app's routes", () => {
    for (const path of ['/console', '/console/', '/console/setup', '/console/tenants/abc', '/console/secret.txt'])
      expect(consoleAnswer(root, path)).toEqual(page());
  });

  it('answers assets with their type, and 404 for a missing one', () => {
    expect(consoleAnswer(root, '/console/assets/console.js')).toEqual({
      kind: 'file',
      path: join(root, 'assets', 'console.js'),
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: 'no-cache',
    });
    expect(consoleAnswer(root, '/console/assets/console.css')).toMatchObject({ contentType: 'text/css; charset=utf-8' });
    expect(consoleAnswer(root, '/console/assets/nope.js')).toEqual({ kind: 'not-found' });
    expect(consoleAnswer(root, '/console/assets')).toEqual({ kind: 'not-found' });
  });

  it('never serves a file outside the root', () => {
    for (const path of [
      '/console/assets/../secret.txt',
      '/console/assets/..%2fsecret.txt',
      '/console/assets/%2e%2e/%2e%2e/etc/passwd',
      '/console/assets/%zz',
      '/console/assets/a%00.js',
    ])
      expect(consoleAnswer(root, path)).toEqual({ kind: 'not-found' });
  });

  it('leaves its API and other paths to the next handler', () => {
    for (const path of ['/console/api', '/console/api/session', '/consoles', '/admin/overview', '/'])
      expect(consoleAnswer(root, path)).toEqual({ kind: 'pass' });
  });

  it('says so when the console was not built', () => {
    expect(consoleAnswer(empty, '/console')).toEqual({ kind: 'not-built' });
    expect(consoleAnswer(join(empty, 'missing'), '/console/assets/console.js')).toEqual({ kind: 'not-built' });
    expect(consoleAnswer(empty, '/console/api/session')).toEqual({ kind: 'pass' });
  });
});
