export { Rng } from './prng.js';
export type { Made, PuzzleKind } from './kind.js';
export { availableTypes, cheapToVerify, kindOf, verifierOf } from './registry.js';
export {
  authoredParts,
  generatedTitle,
  verifyAuthored,
  type AuthoredParts,
  type AuthoredSolution,
  type PublicRecord,
} from './authored.js';
export {
  GENERATION_QUEUE,
  GenerationQueue,
  makePuzzle,
  slotSeed,
  type GenerationSlot,
  startGenerationWorker,
  type GeneratedPuzzle,
  type GenerateJob,
  type GenerationWorker,
} from './generation.js';
export { GeneratorPool } from './generator-pool.js';
export { answerChecker, type VerifyIn } from './checker.js';
export {
  VERIFICATION_QUEUES,
  VerificationClient,
  startVerificationWorker,
  verifyBatch,
  type StoredSolution,
  type Verdict,
} from './verification.js';
export { normalizeText } from './cipher.js';
