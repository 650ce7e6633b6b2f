/**
 * Nonograms. A seeded random picture gives the clues; the solver (line logic, then search
 * with line logic at every step, counting solutions up to two) must find exactly one
 * picture, else another picture is drawn. Difficulty: 5×5 and 8×8 that line logic alone
 * solves, 10×10 that may need search. Measure: cells + 50 when line logic is not enough.
 */
import type { Difficulty } from '../protocol/index.js';
import type { PuzzleKind } from './kind.js';

export interface NonogramPrompt {
  width: number;
  height: number;
  rows: number[][];
  cols: number[][];
}
export type NonogramSolution = Record<string, never>;

/** 1 filled, 0 empty, -1 unknown */
type Cell = 1 | 0 | -1;

export function cluesOf(line: readonly number[]): number[] {
  const out: number[] = [];
  let run = 0;
  for (const v of line) {
    if (v === 1) run++;
    else if (run) {
      out.push(run);
      run = 0;
    }
  }
  if (run) out.push(run);
  return out;
}

/** Every filling of a line with these clues that agrees with what is known; null if none. */
function settleLine(clues: readonly number[], known: readonly Cell[]): Cell[] | null {
  const n = known.length;
  let result: Cell[] | null = null;
  const current = new Array<Cell>(n).fill(0);
  let budget = 200_000;
  const place = (k: number, from: number): void => {
    if (--budget < 0) throw new Error('nonogram line search over budget');
    if (k === clues.length) {
      for (let i = from; i < n; i++) if (known[i] === 1) return;
      if (!result) result = current.slice();
      else for (let i = 0; i < n; i++) if (result[i] !== current[i]) result[i] = -1;
      return;
    }
    const len = clues[k]!;
    const rest = clues.slice(k + 1).reduce((a, b) => a + b + 1, 0);
    for (let start = from; start + len + rest <= n; start++) {
      if (known[start - 1] === 1 && start - 1 >= from) break; // a filled cell before would be left uncovered
      let ok = true;
      for (let i = start; i < start + len; i++) if (known[i] === 0) ok = false;
      if (start + len < n && known[start + len] === 1) ok = false;
      for (let i = from; i < start; i++) if (known[i] === 1) ok = false;
      if (!ok) continue;
      for (let i = from; i < start; i++) current[i] = 0;
      for (let i = start; i < start + len; i++) current[i] = 1;
      if (start + len < n) current[start + len] = 0;
      place(k + 1, Math.min(n, start + len + 1));
    }
  };
  place(0, 0);
  return result;
}

/** Applies line logic until nothing changes; false on a contradiction. */
function propagate(grid: Cell[][], rows: number[][], cols: number[][]): boolean {
  const h = rows.length;
  const w = cols.length;
  for (let changed = true; changed;) {
    changed = false;
    for (let r = 0; r < h; r++) {
      const settled = settleLine(rows[r]!, grid[r]!);
      if (!settled) return false;
      for (let c = 0; c < w; c++)
        if (grid[r]![c] === -1 && settled[c] !== -1) {
          grid[r]![c] = settled[c]!;
          changed = true;
        }
    }
    for (let c = 0; c < w; c++) {
      const settled = settleLine(
        cols[c]!,
        grid.map((row) => row[c]!),
      );
      if (!settled) return false;
      for (let r = 0; r < h; r++)
        if (grid[r]![c] === -1 && settled[r] !== -1) {
          grid[r]![c] = settled[r]!;
          changed = true;
        }
    }
  }
  return true;
}

/** Solutions up to `limit`, and whether line logic alone was enough. */
export function solveNonogram(
  rows: number[][],
  cols: number[][],
  limit = 2,
): { count: number; lineSolvable: boolean; first?: number[][] } {
  const start: Cell[][] = rows.map(() => new Array<Cell>(cols.length).fill(-1));
  if (!propagate(start, rows, cols)) return { count: 0, lineSolvable: false };
  const lineSolvable = start.every((row) => row.every((v) => v !== -1));
  let count = 0;
  let first: number[][] | undefined;
  const search = (grid: Cell[][]): void => {
    if (count >= limit) return;
    let at: [number, number] | undefined;
    for (let r = 0; r < grid.length && !at; r++)
      for (let c = 0; c < cols.length; c++)
        if (grid[r]![c] === -1) {
          at = [r, c];
          break;
        }
    if (!at) {
      count++;
      first ??= grid.map((row) => row.map((v) => (v === 1 ? 1 : 0)));
      return;
    }
    for (const v of [1, 0] as const) {
      const next = grid.map((row) => row.slice());
      next[at[0]]![at[1]] = v;
      if (propagate(next, rows, cols)) search(next);
    }
  };
  search(start);
  return first ? { count, lineSolvable, first } : { count, lineSolvable };
}

const SIZE: Record<Difficulty, number> = { easy: 5, medium: 8, hard: 10 };

export function gridAnswer(grid: number[][]): string {
  return grid.map((row) => row.map((v) => (v ? '#' : '.')).join('')).join('/');
}

export const nonogramKind: PuzzleKind<NonogramPrompt, NonogramSolution> = {
  type: 'nonogram',
  generate(rng, difficulty) {
    const n = SIZE[difficulty];
    for (let attempt = 0; attempt < 500; attempt++) {
      const density = 0.5 + rng.next() * 0.15;
      const picture = Array.from({ length: n }, () => Array.from({ length: n }, () => (rng.next() < density ? 1 : 0)));
      const rows = picture.map(cluesOf);
      const cols = Array.from({ length: n }, (_, c) => cluesOf(picture.map((row) => row[c]!)));
      if (rows.some((r) => r.length === 0) || cols.some((c) => c.length === 0)) continue;
      const solved = solveNonogram(rows, cols, 2);
      if (solved.count !== 1) continue;
      if (difficulty !== 'hard' && !solved.lineSolvable) continue;
      const firstRow = picture[0]!;
      return {
        prompt: { width: n, height: n, rows, cols },
        answer: gridAnswer(picture),
        solution: {},
        hints: [
          'Start with the longest clues: a block longer than half the line always covers its middle cells.',
          `Row 1 is "${firstRow.map((v) => (v ? '#' : '.')).join('')}" (# filled, . empty).`,
          `Column 1, top to bottom, is "${picture.map((row) => (row[0] ? '#' : '.')).join('')}".`,
        ],
        measure: n * n + (solved.lineSolvable ? 0 : 50),
      };
    }
    throw new Error(`no unique ${difficulty} nonogram found in 500 pictures`);
  },
  cheapToVerify: true, // a comparison
  verify(submitted, stored) {
    return submitted.replace(/\s/g, '') === stored.answer;
  },
};
