import type { FanoutConfig, LimitsConfig, ScoringConfig } from '../config/index.js';
import { MESSAGE_LOG_MAX } from './keys.js';

/** Scoring and fan-out parameters, passed to the hunt scripts as JSON (the configs in force). */
export interface ScriptParams {
  points: { easy: number; medium: number; hard: number };
  /** what a hint costs, by difficulty: the one place this is computed */
  hintCost: { easy: number; medium: number; hard: number };
  decayPerMinute: number;
  decayFloor: number;
  firstSolverBonus: number[];
  wrongAnswerPenalty: number;
  wrongAnswerCooldownMs: number;
  answersPerMinutePerPuzzle: number;
  topN: number;
  tickMs: number;
  logLength: number;
  /** board entries past which deltas carry only the top N for clients */
  fullBoardMax: number;
  /** how long an answer's or hint's reply is kept for a repeated request id: at least this, at most twice */
  replyWindowMs: number;
  /** entries a hunt's message log keeps (help requests and game masters' messages) */
  messageLogMax: number;
  /** an authored puzzle's hint costs this fraction of its points */
  hintPenaltyFraction: number;
  /** judged submissions a hunt keeps (pending and reviewed); past it new ones are refused */
  maxSubmissions: number;
}

/** A reply is given again to a repeated request id for 10 to 20 minutes (then its hash expires). */
export const REPLY_WINDOW_MS = 10 * 60_000;
/** The most judged submissions (free text and photos, any status) one hunt keeps. */
export const MAX_SUBMISSIONS = 20_000;

/** The parameters the hunt scripts need, from the configs in force. */
export function scriptParams(scoring: ScoringConfig, limits: LimitsConfig, fanout: FanoutConfig): ScriptParams {
  return {
    points: scoring.points,
    hintCost: {
      easy: Math.floor(scoring.points.easy * scoring.hintPenaltyFraction),
      medium: Math.floor(scoring.points.medium * scoring.hintPenaltyFraction),
      hard: Math.floor(scoring.points.hard * scoring.hintPenaltyFraction),
    },
    decayPerMinute: scoring.decay.perMinute,
    decayFloor: scoring.decay.floor,
    firstSolverBonus: [...scoring.firstSolverBonus],
    wrongAnswerPenalty: scoring.wrongAnswerPenalty,
    wrongAnswerCooldownMs: scoring.wrongAnswerCooldownMs,
    answersPerMinutePerPuzzle: limits.answersPerMinutePerPuzzle,
    topN: fanout.topN,
    tickMs: fanout.tickMs,
    logLength: fanout.logLength,
    fullBoardMax: fanout.fullBoardMax,
    replyWindowMs: REPLY_WINDOW_MS,
    messageLogMax: MESSAGE_LOG_MAX,
    hintPenaltyFraction: scoring.hintPenaltyFraction,
    maxSubmissions: MAX_SUBMISSIONS,
  };
}
