/**
 * The console's hunt editor holds missions as drafts: a definition or template read into the
 * editor and written back unchanged must give the same puzzles (ids, `after`, every field of
 * every type, generated puzzles by seed), whatever the order the game master then gives them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { huntPuzzles } from '../protocol/index.js';
import { fromInput, resolveAfter, toInput } from '../client/pages/gm/mission-draft.js';

const word = fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,18}[A-Za-z]$/);
const loc = fc.record({
  lat: fc.double({ min: -89, max: 89, noNaN: true }),
  lng: fc.double({ min: -179, max: 179, noNaN: true }),
  radius: fc.integer({ min: 5, max: 500 }),
});
const common = {
  title: word.map((w) => `Title ${w}`),
  prompt: word.map((w) => `Prompt ${w}`),
  points: fc.integer({ min: 1, max: 10_000 }),
};
const opt = { requiredKeys: ['type', 'title', 'prompt', 'points'] as ('type' | 'title' | 'prompt' | 'points')[] };
const hints = fc.array(
  word.map((w) => `Hint ${w}`),
  { minLength: 1, maxLength: 3 },
);
const seq = { opensAfterS: fc.integer({ min: 0, max: 3600 }), closesAfterS: fc.integer({ min: 3601, max: 7200 }) };
const authored = fc.oneof(
  fc.record(
    {
      type: fc.constant('text'),
      ...common,
      answers: fc.uniqueArray(fc.stringMatching(/^[0-9]{4,8}$/), { minLength: 1, maxLength: 3 }),
      hints,
      location: loc,
      ...seq,
    },
    { requiredKeys: [...opt.requiredKeys, 'answers'] },
  ),
  fc.record(
    {
      type: fc.constant('choice'),
      ...common,
      options: fc.constant(['North', 'South', 'East']),
      answer: fc.integer({ min: 0, max: 2 }),
      hints,
      ...seq,
    },
    { requiredKeys: [...opt.requiredKeys, 'options', 'answer'] },
  ),
  fc.record(
    { type: fc.constant('code'), ...common, code: fc.stringMatching(/^[0-9]{4,12}$/), ...seq },
    { requiredKeys: [...opt.requiredKeys, 'code'] },
  ),
  fc.record(
    { type: fc.constant('checkin'), ...common, location: loc, ...seq },
    { requiredKeys: [...opt.requiredKeys, 'location'] },
  ),
  fc.record({ type: fc.constant('free'), ...common, hints, ...seq }, opt),
  fc.record({ type: fc.constant('photo'), ...common, ...seq }, opt),
  fc.record(
    {
      type: fc.constant('cipher'),
      difficulty: fc.constantFrom('easy', 'medium', 'hard'),
      seed: word,
      title: common.title,
      location: loc,
      ...seq,
    },
    { requiredKeys: ['type', 'difficulty'] },
  ),
);

/** a hunt's list: ids on some puzzles, `after` pointing only backwards (no cycles) */
const hunt = fc
  .array(fc.tuple(authored, fc.boolean(), fc.array(fc.nat(), { maxLength: 3 })), { minLength: 1, maxLength: 8 })
  .map((items) => {
    const ids = items.map(([, named], i) => (named ? `m-${i}` : `p${i + 1}`));
    return items.map(([p, named, refs], i) => {
      const after = [...new Set(refs.filter(() => i > 0).map((r) => ids[r % i]!))];
      return { ...p, ...(named ? { id: ids[i] } : {}), ...(after.length ? { after } : {}) } as Record<string, unknown>;
    });
  });

describe('hunt editor drafts', () => {
  it('write back a definition read into the editor unchanged', () => {
    fc.assert(
      fc.property(hunt, (puzzles) => {
        expect(huntPuzzles.safeParse(puzzles).success).toBe(true);
        const drafts = puzzles.map((p) => fromInput(p));
        resolveAfter(drafts);
        const back = drafts.map((d) => toInput(d, drafts));
        // ids given in the definition stay; positional ones stay positional
        expect(back).toEqual(puzzles);
      }),
      { numRuns: 200 },
    );
  });

  it('keep `after` pointing at the same missions when the game master reorders them', () => {
    fc.assert(
      fc.property(hunt, fc.nat(), (puzzles, shift) => {
        const drafts = puzzles.map((p) => fromInput(p));
        resolveAfter(drafts);
        // a mission by its content (all but its id and `after`), wherever it stands
        const contentOf = (list: object[], id: string): string => {
          const found = list.find((x, k) => ((x as { id?: string }).id ?? `p${k + 1}`) === id);
          const { id: _id, after: _after, ...rest } = (found ?? {}) as Record<string, unknown>;
          return found
            ? JSON.stringify(
                Object.keys(rest)
                  .sort()
                  .map((key) => [key, rest[key]]),
              )
            : `missing ${id}`;
        };
        const k = shift % drafts.length;
        const moved = [...drafts.slice(k), ...drafts.slice(0, k)];
        const back = moved.map((d) => toInput(d, moved)) as { id?: string; after?: string[]; prompt?: string }[];
        for (const [i, p] of back.entries()) {
          const before = puzzles[(i + k) % puzzles.length] as { after?: string[] };
          expect((p.after ?? []).map((id) => contentOf(back, id))).toEqual(
            (before.after ?? []).map((id) => contentOf(puzzles, id)),
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});
