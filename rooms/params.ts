import type { Fanout, Limits, Scoring } from '../config/index.js';
import type { ScriptParams } from './scripts.js';

/** The parameters the hunt scripts need, from the configs in force. */
export function scriptParams(scoring: Scoring, limits: Limits, fanout: Fanout): ScriptParams {
  return {
    points: scoring.points,
    hintPenaltyFraction: scoring.hintPenaltyFraction,
    decayPerMinute: scoring.decay.perMinute,
    decayFloor: scoring.decay.floor,
    firstSolverBonus: [...scoring.firstSolverBonus],
    wrongAnswerPenalty: scoring.wrongAnswerPenalty,
    wrongAnswerCooldownMs: scoring.wrongAnswerCooldownMs,
    answersPerMinutePerPuzzle: limits.answersPerMinutePerPuzzle,
    topN: fanout.topN,
    tickMs: fanout.tickMs,
    logLength: fanout.logLength,
  };
}
