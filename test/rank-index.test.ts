/**
 * The front's rank index against a model: a sorted array in Redis's ZREVRANGE order (higher
 * value first; equal values, the later member first), through inserts, updates, removals and ties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RankIndex } from '../server/rank-index.js';

type Op = { member: string; value: number | null };

function modelRanks(board: Map<string, number>): Map<string, number> {
  const sorted = [...board].sort(([am, av], [bm, bv]) => (av !== bv ? bv - av : am < bm ? 1 : am > bm ? -1 : 0));
  return new Map(sorted.map(([m], i) => [m, i]));
}

describe('rank index', () => {
  it('answers ZREVRANK like a sorted array, ties and removals included', () => {
    // few members and few values: updates of the same member and equal values are frequent
    const op = fc.record({
      member: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'ab', 'B', 'p10', 'p9'),
      value: fc.option(
        fc.integer({ min: -3, max: 3 }).map((v) => v * 4294967296 + 7),
        { nil: null },
      ),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops: Op[]) => {
        const index = new RankIndex();
        const board = new Map<string, number>();
        for (const { member, value } of ops) {
          index.set(member, value);
          if (value === null) board.delete(member);
          else board.set(member, value);
          const ranks = modelRanks(board);
          expect(index.size).toBe(board.size);
          for (const m of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'ab', 'B', 'p10', 'p9']) {
            expect(index.rank(m)).toBe(ranks.get(m));
            expect(index.value(m)).toBe(board.get(m));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
