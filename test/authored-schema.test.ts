/**
 * Authored puzzles without a node: the text normaliser's properties, the schema's field-level
 * refusals, and that what a player receives of a random authored puzzle never holds its
 * accepted answers, its code or the index of its right option.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES, templateSchema } from '../config/index.js';
import {
  authoredPuzzle,
  createHuntBody,
  huntPuzzles,
  normalizeAnswer,
  type AuthoredPuzzle,
} from '../protocol/index.js';
import { authoredParts, verifyAuthored } from '../puzzles/index.js';

/** Letters and digits of several scripts, and spaces: what accepted answers are made of. */
const word = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzéèàüößçñøåæœ0123456789αβγδжщ京都'.split('')),
  minLength: 1,
  maxLength: 12,
});
const answerArb = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '));
const PUNCT = ['.', ',', '!', '?', '-', "'", '"', '(', ')', ':', ';', '…', '¿', '¡', '«', '»'];
const MARKS = ['\u0301', '\u0300', '\u0308', '\u0327', '\u0303'];

/** The same answer as a player might type it: other case, accents added, punctuation and spaces sprinkled in. */
function variant(answer: string, r: { upper: boolean[]; marks: number[]; punct: number[]; spaces: boolean }): string {
  let out = '';
  [...answer].forEach((ch, i) => {
    let c = r.upper[i % r.upper.length] ? ch.toUpperCase() : ch;
    if (/\p{L}/u.test(ch) && (r.marks[i % r.marks.length] ?? 0) < MARKS.length)
      c += MARKS[r.marks[i % r.marks.length]!];
    const p = r.punct[i % r.punct.length] ?? 99;
    if (p < PUNCT.length) c += PUNCT[p];
    out += c === ' ' && r.spaces ? '   ' : c;
  });
  return ` ${out} `;
}
const variantArb = fc.record({
  upper: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
  marks: fc.array(fc.nat(12), { minLength: 1, maxLength: 8 }),
  punct: fc.array(fc.nat(40), { minLength: 1, maxLength: 8 }),
  spaces: fc.boolean(),
});

describe('the text normaliser', () => {
  it('is idempotent on any string', () => {
    // any code point, and often the ones that interact: spaces, punctuation, marks, ligatures, letters that change length with case
    const tricky = fc.constantFrom(
      ' ',
      '  ',
      '.',
      '-',
      "'",
      'a',
      'Z',
      'É',
      '\u0301',
      '\u0327',
      'ß',
      'ı',
      'İ',
      'ſ',
      '\t',
      '\u00a0',
      'ﬁ',
      '①',
      '²',
      '\u200b',
      '😀',
    );
    const anyString = fc.string({
      unit: fc.oneof(tricky, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
      maxLength: 40,
    });
    fc.assert(
      fc.property(anyString, (s) => normalizeAnswer(normalizeAnswer(s)) === normalizeAnswer(s)),
      { numRuns: 3000 },
    );
  });

  it('never lets accents, case, punctuation or spacing change the verdict', () => {
    fc.assert(
      fc.property(answerArb, variantArb, answerArb, (accepted, r, other) => {
        const solution = authoredParts(
          { type: 'text', title: 't', prompt: 'p', points: 1, answers: [accepted] },
          'p1',
          0,
        ).solution;
        expect(verifyAuthored(variant(accepted, r), solution)).toBe(true);
        // and a different answer stays wrong whatever is done to it
        if (normalizeAnswer(other) !== normalizeAnswer(accepted))
          expect(verifyAuthored(variant(other, r), solution)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps distinct accepted answers distinct, or the schema refuses the pair', () => {
    fc.assert(
      fc.property(answerArb, answerArb, variantArb, (a, b, r) => {
        const twin = variant(a, r).trim() || a;
        for (const [x, y] of [
          [a, b],
          [a, twin],
        ] as const) {
          const parsed = authoredPuzzle.safeParse({
            type: 'text',
            title: 'Riddle',
            prompt: 'Guess the word',
            points: 10,
            answers: [x, y],
          });
          const collide = normalizeAnswer(x) === normalizeAnswer(y);
          if (collide) {
            expect(parsed.success).toBe(false);
            expect(parsed.error?.issues.some((i) => i.path.join('.') === 'answers.1')).toBe(true);
          } else if (parsed.success && parsed.data.type === 'text') {
            const { solution } = authoredParts(parsed.data, 'p1', 0);
            expect(new Set((solution as { answers: string[] }).answers).size).toBe(2);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

/** Random authored puzzles the schema takes. */
const authoredArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({
    type: fc.constant('text'),
    title: answerArb,
    prompt: fc.lorem({ maxCount: 12 }),
    points: fc.integer({ min: 1, max: 10_000 }),
    answers: fc.uniqueArray(answerArb, { minLength: 1, maxLength: 5, selector: normalizeAnswer }),
    hints: fc.array(fc.lorem({ maxCount: 5 }), { maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant('choice'),
    title: answerArb,
    prompt: fc.lorem({ maxCount: 12 }),
    points: fc.integer({ min: 1, max: 10_000 }),
    options: fc.array(answerArb, { minLength: 2, maxLength: 10 }),
    answer: fc.nat(9),
  }),
  fc.record({
    type: fc.constant('code'),
    title: answerArb,
    prompt: fc.lorem({ maxCount: 12 }),
    points: fc.integer({ min: 1, max: 10_000 }),
    code: fc.stringMatching(/^[A-Za-z0-9]{4,32}$/),
  }),
  fc.record({
    type: fc.constantFrom('free', 'photo'),
    title: answerArb,
    prompt: fc.lorem({ maxCount: 12 }),
    points: fc.integer({ min: 1, max: 10_000 }),
  }),
);

describe('what a player receives of an authored puzzle', () => {
  it('never holds an accepted answer, the code or the index of the right option', () => {
    let checked = 0;
    fc.assert(
      fc.property(authoredArb, (raw) => {
        const parsed = authoredPuzzle.safeParse(raw);
        if (!parsed.success) return; // the schema refused it (a leaking prompt among the reasons)
        const p: AuthoredPuzzle = parsed.data;
        const { puzzle, answer } = authoredParts(p, 'p1', 0);
        const shown = JSON.stringify(puzzle);
        const keys = JSON.stringify(Object.keys(puzzle)) + JSON.stringify(Object.keys(puzzle.prompt as object));
        expect(keys).not.toMatch(/answers|"answer"|"code"|solution|index"?\]/);
        const words = ` ${normalizeAnswer([puzzle.title, (puzzle.prompt as { text: string }).text].join(' '))} `;
        if (p.type === 'text')
          for (const a of p.answers.map(normalizeAnswer).filter((a) => a.length >= 3))
            expect(words).not.toContain(` ${a} `);
        if (p.type === 'code') expect(shown.toUpperCase()).not.toContain(p.code.toUpperCase());
        if (p.type === 'choice') expect(puzzle.prompt).toEqual({ text: p.prompt, options: p.options });
        expect(answer).toBeTypeOf('string');
        checked++;
      }),
      { numRuns: 1000 },
    );
    expect(checked).toBeGreaterThan(500);
  });

  it('refuses a prompt that gives away an accepted answer or the code, naming the field', () => {
    const text = authoredPuzzle.safeParse({
      type: 'text',
      title: 'Riddle',
      prompt: 'The answer is NOTRE-DAME de la Garde, obviously',
      points: 10,
      answers: ['Notre-Dame de la Garde'],
    });
    expect(text.error?.issues.map((i) => i.path.join('.'))).toEqual(['answers.0']);
    const code = authoredPuzzle.safeParse({
      type: 'code',
      title: 'Bridge',
      prompt: 'Type b-r-i-d-g-e-4-2',
      points: 10,
      code: 'BRIDGE42',
      hints: [],
    });
    expect(code.error?.issues.map((i) => i.path.join('.'))).toEqual(['code']);
    // a code is given away spaced out and inside a longer token too (fast-check found the second)
    for (const title of ['The River 42 bridge', 'river42b'])
      expect(
        authoredPuzzle.safeParse({ type: 'code', title, prompt: 'Find the plate', points: 10, code: 'RIVER42' }).error
          ?.issues[0]?.path,
      ).toEqual(['code']);
  });
});

describe('the authored schema', () => {
  const issues = (body: unknown): string[] => {
    const parsed = createHuntBody.safeParse(body);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  const base = { type: 'text', title: 'T', prompt: 'P', points: 10, answers: ['x y z'] };

  it('names the field of each refusal', () => {
    expect(issues({ name: 'h', puzzles: [{ ...base, title: 'x'.repeat(121) }] })).toEqual([
      'puzzles.0.title: at most 120 characters',
    ]);
    expect(issues({ name: 'h', puzzles: [{ ...base, prompt: 'x'.repeat(2001) }] })).toEqual([
      'puzzles.0.prompt: at most 2000 characters',
    ]);
    expect(issues({ name: 'h', puzzles: [{ ...base, points: 10_001 }] })).toEqual([
      'puzzles.0.points: points are from 1 to 10,000',
    ]);
    expect(issues({ name: 'h', puzzles: [{ ...base, points: 0 }] })).toEqual([
      'puzzles.0.points: points are from 1 to 10,000',
    ]);
    expect(
      issues({
        name: 'h',
        puzzles: [{ type: 'choice', title: 'T', prompt: 'P', points: 1, options: ['a', 'b'], answer: 2 }],
      }),
    ).toEqual(['puzzles.0.answer: the index of the right option must be below the number of options']);
    expect(issues({ name: 'h', puzzles: [{ type: 'code', title: 'T', prompt: 'P', points: 1, code: 'ab' }] })).toEqual([
      'puzzles.0.code: a code is 4 to 32 letters or digits',
    ]);
    expect(issues({ name: 'h', puzzles: [{ type: 'checkin', title: 'T', prompt: 'P', points: 1 }] })).toEqual([
      'puzzles.0.location: Invalid input: expected object, received undefined',
    ]);
    expect(issues({ name: 'h', puzzles: [{ ...base, answers: ['Été', 'ete!'] }] })).toEqual([
      'puzzles.0.answers.1: this answer is the same as answer 0 once accents, case and punctuation are ignored',
    ]);
    expect(
      issues({ name: 'h', puzzles: [{ ...base, answers: Array.from({ length: 21 }, (_, i) => `answer ${i}`) }] }),
    ).toEqual(['puzzles.0.answers: at most 20 accepted answers']);
  });

  it('checks the list as a whole: ids, `after` and the times', () => {
    expect(
      issues({
        name: 'h',
        puzzles: [
          { ...base, id: 'a' },
          { ...base, id: 'a' },
        ],
      }),
    ).toEqual(['puzzles.1.id: puzzle id a is used twice']);
    expect(issues({ name: 'h', puzzles: [{ ...base, after: ['nope'] }] })).toEqual([
      'puzzles.0.after.0: no puzzle nope in this hunt',
    ]);
    expect(
      issues({
        name: 'h',
        puzzles: [
          { ...base, id: 'a', after: ['b'] },
          { ...base, id: 'b', after: ['a'] },
        ],
      }),
    ).toEqual(['puzzles.0.after: `after` goes round in a circle: a → b → a']);
    expect(issues({ name: 'h', puzzles: [{ ...base, opensAfterS: 60, closesAfterS: 60 }] })).toEqual([
      'puzzles.0.closesAfterS: `closesAfterS` must be after `opensAfterS`',
    ]);
    // generated specs take the same sequencing and mix with authored ones
    expect(
      issues({
        name: 'h',
        puzzles: [
          { type: 'cipher', difficulty: 'easy', id: 'c' },
          { ...base, after: ['c'], opensAfterS: 5 },
        ],
      }),
    ).toEqual([]);
  });

  it('finds a cycle in a long chain without recursion', () => {
    const chain = Array.from({ length: 200 }, (_, i) => ({ ...base, id: `q${i}`, after: [`q${(i + 1) % 200}`] }));
    expect(huntPuzzles.safeParse(chain).success).toBe(false);
  });

  it('ships templates the schema takes, one with every authored type and a final clue after the others', () => {
    for (const [name, t] of Object.entries(DEFAULT_TEMPLATES))
      expect(templateSchema.safeParse(t).success, name).toBe(true);
    const walk = DEFAULT_TEMPLATES['old-town-walk']!;
    expect(new Set(walk.puzzles.map((p) => p.type))).toEqual(new Set(['text', 'choice', 'code', 'checkin', 'photo']));
    expect(walk.puzzles.at(-1)?.after?.length).toBe(walk.puzzles.length - 1);
  });
});
