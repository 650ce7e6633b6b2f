import type { PuzzleType } from '../protocol/index.js';
import { anagramKind } from './anagram.js';
import { cipherKind } from './cipher.js';
import type { PuzzleKind } from './kind.js';
import { mazeKind } from './maze.js';
import { nonogramKind } from './nonogram.js';
import { slidingKind } from './sliding.js';
import { sudokuKind } from './sudoku.js';

const KINDS: Partial<Record<PuzzleType, PuzzleKind>> = {
  sudoku: sudokuKind as PuzzleKind,
  nonogram: nonogramKind as PuzzleKind,
  maze: mazeKind as PuzzleKind,
  cipher: cipherKind as PuzzleKind,
  anagram: anagramKind as PuzzleKind,
  sliding: slidingKind as PuzzleKind,
};

/** The kinds the engine can generate today. */
export function availableTypes(): PuzzleType[] {
  return Object.keys(KINDS) as PuzzleType[];
}

export function kindOf(type: PuzzleType): PuzzleKind | undefined {
  return KINDS[type];
}

/** Whether an answer to this type is cheap enough to check where it is applied (see `PuzzleKind.cheapToVerify`). */
export function cheapToVerify(type: PuzzleType): boolean {
  return KINDS[type]?.cheapToVerify ?? false;
}
