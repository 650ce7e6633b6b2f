/** Worker-thread side of the generator pool: makes puzzles off the main thread, so a slow search never starves BullMQ's lock renewal. */
import { parentPort } from 'node:worker_threads';
import type { GenerateJob } from './generation.js';
import { makePuzzle } from './make-puzzle.js';
import type { Difficulty } from '../protocol/index.js';

interface Request {
  id: number;
  job: GenerateJob;
  points: Record<Difficulty, number>;
}

parentPort?.on('message', (req: Request) => {
  try {
    parentPort?.postMessage({ id: req.id, result: makePuzzle(req.job, req.points) });
  } catch (err) {
    parentPort?.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) });
  }
});
