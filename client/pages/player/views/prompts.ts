/**
 * The generated puzzles' prompts as the views read them, each checked by a guard: a prompt that
 * does not have its type's shape fails with the puzzle named, not later on a missing field.
 */
import { isRecord } from '../../../../protocol/input.js';
import type { PublicPuzzle } from '../../../../protocol/messages.js';

type Point = { x: number; y: number };

const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');
const isGrid = (v: unknown): v is number[][] => Array.isArray(v) && v.every(isNumbers);
const isPoint = (v: unknown): v is Point => isRecord(v) && typeof v.x === 'number' && typeof v.y === 'number';

export const isSudokuPrompt = (v: unknown): v is { grid: number[][] } => isRecord(v) && isGrid(v.grid);

export const isNonogramPrompt = (
  v: unknown,
): v is { rows: number[][]; cols: number[][]; width: number; height: number } =>
  isRecord(v) && isGrid(v.rows) && isGrid(v.cols) && typeof v.width === 'number' && typeof v.height === 'number';

export interface MazePrompt {
  width: number;
  height: number;
  walls: number[][];
  start: Point;
  goal: Point;
}
export const isMazePrompt = (v: unknown): v is MazePrompt =>
  isRecord(v) &&
  typeof v.width === 'number' &&
  typeof v.height === 'number' &&
  isGrid(v.walls) &&
  isPoint(v.start) &&
  isPoint(v.goal);

export const isSlidingPrompt = (v: unknown): v is { size: number; tiles: number[] } =>
  isRecord(v) && typeof v.size === 'number' && isNumbers(v.tiles);

export const isCipherPrompt = (v: unknown): v is { method: string; ciphertext: string; keyLength?: number } =>
  isRecord(v) &&
  typeof v.method === 'string' &&
  typeof v.ciphertext === 'string' &&
  (v.keyLength === undefined || typeof v.keyLength === 'number');

export const isAnagramPrompt = (v: unknown): v is { letters: string } => isRecord(v) && typeof v.letters === 'string';

/** The puzzle's prompt, checked by `is`; an error naming the puzzle and `what` it should be otherwise. */
export function promptOf<T>(p: PublicPuzzle, is: (v: unknown) => v is T, what: string): T {
  if (!is(p.prompt)) throw new Error(`puzzle ${p.id}: its prompt is not ${what}`);
  return p.prompt;
}
