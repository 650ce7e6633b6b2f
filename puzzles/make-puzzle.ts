/**
 * Making one generated puzzle from its job, deterministically from its seed. Kept apart from the
 * queue code (BullMQ, zod), so the generator threads that run it load little and start fast.
 */
import type { Difficulty, PuzzleLocation, PuzzleType } from '../protocol/index.js';
import type { GenerateJob } from './generation.js';
import { generatedTitle } from './authored.js';
import { Rng } from './prng.js';
import { kindOf } from './registry.js';

/** A finished puzzle, in the shape the hunt store keeps. */
export interface GeneratedPuzzle {
  puzzle: {
    id: string;
    index: number;
    type: PuzzleType;
    difficulty: Difficulty;
    points: number;
    title: string;
    prompt: unknown;
    location?: PuzzleLocation;
  };
  answer: string;
  solution: unknown;
  hints: string[];
}

/** Makes one puzzle, deterministically from its seed. */
export function makePuzzle(job: GenerateJob, points: Readonly<Record<Difficulty, number>>): GeneratedPuzzle {
  const kind = kindOf(job.type);
  if (!kind) throw new Error(`puzzle type ${job.type} has no generator`);
  const made = kind.generate(new Rng(job.seed), job.difficulty);
  return {
    puzzle: {
      id: job.puzzle,
      index: job.index,
      type: job.type,
      difficulty: job.difficulty,
      points: points[job.difficulty],
      title: job.title ?? generatedTitle(job.index, job.type, job.difficulty),
      prompt: made.prompt,
      ...(job.location ? { location: job.location } : {}),
    },
    answer: made.answer,
    solution: made.solution,
    hints: made.hints,
  };
}
