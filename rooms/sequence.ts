/**
 * Sequencing as the welcome applies it: a puzzle is locked by its opening time, by `after`
 * puzzles unsolved, or by a location not reached; it is closed once its closing time passed.
 * lua/includes/sequence.lua holds the same rules for the scripts (answers, moves, announcements).
 */
import { isRecord, type PublicPuzzle } from '../protocol/index.js';
import type { StoredPuzzle } from './records.js';
import type { ScriptParams } from './params.js';

/** A puzzle's sequencing as stored: `a` ids to solve first, `o` opensAfterS, `c` closesAfterS. */
export interface Sequence {
  a?: string[];
  o?: number;
  c?: number;
}

const isIds = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isSeconds = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** A stored sequence, checked; null when absent or unreadable (an unreadable one locks nothing). */
export function parseSequence(raw: string | null | undefined): Sequence | null {
  if (!raw) return null;
  try {
    const v: unknown = JSON.parse(raw);
    if (!isRecord(v)) return null;
    const s: Sequence = {};
    if (isIds(v.a)) s.a = v.a;
    if (isSeconds(v.o)) s.o = v.o;
    if (isSeconds(v.c)) s.c = v.c;
    return s;
  } catch {
    return null;
  }
}

export const isAuthoredRecord = (p: { type: string }): boolean =>
  ['text', 'choice', 'code', 'checkin', 'free', 'photo'].includes(p.type);

/** What one player (team) has of a puzzle, and the hunt's clock. */
export interface ViewContext {
  seq: Sequence | null;
  /** epoch ms of the launch, or null before it */
  launchedAt: number | null;
  now: number;
  solved: boolean;
  /** whether each `after` puzzle is solved by this player */
  solvedById: (puzzle: string) => boolean;
  reached: boolean;
  pending: boolean;
  params: ScriptParams;
}

/** Why the puzzle is locked for this player now, or undefined. */
export function lockOf(p: StoredPuzzle, ctx: ViewContext): PublicPuzzle['lockedBy'] {
  const { seq } = ctx;
  if (seq?.o !== undefined && (ctx.launchedAt === null || ctx.now < ctx.launchedAt + seq.o * 1000)) return 'time';
  if (seq?.a?.some((a) => !ctx.solvedById(a))) return 'after';
  if (p.location !== undefined && p.type !== 'checkin' && !ctx.reached) return 'location';
  return undefined;
}

/** The puzzle as this player sees it now. */
export function playerView(stored: StoredPuzzle, ctx: ViewContext): PublicPuzzle {
  const { index: _i, ...p } = stored;
  const lockedBy = lockOf(stored, ctx);
  const authored = isAuthoredRecord(p);
  const points = authored ? p.points : (ctx.params.points[p.difficulty] ?? p.points);
  const hintCost = authored ? Math.floor(p.points * ctx.params.hintPenaltyFraction) : ctx.params.hintCost[p.difficulty];
  const view: PublicPuzzle = {
    ...p,
    points,
    prompt: lockedBy ? null : p.prompt,
    solved: ctx.solved,
    locked: lockedBy !== undefined,
    hintCost,
  };
  if (lockedBy) view.lockedBy = lockedBy;
  const { seq, launchedAt } = ctx;
  if (seq?.a) view.after = seq.a;
  if (seq?.o !== undefined && launchedAt !== null) view.opensAt = launchedAt + seq.o * 1000;
  if (seq?.c !== undefined && launchedAt !== null) {
    view.closesAt = launchedAt + seq.c * 1000;
    if (ctx.now >= view.closesAt) view.closed = true;
  }
  if (ctx.pending) view.pending = true;
  return view;
}
