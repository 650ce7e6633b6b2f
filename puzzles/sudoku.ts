/**
 * Sudoku. A full grid is drawn with a seeded backtracking fill; cells are then cleared in a
 * seeded order, each kept cleared only while the solution count (searched up to two) stays
 * one. Difficulty: blanks aimed at 40 / 48 / 54, and whether naked and hidden singles alone
 * solve it (easy must, hard must not where the grid allows). Measure: blanks + 20 when
 * singles are not enough.
 */
import type { Difficulty } from '../protocol/index.js';
import type { PuzzleKind } from './kind.js';
import type { Rng } from './prng.js';

export interface SudokuPrompt {
  grid: number[][];
}
export interface SudokuSolution {
  grid: number[][];
}

const ALL = 0x3fe; // bits 1..9

function bitCount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}

const BOX = Array.from({ length: 81 }, (_, i) => Math.floor(Math.floor(i / 9) / 3) * 3 + Math.floor((i % 9) / 3));

/** Counts solutions up to `limit` with bitmasks and most-constrained-cell first; fills `out` with the first. */
export function countSolutions(cells: number[], limit = 2, out?: number[]): number {
  const grid = cells.slice();
  const rows = new Array<number>(9).fill(0);
  const cols = new Array<number>(9).fill(0);
  const boxes = new Array<number>(9).fill(0);
  for (let i = 0; i < 81; i++) {
    const v = grid[i]!;
    if (!v) continue;
    const bit = 1 << v;
    const r = Math.floor(i / 9);
    const c = i % 9;
    const b = BOX[i]!;
    if ((rows[r]! | cols[c]! | boxes[b]!) & bit) return 0;
    rows[r]! |= bit;
    cols[c]! |= bit;
    boxes[b]! |= bit;
  }
  let found = 0;
  const search = (): void => {
    let best = -1;
    let bestMask = 0;
    let bestCount = 10;
    for (let i = 0; i < 81; i++) {
      if (grid[i]) continue;
      const mask = ALL & ~(rows[Math.floor(i / 9)]! | cols[i % 9]! | boxes[BOX[i]!]!);
      const n = bitCount(mask);
      if (n < bestCount) {
        best = i;
        bestMask = mask;
        bestCount = n;
        if (n <= 1) break;
      }
    }
    if (best < 0) {
      if (found === 0 && out) out.splice(0, 81, ...grid);
      found++;
      return;
    }
    const r = Math.floor(best / 9);
    const c = best % 9;
    const b = BOX[best]!;
    for (let v = 1; v <= 9 && found < limit; v++) {
      const bit = 1 << v;
      if (!(bestMask & bit)) continue;
      grid[best] = v;
      rows[r]! |= bit;
      cols[c]! |= bit;
      boxes[b]! |= bit;
      search();
      rows[r]! &= ~bit;
      cols[c]! &= ~bit;
      boxes[b]! &= ~bit;
      grid[best] = 0;
    }
  };
  search();
  return found;
}

/** True when naked and hidden singles alone fill the grid. */
export function solvableBySingles(cells: number[]): boolean {
  const grid = cells.slice();
  const units: number[][] = [];
  for (let k = 0; k < 9; k++) {
    units.push(Array.from({ length: 9 }, (_, j) => k * 9 + j));
    units.push(Array.from({ length: 9 }, (_, j) => j * 9 + k));
    units.push(Array.from({ length: 81 }, (_, i) => i).filter((i) => BOX[i] === k));
  }
  const candidates = (i: number): number => {
    let used = 0;
    const r = Math.floor(i / 9);
    const c = i % 9;
    for (let j = 0; j < 9; j++) used |= (1 << grid[r * 9 + j]!) | (1 << grid[j * 9 + c]!);
    for (let j = 0; j < 81; j++) if (BOX[j] === BOX[i]) used |= 1 << grid[j]!;
    return ALL & ~used;
  };
  for (let progress = true; progress;) {
    progress = false;
    for (let i = 0; i < 81; i++) {
      if (grid[i]) continue;
      const m = candidates(i);
      if (m === 0) return false;
      if (bitCount(m) === 1) {
        grid[i] = Math.log2(m);
        progress = true;
      }
    }
    for (const unit of units) {
      for (let v = 1; v <= 9; v++) {
        if (unit.some((i) => grid[i] === v)) continue;
        const spots = unit.filter((i) => !grid[i] && candidates(i) & (1 << v));
        if (spots.length === 1) {
          grid[spots[0]!] = v;
          progress = true;
        }
      }
    }
  }
  return grid.every((v) => v > 0);
}

function fullGrid(rng: Rng): number[] {
  const grid = new Array<number>(81).fill(0);
  const fill = (i: number): boolean => {
    if (i === 81) return true;
    const r = Math.floor(i / 9);
    const c = i % 9;
    for (const v of rng.shuffle([1, 2, 3, 4, 5, 6, 7, 8, 9])) {
      let ok = true;
      for (let j = 0; j < 9 && ok; j++) if (grid[r * 9 + j] === v || grid[j * 9 + c] === v) ok = false;
      for (let j = 0; j < 81 && ok; j++) if (BOX[j] === BOX[i] && grid[j] === v) ok = false;
      if (!ok) continue;
      grid[i] = v;
      if (fill(i + 1)) return true;
      grid[i] = 0;
    }
    return false;
  };
  fill(0);
  return grid;
}

const TARGET_BLANKS: Record<Difficulty, number> = { easy: 40, medium: 48, hard: 54 };

function toRows(cells: number[]): number[][] {
  return Array.from({ length: 9 }, (_, r) => cells.slice(r * 9, r * 9 + 9));
}

export function sudokuMeasure(cells: number[]): number {
  const blanks = cells.filter((v) => v === 0).length;
  return blanks + (solvableBySingles(cells) ? 0 : 20);
}

export const sudokuKind: PuzzleKind<SudokuPrompt, SudokuSolution> = {
  type: 'sudoku',
  generate(rng, difficulty) {
    const solution = fullGrid(rng);
    const puzzle = solution.slice();
    const target = TARGET_BLANKS[difficulty];
    let blanks = 0;
    for (const i of rng.shuffle(Array.from({ length: 81 }, (_, k) => k))) {
      if (blanks >= target) break;
      const keep = puzzle[i]!;
      puzzle[i] = 0;
      const unique = countSolutions(puzzle, 2) === 1;
      const singlesOk = difficulty !== 'easy' || solvableBySingles(puzzle);
      if (unique && singlesOk) blanks++;
      else puzzle[i] = keep;
    }
    const answer = solution.join('');
    const hintCells = rng.shuffle(Array.from({ length: 81 }, (_, k) => k).filter((k) => puzzle[k] === 0)).slice(0, 3);
    return {
      prompt: { grid: toRows(puzzle) },
      answer,
      solution: { grid: toRows(solution) },
      hints: hintCells.map((k) => `Row ${Math.floor(k / 9) + 1}, column ${(k % 9) + 1} holds ${solution[k]}.`),
      measure: sudokuMeasure(puzzle),
    };
  },
  cheapToVerify: true, // a comparison
  verify(submitted, stored) {
    return submitted.replace(/\s/g, '') === stored.answer;
  },
};
