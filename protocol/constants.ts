/** The contract's fixed names, without zod, so the browser pages can import them cheaply. */
export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export const PUZZLE_TYPES = ['sudoku', 'nonogram', 'maze', 'cipher', 'anagram', 'sliding'] as const;
export type PuzzleType = (typeof PUZZLE_TYPES)[number];

/** Types a game master writes (v1.2): no generator, no difficulty of their own. */
export const AUTHORED_TYPES = ['text', 'choice', 'code', 'checkin', 'free', 'photo'] as const;
export type AuthoredType = (typeof AUTHORED_TYPES)[number];
/** Every type a hunt's puzzle may have: generated or authored. */
export type AnyPuzzleType = PuzzleType | AuthoredType;
export const ALL_PUZZLE_TYPES: readonly AnyPuzzleType[] = [...PUZZLE_TYPES, ...AUTHORED_TYPES];
/** Authored types a game master judges (a review queue) rather than the engine. */
export const JUDGED_TYPES: readonly AuthoredType[] = ['free', 'photo'];

export function isAuthoredType(type: string): type is AuthoredType {
  return AUTHORED_TYPES.some((t) => t === type);
}

export const HUNT_STATUSES = ['generating', 'ready', 'live', 'paused', 'ended', 'failed'] as const;
export type HuntStatus = (typeof HUNT_STATUSES)[number];
