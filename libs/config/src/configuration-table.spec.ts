import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IngressConfig, NotifierConfig, ReconcilerConfig, ScimctlConfig } from './config';

const APPS = { ingress: IngressConfig, reconciler: ReconcilerConfig, notifier: NotifierConfig, scimctl: ScimctlConfig };
const SETTING = /[A-Z][A-Z0-9_]+/g;

/** The apps whose config includes `setting`, as the table's "read by" column says it. */
function readBy(setting: string): string {
  const apps = Object.entries(APPS).filter(([, config]) => setting in new config());
  return apps.length === Object.keys(APPS).length ? 'all' : apps.map(([app]) => app).join(', ');
}

const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('### Limits'));
const rows = section
  .split('\n')
  .filter((line) => line.startsWith('| `'))
  .map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );

/** The README's Configuration table says what the code does: every setting, and which apps read it. */
describe('README Configuration table', () => {
  it('lists every setting', () => {
    const listed = new Set(rows.flatMap(([settings]) => settings.match(SETTING) ?? []));
    const declared = new Set(Object.values(APPS).flatMap((config) => Object.keys(new config())));
    expect([...listed].sort()).toEqual([...declared].sort());
  });

  it.each(rows.map((row) => [row[0], row] as const))('%s: read by', (_, [settings, , , column]) => {
    expect(column).toBe([...new Set(settings.match(SETTING)!.map(readBy))].join(' / '));
  });
});
