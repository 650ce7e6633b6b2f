// vitest: redis-free (it never touches the run's Redis, so npm run test:cluster leaves it out)
/**
 * Every puzzle type over many seeds: one solution (checked by the generator's solver and,
 * for the searches, a second independent one), the verifier accepts the answer and refuses
 * single-cell or single-move changes, the prompt holds no answer, seeds are deterministic,
 * and the difficulty measure rises from easy to hard.
 */
import { describe, expect, it } from 'vitest';
import { DIFFICULTIES, PUZZLE_TYPES, type Difficulty, type PuzzleType } from '../protocol/index.js';
import { wordsFrom } from '../puzzles/anagram.js';
import type { Made } from '../puzzles/kind.js';
import { shortestPaths, type MazeSolution } from '../puzzles/maze.js';
import { cluesOf, solveNonogram, type NonogramPrompt } from '../puzzles/nonogram.js';
import { Rng } from '../puzzles/prng.js';
import { kindOf } from '../puzzles/registry.js';
import { isSolved, play, type SlidingPrompt } from '../puzzles/sliding.js';
import { countSolutions, type SudokuPrompt } from '../puzzles/sudoku.js';

const SEEDS = Array.from({ length: 12 }, (_, i) => `prop-${i}`);
const made = (type: PuzzleType, d: Difficulty, seed: string): Made =>
  kindOf(type)!.generate(new Rng(`${type}/${seed}`), d);
const ok = (type: PuzzleType, m: Made, answer: string): boolean =>
  kindOf(type)!.verify(answer, { answer: m.answer, solution: m.solution });

/** Independent sudoku count: plain backtracking in cell order, no bitmasks. */
function naiveSudokuCount(cells: number[], limit = 2): number {
  const g = cells.slice();
  let found = 0;
  const fits = (i: number, v: number): boolean => {
    const r = Math.floor(i / 9);
    const c = i % 9;
    for (let k = 0; k < 9; k++) if (g[r * 9 + k] === v || g[k * 9 + c] === v) return false;
    const br = r - (r % 3);
    const bc = c - (c % 3);
    for (let y = br; y < br + 3; y++) for (let x = bc; x < bc + 3; x++) if (g[y * 9 + x] === v) return false;
    return true;
  };
  const go = (i: number): void => {
    if (found >= limit) return;
    if (i === 81) return void found++;
    if (g[i]) return go(i + 1);
    for (let v = 1; v <= 9; v++)
      if (fits(i, v)) {
        g[i] = v;
        go(i + 1);
        g[i] = 0;
      }
  };
  go(0);
  return found;
}

/** Independent nonogram count: every row filling that fits its clue, rows tried top to bottom, columns checked at the end. */
function rowWiseNonogramCount(p: NonogramPrompt, limit = 2): number {
  const fillings = (clue: number[], n: number): number[][] => {
    const out: number[][] = [];
    for (let mask = 0; mask < 1 << n; mask++) {
      const row = Array.from({ length: n }, (_, i) => (mask >> i) & 1);
      if (JSON.stringify(cluesOf(row)) === JSON.stringify(clue)) out.push(row);
    }
    return out;
  };
  const options = p.rows.map((r) => fillings(r, p.width));
  const grid: number[][] = [];
  let found = 0;
  const go = (r: number): void => {
    if (found >= limit) return;
    if (r === p.height) {
      if (p.cols.every((clue, c) => JSON.stringify(cluesOf(grid.map((row) => row[c]!))) === JSON.stringify(clue)))
        found++;
      return;
    }
    for (const row of options[r]!) {
      grid.push(row);
      go(r + 1);
      grid.pop();
    }
  };
  go(0);
  return found;
}

/** Optimal 8-puzzle length by breadth-first search, independent of IDA*. */
function bfsLength(p: SlidingPrompt): number {
  const start = p.tiles.join(',');
  const seen = new Set([start]);
  let frontier = [p.tiles];
  for (let depth = 0; depth < 40; depth++) {
    const next: number[][] = [];
    for (const t of frontier) {
      if (isSolved(t)) return depth;
      for (const d of 'UDLR') {
        const n = play(t, p.size, d);
        if (n && !seen.has(n.join(','))) {
          seen.add(n.join(','));
          next.push(n);
        }
      }
    }
    frontier = next;
  }
  return -1;
}

/** Single changes of an answer: each position replaced by each other symbol of its alphabet. */
function mutations(type: PuzzleType, answer: string): string[] {
  const alphabet =
    type === 'sudoku'
      ? '123456789'
      : type === 'nonogram'
        ? '#.'
        : type === 'maze' || type === 'sliding'
          ? 'UDLR'
          : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const out: string[] = [];
  for (let i = 0; i < answer.length; i++) {
    if (!alphabet.includes(answer[i]!)) continue;
    for (const ch of alphabet) if (ch !== answer[i]) out.push(answer.slice(0, i) + ch + answer.slice(i + 1));
  }
  return out;
}

describe('puzzle types', () => {
  for (const type of PUZZLE_TYPES) {
    describe(type, () => {
      for (const d of DIFFICULTIES) {
        it(`${d}: one solution, the verifier accepts it and refuses every single change, no leak`, () => {
          for (const seed of SEEDS) {
            const m = made(type, d, seed);
            expect(ok(type, m, m.answer)).toBe(true);
            for (const wrong of mutations(type, m.answer))
              expect(ok(type, m, wrong), `${type} ${d} ${seed} accepted ${wrong}`).toBe(false);
            expect(ok(type, m, '')).toBe(false);
            expect(JSON.stringify(m.prompt)).not.toContain(m.answer);
            if (type === 'sudoku') {
              const cells = (m.prompt as SudokuPrompt).grid.flat();
              expect(countSolutions(cells, 2)).toBe(1);
              expect(naiveSudokuCount(cells, 2)).toBe(1);
              expect(cells.filter((v) => v === 0).length).toBeGreaterThanOrEqual(40);
            }
            if (type === 'nonogram') {
              const p = m.prompt as NonogramPrompt;
              expect(solveNonogram(p.rows, p.cols, 2).count).toBe(1);
              if (p.width <= 8) expect(rowWiseNonogramCount(p, 2)).toBe(1);
            }
            if (type === 'maze')
              expect(shortestPaths(m.solution as MazeSolution)).toEqual({ path: m.answer, count: 1 });
            if (type === 'anagram') {
              expect(wordsFrom((m.prompt as { letters: string }).letters)).toEqual([m.answer]);
              expect((m.prompt as { letters: string }).letters).not.toBe(m.answer);
            }
            if (type === 'sliding' && (m.prompt as SlidingPrompt).size === 3)
              expect(bfsLength(m.prompt as SlidingPrompt)).toBe(m.answer.length);
            for (const hint of m.hints) expect(hint.includes(m.answer)).toBe(false);
          }
        });
      }

      it('gives the same puzzle for the same seed', () => {
        for (const d of DIFFICULTIES) expect(made(type, d, 'again')).toEqual(made(type, d, 'again'));
      });

      it('has a difficulty measure that rises from easy to hard', () => {
        const mean = (d: Difficulty): number =>
          SEEDS.reduce((s, seed) => s + made(type, d, seed).measure, 0) / SEEDS.length;
        expect(mean('easy')).toBeLessThan(mean('medium'));
        expect(mean('medium')).toBeLessThan(mean('hard'));
      });
    });
  }

  it('accepts any valid way through a maze and any sequence that solves a sliding board', () => {
    const maze = made('maze', 'easy', 'detour');
    const sol = maze.solution as MazeSolution;
    // step into an open side and back, then follow the answer
    const first = maze.answer[0]!;
    const back = { U: 'D', D: 'U', L: 'R', R: 'L' }[first]!;
    expect(ok('maze', maze, first + back + maze.answer)).toBe(true);
    expect(sol.goal).toBeDefined();
    const slide = made('sliding', 'easy', 'detour');
    const m0 = slide.answer[0]!;
    const undo = { U: 'D', D: 'U', L: 'R', R: 'L' }[m0]!;
    expect(ok('sliding', slide, m0 + undo + slide.answer)).toBe(true);
  });
});
