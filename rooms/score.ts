/**
 * The board's exact score encoding, shared with `lua/includes/score.lua`: the sorted-set value
 * is `score * 2^32 + (2^32 - 1 - tick)`, where `tick` rises by one per score change in the
 * hunt. Scores stay exact integers (|score| < 2^20, so the value stays below 2^53), and of
 * equal scores the one reached first ranks higher.
 */
export const SCORE_SCALE = 2 ** 32;
/** Scores are kept within ±MAX_SCORE so the encoding stays exact. */
export const MAX_SCORE = 2 ** 20 - 1;

/** The score part of a board value. */
export function decodeScore(z: string | number): number {
  return Math.floor(Number(z) / SCORE_SCALE);
}
