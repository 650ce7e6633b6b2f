import type { Difficulty, PuzzleType } from '../protocol/index.js';
import type { Rng } from './prng.js';

/** What a generator makes for one puzzle. */
export interface Made<Prompt = unknown, Solution = unknown> {
  /** shown to players; never holds the answer */
  prompt: Prompt;
  /** the answer in the exact form a player submits */
  answer: string;
  /** what the verifier needs besides the answer */
  solution: Solution;
  /** ordered from gentle to generous; none gives the whole answer */
  hints: string[];
  /** the type's own difficulty measure; rises from easy to hard */
  measure: number;
}

/** One puzzle type: how to make it and how to check a player's answer. */
export interface PuzzleKind<Prompt = unknown, Solution = unknown> {
  type: PuzzleType;
  generate(rng: Rng, difficulty: Difficulty): Made<Prompt, Solution>;
  verify(submitted: string, stored: { answer: string; solution: Solution }): boolean;
  /**
   * Checking an answer costs about what reading it does (a comparison, or a walk along the
   * submitted moves): with `routing.verifyIn: auto` the shard checks such answers itself and
   * sends only the others to the verification queue.
   */
  cheapToVerify: boolean;
}
