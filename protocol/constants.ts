/** The contract's fixed names, without zod, so the browser pages can import them cheaply. */
export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export const PUZZLE_TYPES = ['sudoku', 'nonogram', 'maze', 'cipher', 'anagram', 'sliding'] as const;
export type PuzzleType = (typeof PUZZLE_TYPES)[number];

export const HUNT_STATUSES = ['generating', 'ready', 'live', 'paused', 'ended', 'failed'] as const;
export type HuntStatus = (typeof HUNT_STATUSES)[number];
