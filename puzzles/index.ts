export { Rng } from './prng.js';
export type { Made, PuzzleKind } from './kind.js';
export { availableTypes, cheapToVerify, kindOf } from './registry.js';
export { GENERATION_QUEUE, GenerationQueue, makePuzzle, startGenerationWorker, type GeneratedPuzzle, type GenerateJob, type GenerationWorker } from './generation.js';
export { GeneratorPool } from './generator-pool.js';
export { answerChecker, type VerifyIn } from './checker.js';
export { VERIFICATION_QUEUES, VerificationClient, startVerificationWorker, verifyBatch, type StoredSolution } from './verification.js';
export { normalizeText } from './cipher.js';
