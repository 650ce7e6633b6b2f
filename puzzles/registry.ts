import type { PuzzleType } from '../client/protocol.js';
import { cipherKind } from './cipher.js';
import type { PuzzleKind } from './kind.js';

const KINDS: Partial<Record<PuzzleType, PuzzleKind>> = {
  cipher: cipherKind as PuzzleKind,
};

/** The kinds the engine can generate today. */
export function availableTypes(): PuzzleType[] {
  return Object.keys(KINDS) as PuzzleType[];
}

export function kindOf(type: PuzzleType): PuzzleKind | undefined {
  return KINDS[type];
}
