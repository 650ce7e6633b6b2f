// constants only (no zod): the generator threads load this registry and should start fast
import { isAuthoredType, PUZZLE_TYPES, type AnyPuzzleType, type PuzzleType } from '../protocol/constants.js';
import { verifyAuthored } from './authored.js';
import { anagramKind } from './anagram.js';
import { cipherKind } from './cipher.js';
import type { PuzzleKind } from './kind.js';
import { mazeKind } from './maze.js';
import { nonogramKind } from './nonogram.js';
import { slidingKind } from './sliding.js';
import { sudokuKind } from './sudoku.js';

const KINDS: Partial<Record<PuzzleType, PuzzleKind>> = {
  sudoku: sudokuKind,
  nonogram: nonogramKind,
  maze: mazeKind,
  cipher: cipherKind,
  anagram: anagramKind,
  sliding: slidingKind,
};

/** The kinds the engine can generate today. */
export function availableTypes(): PuzzleType[] {
  return PUZZLE_TYPES.filter((type) => KINDS[type] !== undefined);
}

export function kindOf(type: AnyPuzzleType): PuzzleKind | undefined {
  return isAuthoredType(type) ? undefined : KINDS[type];
}

/** How an answer to a puzzle of this type is checked against what the hunt stored. */
export function verifierOf(
  type: AnyPuzzleType,
): ((submitted: string, stored: { answer: string; solution: unknown }) => boolean) | undefined {
  if (isAuthoredType(type)) return (submitted, stored) => verifyAuthored(submitted, stored.solution);
  const kind = KINDS[type];
  return kind ? (submitted, stored) => kind.verify(submitted, stored) : undefined;
}

/**
 * Whether an answer to this type is cheap enough to check where it is applied (see
 * `PuzzleKind.cheapToVerify`): every authored type is (a comparison with what was written).
 */
export function cheapToVerify(type: AnyPuzzleType): boolean {
  return isAuthoredType(type) || (KINDS[type]?.cheapToVerify ?? false);
}
