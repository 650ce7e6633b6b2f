/**
 * The puzzle lists `welcome`s carry, per hunt, kept by a front across script reads (see Built):
 * the hunt's puzzles parsed once per `puzzlesRev`, and one list per point of progress.
 */
import type { PublicPuzzle } from '../protocol/index.js';
import type { ScriptParams } from './params.js';
import { readPuzzle, type StoredPuzzle } from './records.js';
import type { WelcomesRead } from './scripts.js';
import { parseSequence, type Sequence } from './sequence.js';

/** Puzzle lists (one per point of progress) kept per hunt across reads, and hunts kept. */
export const MAX_LISTS_PER_HUNT = 64;
const MAX_HUNTS_BUILT = 1000;

/**
 * A hunt's parsed puzzles and the welcome puzzle lists built from them, kept across reads: a
 * burst of joins in many small reads parses and builds them once, and the gateway writes each
 * list's text once (it keys the text by the list). Valid while the puzzles (`puzzlesRev`, which
 * covers hints and sequencing), the launch time and the params are the same, and until the next
 * moment a puzzle opens or closes by time (`until`).
 */
export interface Built {
  rev: string;
  launchedAt: number | null;
  params: ScriptParams;
  until: number;
  parsed: Parsed;
  /** by the player's progress (WelcomeOfPlayer.progress) */
  lists: Map<string, PublicPuzzle[]>;
}

/** The puzzles of one `puzzlesRev`, parsed. */
export interface Parsed {
  /** the ids in the order read: the players' per-puzzle lists follow it (HKEYS may reorder a hash between reads) */
  order: string[];
  puzzles: { p: StoredPuzzle; at: number }[];
  positions: Map<string, number>;
  sequences: Map<string, Sequence>;
  hints: Map<string, string[]>;
}

export class WelcomeLists {
  private readonly built = new Map<string, Built>();

  /** The hunt's parsed puzzles and built lists, kept while they hold (see Built), else made anew. */
  of(id: string, read: WelcomesRead, launchedAt: number | null, now: number, params: ScriptParams): Built {
    const rev = read.meta.puzzlesRev ?? '0';
    let built = this.built.get(id);
    const same = built !== undefined && built.rev === rev && inOrder(built.parsed.order, read.puzzles);
    if (built && same && built.launchedAt === launchedAt && built.params === params && now < built.until) {
      if (built.lists.size >= MAX_LISTS_PER_HUNT) built.lists.clear();
      return built;
    }
    const parsed = built && same ? built.parsed : parsePuzzles(read);
    built = {
      rev,
      launchedAt,
      params,
      until: nextTimedChange(parsed.sequences, launchedAt, now),
      parsed,
      lists: new Map(),
    };
    this.built.delete(id);
    this.built.set(id, built);
    if (this.built.size > MAX_HUNTS_BUILT) this.built.delete(this.built.keys().next().value ?? '');
    return built;
  }
}

/** The puzzles, their sequencing and hint texts of a read, parsed. */
function parsePuzzles(read: WelcomesRead): Parsed {
  const puzzles: { p: StoredPuzzle; at: number }[] = [];
  for (let i = 0, at = 0; i + 1 < read.puzzles.length; i += 2, at++)
    for (const p of readPuzzle(read.puzzles[i + 1]!)) puzzles.push({ p, at });
  puzzles.sort((a, b) => a.p.index - b.p.index);
  const positions = new Map(puzzles.map(({ p, at }) => [p.id, at]));
  const sequences = new Map<string, Sequence>();
  for (let i = 0; i + 1 < read.sequence.length; i += 2) {
    const s = parseSequence(read.sequence[i + 1]);
    if (s) sequences.set(read.sequence[i]!, s);
  }
  const order = read.puzzles.filter((_, i) => i % 2 === 0);
  return { order, puzzles, positions, sequences, hints: hintTexts(read.hints) };
}

/** Whether `pairs` ([id, JSON, ...]) holds the ids of `order`, in that order. */
function inOrder(order: string[], pairs: string[]): boolean {
  if (pairs.length !== order.length * 2) return false;
  for (let i = 0; i < order.length; i++) if (pairs[i * 2] !== order[i]) return false;
  return true;
}

/** The first moment after `now` when a puzzle opens or closes by time (Infinity: none, or not launched). */
function nextTimedChange(sequences: Map<string, Sequence>, launchedAt: number | null, now: number): number {
  let next = Infinity;
  if (launchedAt === null) return next;
  for (const s of sequences.values())
    for (const offset of [s.o, s.c]) {
      if (offset === undefined) continue;
      const at = launchedAt + offset * 1000;
      if (at > now && at < next) next = at;
    }
  return next;
}

/** Hint texts by puzzle from [id, JSON, ...]; a list that cannot be read counts as none. */
function hintTexts(flat: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i + 1 < flat.length; i += 2) {
    try {
      const list: unknown = JSON.parse(flat[i + 1]!);
      if (Array.isArray(list) && list.every((t) => typeof t === 'string')) out.set(flat[i]!, list);
    } catch {
      continue;
    }
  }
  return out;
}
