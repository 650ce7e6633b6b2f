/**
 * Sliding puzzles: the 8-puzzle (easy, medium) and the 15-puzzle (hard). A seeded random
 * walk of the blank scrambles the solved board; IDA* with the Manhattan distance finds the
 * optimal solution, whose length is the difficulty measure (bands 6–10, 14–20, 16–24 moves).
 * Any move sequence of the blank that solves the board is accepted.
 */
import type { Difficulty } from '../protocol/index.js';
import type { PuzzleKind } from './kind.js';

export interface SlidingPrompt {
  size: number;
  /** row-major, 0 for the blank; solved is 1..n²-1 then 0 */
  tiles: number[];
}
export interface SlidingSolution {
  size: number;
  tiles: number[];
}

type Dir = 'U' | 'D' | 'L' | 'R';
const DIRS: Dir[] = ['U', 'D', 'L', 'R'];
const UNDO: Record<Dir, Dir> = { U: 'D', D: 'U', L: 'R', R: 'L' };

function target(blank: number, d: Dir, size: number): number {
  const r = Math.floor(blank / size);
  const c = blank % size;
  if (d === 'U') return r > 0 ? blank - size : -1;
  if (d === 'D') return r < size - 1 ? blank + size : -1;
  if (d === 'L') return c > 0 ? blank - 1 : -1;
  return c < size - 1 ? blank + 1 : -1;
}

/** Plays moves of the blank; the board reached, or null on a move off the board. */
export function play(tiles: readonly number[], size: number, moves: string): number[] | null {
  const board = tiles.slice();
  let blank = board.indexOf(0);
  for (const ch of moves) {
    const dir = DIRS.find((d) => d === ch);
    if (!dir) return null;
    const to = target(blank, dir, size);
    if (to < 0) return null;
    board[blank] = board[to]!;
    board[to] = 0;
    blank = to;
  }
  return board;
}

export function isSolved(tiles: readonly number[]): boolean {
  for (let i = 0; i < tiles.length - 1; i++) if (tiles[i] !== i + 1) return false;
  return tiles[tiles.length - 1] === 0;
}

function manhattan(tiles: readonly number[], size: number): number {
  let h = 0;
  for (let i = 0; i < tiles.length; i++) {
    const t = tiles[i]!;
    if (t === 0) continue;
    h += Math.abs(Math.floor(i / size) - Math.floor((t - 1) / size)) + Math.abs((i % size) - ((t - 1) % size));
  }
  return h;
}

/** An optimal solution by IDA*; throws past `maxNodes` (a time budget for rare slow cases). */
export function solveSliding(tiles: readonly number[], size: number, maxNodes = 3_000_000): string {
  const board = tiles.slice();
  let blank = board.indexOf(0);
  const path: Dir[] = [];
  let nodes = 0;
  let bound = manhattan(board, size);
  const FOUND = -1;
  const search = (g: number, h: number, last: Dir | undefined): number => {
    const f = g + h;
    if (f > bound) return f;
    if (h === 0) return FOUND;
    if (++nodes > maxNodes) throw new Error(`sliding search passed ${maxNodes} nodes`);
    let min = Infinity;
    for (const d of DIRS) {
      if (last && UNDO[last] === d) continue;
      const to = target(blank, d, size);
      if (to < 0) continue;
      const tile = board[to]!;
      // the tile moves from `to` into `blank`: update h incrementally
      const goalR = Math.floor((tile - 1) / size);
      const goalC = (tile - 1) % size;
      const before = Math.abs(Math.floor(to / size) - goalR) + Math.abs((to % size) - goalC);
      const after = Math.abs(Math.floor(blank / size) - goalR) + Math.abs((blank % size) - goalC);
      const from = blank;
      board[from] = tile;
      board[to] = 0;
      blank = to;
      path.push(d);
      const t = search(g + 1, h - before + after, d);
      if (t === FOUND) return FOUND;
      path.pop();
      board[to] = tile;
      board[from] = 0;
      blank = from;
      if (t < min) min = t;
    }
    return min;
  };
  for (;;) {
    const t = search(0, manhattan(board, size), undefined);
    if (t === FOUND) return path.join('');
    if (t === Infinity) throw new Error('sliding puzzle has no solution');
    bound = t;
  }
}

const SETUP: Record<Difficulty, { size: number; min: number; max: number }> = {
  easy: { size: 3, min: 6, max: 10 },
  medium: { size: 3, min: 14, max: 20 },
  hard: { size: 4, min: 16, max: 24 },
};

export const slidingKind: PuzzleKind<SlidingPrompt, SlidingSolution> = {
  type: 'sliding',
  generate(rng, difficulty) {
    const { size, min, max } = SETUP[difficulty];
    const solved = [...Array.from({ length: size * size - 1 }, (_, i) => i + 1), 0];
    for (let attempt = 0; attempt < 200; attempt++) {
      let walk = '';
      let last: Dir | undefined;
      const steps = rng.int(min, max + 8);
      for (let i = 0; i < steps; i++) {
        const blank = (play(solved, size, walk) ?? solved).indexOf(0);
        const options = DIRS.filter((d) => target(blank, d, size) >= 0 && (!last || UNDO[last] !== d));
        last = rng.pick(options);
        walk += last;
      }
      const tiles = play(solved, size, walk)!;
      let answer: string;
      try {
        answer = solveSliding(tiles, size, 250_000);
      } catch {
        continue; // over budget: draw another
      }
      if (answer.length < min || answer.length > max) continue;
      return {
        prompt: { size, tiles },
        answer,
        solution: { size, tiles },
        hints: [
          'Letters name where the blank goes: U, D, L, R. Solve the top row first, then the left column.',
          `It can be done in ${answer.length} moves.`,
          `The first moves are ${answer.slice(0, Math.ceil(answer.length / 3))}.`,
        ],
        measure: answer.length,
      };
    }
    throw new Error(`no ${difficulty} sliding puzzle in its band after 200 scrambles`);
  },
  cheapToVerify: true, // one walk along the submitted moves
  verify(submitted, stored) {
    const end = play(stored.solution.tiles, stored.solution.size, submitted.replace(/\s/g, '').toUpperCase());
    return end !== null && isSolved(end);
  },
};
