// vitest: redis-free (it never touches the run's Redis, so npm run test:cluster leaves it out)
/**
 * docs/operations.md "Failures and recovery" promises that each row is checked by the test it
 * names. This keeps the names honest: every row names at least one test, and every named test
 * exists in the named file (a title that starts with the text given, "…" marking a cut).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

describe('the failures and recovery table', () => {
  const doc = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Failures and recovery'));
  const rows = section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| fault') && !l.startsWith('|---'));

  it('names a test in every row, and each named test exists', () => {
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      const cells = row.split(' | ');
      const cell = cells.at(-1)!.replace(/ \|$/, '');
      // "`file` › *title…*, *title…*; `other` › *title*"
      const groups = cell
        .split(';')
        .map((g) => g.trim())
        .filter(Boolean);
      expect(groups.length, row).toBeGreaterThan(0);
      for (const group of groups) {
        const file = /^`([\w-]+)`/.exec(group)?.[1];
        expect(file, `no test file named in: ${group}`).toBeDefined();
        const source = readFileSync(join(ROOT, 'test', `${file}.test.ts`), 'utf8');
        const titles = [...group.matchAll(/\*([^*]+)\*/g)].map((m) => m[1]!);
        expect(titles.length, group).toBeGreaterThan(0);
        for (const title of titles) {
          const head = title.replace(/…$/, '').replace(/^…/, '');
          expect(source.includes(head), `${file}.test.ts has no test titled "${title}"`).toBe(true);
        }
      }
    }
  });
});
