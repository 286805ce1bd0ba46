import { readdirSync } from 'node:fs';
import { MIGRATIONS } from './index';

/** The list is explicit (not globbed), so a migration file left out of it would silently never run. */
describe('MIGRATIONS', () => {
  const files = readdirSync(__dirname)
    .filter((f) => /^\d{13}-.+\.ts$/.test(f))
    .sort();
  const names = MIGRATIONS.map((m) => new m().name);

  it('registers every migration file once', () => {
    expect(names).toHaveLength(files.length);
    expect(new Set(names).size).toBe(names.length);
    const stamps = (list: string[]) => list.map((s) => s.match(/\d{13}/)![0]).sort();
    expect(stamps(names)).toEqual(stamps(files));
  });

  it('names each class after its file: <Name><timestamp>', () => {
    for (const f of files) {
      const [, stamp, slug] = f.match(/^(\d{13})-(.+)\.ts$/)!;
      const pascal = slug.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
      expect(names).toContain(`${pascal}${stamp}`);
    }
  });
});
