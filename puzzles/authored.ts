/**
 * Authored puzzles as the hunt keeps them: the public part players see (built from the title,
 * prompt, options and location only, so no answer, code or right index can reach a player),
 * the solution the verifier reads, and how a submitted answer is checked. Text, choice and
 * code answers are as cheap to check as reading them: the shard checks them itself.
 */
import type { AnyPuzzleType, AuthoredPuzzle, Difficulty, PuzzleLocation, PuzzleType } from '../protocol/index.js';
// the normaliser alone (no zod): the generator threads load this file through the registry
import { normalizeAnswer } from '../protocol/normalize.js';

/** What the verifier reads of an authored puzzle. */
export type AuthoredSolution =
  /** accepted answers, already normalised */
  | { answers: string[] }
  | { index: number }
  /** upper case */
  | { code: string }
  /** checked by a move (checkin) or by a game master (free, photo): no answer is ever correct by itself */
  | { judged: true };

/** A puzzle's public record as the hunt stores it (the field `index` orders the list). */
export interface PublicRecord {
  id: string;
  index: number;
  type: AnyPuzzleType;
  difficulty: Difficulty;
  points: number;
  title: string;
  prompt: unknown;
  location?: PuzzleLocation;
}

export interface AuthoredParts {
  puzzle: PublicRecord;
  /** the answer key's entry: exactly what a player submits */
  answer: string;
  solution: AuthoredSolution;
  hints: string[];
}

/** The stored parts of an authored puzzle. */
export function authoredParts(p: AuthoredPuzzle, id: string, index: number): AuthoredParts {
  const prompt = p.type === 'choice' ? { text: p.prompt, options: [...p.options] } : { text: p.prompt };
  const puzzle: PublicRecord = {
    id,
    index,
    type: p.type,
    difficulty: 'medium',
    points: p.points,
    title: p.title,
    prompt,
    ...(p.location ? { location: { ...p.location } } : {}),
  };
  const hints = [...(p.hints ?? [])];
  switch (p.type) {
    case 'text':
      return { puzzle, answer: p.answers[0] ?? '', solution: { answers: p.answers.map(normalizeAnswer) }, hints };
    case 'choice':
      return { puzzle, answer: String(p.answer), solution: { index: p.answer }, hints };
    case 'code':
      return { puzzle, answer: p.code, solution: { code: p.code.toUpperCase() }, hints };
    default:
      return { puzzle, answer: '', solution: { judged: true }, hints };
  }
}

const TYPE_NAMES: Record<PuzzleType, string> = {
  sudoku: 'Sudoku',
  nonogram: 'Nonogram',
  maze: 'Maze',
  cipher: 'Cipher',
  anagram: 'Anagram',
  sliding: 'Sliding puzzle',
};

/** The title a generated puzzle shows when its spec gives none: "3 · Cipher (hard)". */
export function generatedTitle(index: number, type: PuzzleType, difficulty: Difficulty): string {
  return `${index + 1} · ${TYPE_NAMES[type]} (${difficulty})`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Checks an answer to a `text`, `choice` or `code` puzzle; anything unreadable is simply wrong. */
export function verifyAuthored(submitted: string, solution: unknown): boolean {
  if (!isRecord(solution)) return false;
  if (Array.isArray(solution.answers)) {
    const mine = normalizeAnswer(submitted);
    return mine !== '' && solution.answers.some((a) => a === mine);
  }
  if (typeof solution.index === 'number') {
    const m = /^\s*(\d{1,3})\s*$/.exec(submitted);
    return m !== null && Number(m[1]) === solution.index;
  }
  if (typeof solution.code === 'string') return submitted.trim().toUpperCase() === solution.code;
  return false;
}
