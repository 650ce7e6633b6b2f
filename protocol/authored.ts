/**
 * Authored puzzles (PROTOCOL.md v1.2, "Authored puzzles") and the puzzle list of a hunt, which
 * mixes them with generated specs. Every field is checked here, at the edge, with a message
 * naming the field; the list as a whole is checked by `huntPuzzleProblems` (ids unique, `after`
 * naming puzzles that exist, no cycle, closing after opening).
 */
import { z } from 'zod';

import { AUTHORED_TYPES, DIFFICULTIES, PUZZLE_TYPES } from './constants.js';
import { isOneOf } from './guards.js';
import { isWellFormed } from './input.js';
import { normalizeAnswer } from './normalize.js';

function text(max: number): z.ZodString {
  return z
    .string()
    .max(max, `at most ${max} characters`)
    .refine(isWellFormed, { message: 'must be well-formed Unicode (no lone surrogates)' });
}

/** A puzzle id a game master may choose; `after` names these. */
export const PUZZLE_ID = /^[A-Za-z0-9_-]{1,32}$/;
export const puzzleId = z.string().regex(PUZZLE_ID, 'a puzzle id is 1 to 32 letters, digits, "_" or "-"');

/** The longest time after launch a puzzle may open or close at: 30 days. */
export const MAX_SEQUENCE_S = 30 * 24 * 3600;

export const puzzleLocation = z.strictObject({
  lat: z.number().min(-90, 'lat is from -90 to 90').max(90, 'lat is from -90 to 90'),
  lng: z.number().min(-180, 'lng is from -180 to 180').max(180, 'lng is from -180 to 180'),
  /** metres */
  radius: z.number().positive('radius is in metres, above 0').max(100_000, 'radius is at most 100,000 m'),
});
export type PuzzleLocation = z.infer<typeof puzzleLocation>;

/** The sequencing fields every puzzle may carry, generated or authored. */
const sequencing = {
  /** the puzzle's id in its hunt; `p<position>` when absent */
  id: puzzleId.optional(),
  /** puzzles that must be solved first (ids in the same hunt) */
  after: z
    .array(puzzleId)
    .min(1, '`after` lists at least one puzzle id')
    .max(20, '`after` lists at most 20 puzzles')
    .optional(),
  /** seconds after launch before the puzzle opens */
  opensAfterS: z
    .number()
    .int('whole seconds')
    .min(0)
    .max(MAX_SEQUENCE_S, `at most ${MAX_SEQUENCE_S} s (30 days)`)
    .optional(),
  /** seconds after launch when the puzzle closes (answers are then refused with PUZZLE_CLOSED) */
  closesAfterS: z
    .number()
    .int('whole seconds')
    .min(1)
    .max(MAX_SEQUENCE_S, `at most ${MAX_SEQUENCE_S} s (30 days)`)
    .optional(),
};

/** A generated puzzle: a type with a generator, its difficulty, and (for an exact copy) the seed it is made from. */
export const puzzleSpec = z.object({
  type: z.enum(PUZZLE_TYPES),
  difficulty: z.enum(DIFFICULTIES),
  /** when set, the puzzle stays locked (no prompt) until a `move` brings the player within `radius` */
  location: puzzleLocation.optional(),
  /** the generator's seed for this puzzle (a hunt definition carries it, so a copy is the same puzzle) */
  seed: text(200).min(1).optional(),
  title: text(120).trim().min(1, 'a title is not empty').optional(),
  ...sequencing,
});
export type PuzzleSpec = z.infer<typeof puzzleSpec>;

const common = {
  ...sequencing,
  title: text(120).trim().min(1, 'a title is not empty'),
  /** what the player reads */
  prompt: text(2000).trim().min(1, 'a prompt is not empty'),
  points: z
    .number()
    .int('whole points')
    .min(1, 'points are from 1 to 10,000')
    .max(10_000, 'points are from 1 to 10,000'),
  /** each costs the scoring config's hint penalty */
  hints: z.array(text(500).trim().min(1, 'a hint is not empty')).max(10, 'at most 10 hints').optional(),
  /** locked (no prompt) until a player comes within `radius` */
  location: puzzleLocation.optional(),
};

/** True when `secret` (normalised, whole words) appears in any of `texts`. */
function givesAway(texts: readonly string[], secret: string): boolean {
  const needle = normalizeAnswer(secret);
  if (needle.length < 3) return false; // "a" or "42" would match by chance; too short to keep out of every prompt
  return texts.some((t) => ` ${normalizeAnswer(t)} `.includes(` ${needle} `));
}

/**
 * True when a text holds the code anywhere, spaces and punctuation aside: "RIVER42" is given away
 * by "the River 42 bridge" and by "river42b" alike. Stricter than for answers (whole words), since
 * a code is a token to copy, not a word to guess.
 */
function givesAwayCode(texts: readonly string[], code: string): boolean {
  const needle = normalizeAnswer(code).replace(/\s+/g, '');
  if (needle.length < 3) return false;
  return texts.some((t) => normalizeAnswer(t).replace(/\s+/g, '').includes(needle));
}

/** What a player reads of a puzzle: its title, prompt and hints. */
function shown(p: { title: string; prompt: string; hints?: string[] | undefined }): string[] {
  return [p.title, p.prompt, ...(p.hints ?? [])];
}

/**
 * Why a written puzzle would let a player read its solution (its prompt, title or a hint
 * holding an accepted answer or the code), or null. The schema refuses such puzzles; the
 * prompt a player receives is built from the public fields only, so nothing else can leak.
 */
export function leakProblem(p: {
  type: string;
  title: string;
  prompt: string;
  hints?: string[] | undefined;
  answers?: string[];
  code?: string;
}): PuzzleProblem | null {
  const texts = shown(p);
  if (p.type === 'text') {
    const i = (p.answers ?? []).findIndex((a) => givesAway(texts, a));
    if (i >= 0) return { path: ['answers', i], message: 'the title, prompt or a hint gives this accepted answer away' };
  }
  if (p.type === 'code' && p.code !== undefined && givesAwayCode(texts, p.code))
    return { path: ['code'], message: 'the title, prompt or a hint gives the code away' };
  return null;
}

const answerText = text(200).trim().min(1, 'an accepted answer is not empty');

export const textPuzzle = z
  .strictObject({
    type: z.literal('text'),
    ...common,
    answers: z.array(answerText).min(1, 'at least one accepted answer').max(20, 'at most 20 accepted answers'),
  })
  .superRefine((p, ctx) => {
    const seen = new Map<string, number>();
    p.answers.forEach((a, i) => {
      const n = normalizeAnswer(a);
      if (n === '')
        ctx.addIssue({
          code: 'custom',
          path: ['answers', i],
          message: 'this answer is only punctuation or spaces: nothing would match it',
        });
      const before = seen.get(n);
      if (before !== undefined && n !== '')
        ctx.addIssue({
          code: 'custom',
          path: ['answers', i],
          message: `this answer is the same as answer ${before} once accents, case and punctuation are ignored`,
        });
      seen.set(n, i);
    });
    const leak = leakProblem(p);
    if (leak) ctx.addIssue({ code: 'custom', path: leak.path, message: leak.message });
  });

export const choicePuzzle = z
  .strictObject({
    type: z.literal('choice'),
    ...common,
    options: z
      .array(text(200).trim().min(1, 'an option is not empty'))
      .min(2, 'at least 2 options')
      .max(10, 'at most 10 options'),
    /** the index of the right option, from 0 */
    answer: z.number().int('the index of the right option').min(0, 'the index of the right option, from 0'),
  })
  .refine((p) => p.answer < p.options.length, {
    path: ['answer'],
    message: 'the index of the right option must be below the number of options',
  });

export const codePuzzle = z
  .strictObject({
    type: z.literal('code'),
    ...common,
    code: z.string().regex(/^[A-Za-z0-9]{4,32}$/, 'a code is 4 to 32 letters or digits'),
  })
  .superRefine((p, ctx) => {
    const leak = leakProblem(p);
    if (leak) ctx.addIssue({ code: 'custom', path: leak.path, message: leak.message });
  });

export const checkinPuzzle = z.strictObject({
  type: z.literal('checkin'),
  ...common,
  /** a `move` within `radius` solves it */
  location: puzzleLocation,
});

export const freePuzzle = z.strictObject({ type: z.literal('free'), ...common });
export const photoPuzzle = z.strictObject({ type: z.literal('photo'), ...common });

export const authoredPuzzle = z.discriminatedUnion('type', [
  textPuzzle,
  choicePuzzle,
  codePuzzle,
  checkinPuzzle,
  freePuzzle,
  photoPuzzle,
]);
export type AuthoredPuzzle = z.infer<typeof authoredPuzzle>;

/** One puzzle of a hunt as written: a generated spec or an authored puzzle. */
export const huntPuzzle = z.discriminatedUnion('type', [
  puzzleSpec,
  textPuzzle,
  choicePuzzle,
  codePuzzle,
  checkinPuzzle,
  freePuzzle,
  photoPuzzle,
]);
export type HuntPuzzle = z.infer<typeof huntPuzzle>;

export function isAuthored(p: HuntPuzzle): p is AuthoredPuzzle {
  return isOneOf(AUTHORED_TYPES, p.type);
}

/** The id each puzzle of a list gets: its own, or `p<position>` from `firstIndex`. */
export function puzzleIds(puzzles: readonly { id?: string | undefined }[], firstIndex = 0): string[] {
  return puzzles.map((p, i) => p.id ?? `p${firstIndex + i + 1}`);
}

export interface PuzzleProblem {
  path: (string | number)[];
  message: string;
}

/**
 * What is wrong with a hunt's puzzle list as a whole: ids that repeat, `after` naming a puzzle
 * that is not in the hunt (`existing` holds those already stored, for puzzles added later) or
 * forming a cycle, a puzzle closing before it opens. Empty when the list is fine.
 */
export function huntPuzzleProblems(
  puzzles: readonly HuntPuzzle[],
  existing: ReadonlyMap<string, readonly string[]> = new Map(),
  firstIndex = 0,
): PuzzleProblem[] {
  const out: PuzzleProblem[] = [];
  const ids = puzzleIds(puzzles, firstIndex);
  const graph = new Map<string, readonly string[]>(existing);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i || existing.has(id))
      out.push({ path: [i, 'id'], message: `puzzle id ${id} is used twice` });
    graph.set(id, puzzles[i]?.after ?? []);
  });
  puzzles.forEach((p, i) => {
    (p.after ?? []).forEach((a, k) => {
      if (a === ids[i]) out.push({ path: [i, 'after', k], message: 'a puzzle cannot come after itself' });
      else if (!graph.has(a)) out.push({ path: [i, 'after', k], message: `no puzzle ${a} in this hunt` });
    });
    if (p.opensAfterS !== undefined && p.closesAfterS !== undefined && p.closesAfterS <= p.opensAfterS)
      out.push({ path: [i, 'closesAfterS'], message: '`closesAfterS` must be after `opensAfterS`' });
  });
  const cycle = findCycle(graph);
  if (cycle) {
    const at = ids.indexOf(cycle[0] ?? '');
    out.push({ path: at >= 0 ? [at, 'after'] : [], message: `\`after\` goes round in a circle: ${cycle.join(' → ')}` });
  }
  return out;
}

/** A cycle of the `after` graph (ids, first repeated at the end), or null. Iterative: a hostile graph cannot overflow the stack. */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const state = new Map<string, 1 | 2>(); // 1 on the path, 2 done
  for (const start of graph.keys()) {
    if (state.has(start)) continue;
    const path: string[] = [];
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 1);
    path.push(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const edges = graph.get(top.id) ?? [];
      if (top.next < edges.length) {
        const to = edges[top.next++]!;
        if (!graph.has(to)) continue;
        if (state.get(to) === 1) return [...path.slice(path.indexOf(to)), to];
        if (state.has(to)) continue;
        state.set(to, 1);
        path.push(to);
        stack.push({ id: to, next: 0 });
      } else {
        state.set(top.id, 2);
        path.pop();
        stack.pop();
      }
    }
  }
  return null;
}

/** A hunt's puzzle list, checked field by field and as a whole. */
export const huntPuzzles = z
  .array(huntPuzzle)
  .min(1, 'a hunt has at least one puzzle')
  .max(200, 'a hunt has at most 200 puzzles')
  .superRefine((list, ctx) => {
    for (const p of huntPuzzleProblems(list)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  });
