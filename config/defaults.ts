/** The values every named config starts from; written to Redis on first start where absent. */
import type {
  FanoutConfig,
  LimitsConfig,
  RetentionConfig,
  RoutingConfig,
  ScoringConfig,
  StorageConfig,
  Template,
} from './schemas.js';

export const DEFAULT_ROUTING: RoutingConfig = {
  partitions: 8,
  batch: { maxEvents: 512, maxDelayMs: 50, urgentEveryMs: 2 },
  movesFlushMs: 500,
  movePartitions: 1,
  verifyIn: 'auto',
  ackReplicas: 0,
  ackTimeoutMs: 500,
};

export const DEFAULT_LIMITS: LimitsConfig = {
  messagesPerSecond: 200,
  burst: 1000,
  strikesBeforeClose: 50,
  answersPerMinutePerPuzzle: 10,
  maxFrameBytes: 16 * 1024,
  maxBackpressureBytes: 1024 * 1024,
  maxBodyBytes: 256 * 1024,
  idleTimeoutSeconds: 120,
  maxQueuedEvents: 50_000,
  maxBacklogEvents: 50_000,
  maxLoopLagMs: 50,
  socketsPerPlayer: 3,
  socketsPerAddress: 1000,
  joinsPerMinutePerAddress: 30,
};

export const DEFAULT_SCORING: ScoringConfig = {
  points: { easy: 100, medium: 200, hard: 300 },
  hintPenaltyFraction: 0.25,
  decay: { perMinute: 0, floor: 0.5 },
  firstSolverBonus: [],
  wrongAnswerPenalty: 0,
  wrongAnswerCooldownMs: 0,
};

export const DEFAULT_FANOUT: FanoutConfig = { tickMs: 50, topN: 20, logLength: 1000, fullBoardMax: 1000 };

export const DEFAULT_STORAGE: StorageConfig = { highWater: 0.85 };

export const DEFAULT_RETENTION: RetentionConfig = { endedHuntDays: 30 };

export const DEFAULT_TEMPLATES: Record<string, Template> = {
  starter: {
    description: 'A first hunt that shows the engine: six types, and a nonogram that unlocks at the harbour',
    puzzles: [
      { type: 'cipher', difficulty: 'easy' },
      { type: 'anagram', difficulty: 'easy' },
      { type: 'sudoku', difficulty: 'medium' },
      { type: 'maze', difficulty: 'medium' },
      { type: 'sliding', difficulty: 'easy' },
      // locked until a player's `move` comes within 250 m of this spot (Marseille's Vieux-Port)
      { type: 'nonogram', difficulty: 'easy', location: { lat: 43.2951, lng: 5.3745, radius: 250 } },
    ],
  },
  'old-town-walk': {
    description:
      "A walk through Marseille's old town: a riddle, a question, a code under a bridge, a check-in, a photo, and a final clue that opens once the others are solved",
    puzzles: [
      {
        id: 'riddle',
        type: 'text',
        title: 'The fountain riddle',
        prompt: 'At the top of the Panier a fountain asks: what has a face and two hands but no arms or legs?',
        points: 100,
        answers: ['a clock', 'clock', 'horloge'],
        hints: ['Look up at the church tower.'],
      },
      {
        id: 'harbour',
        type: 'choice',
        title: 'The old harbour',
        prompt: 'Which people founded Massalia, the city that became Marseille, around 600 BC?',
        points: 100,
        options: ['Romans', 'Phoenicians', 'Greeks from Phocaea', 'Celts'],
        answer: 2,
      },
      {
        id: 'bridge',
        type: 'code',
        title: 'Under the bridge',
        prompt:
          'A code is painted under the footbridge of the Vieille Charité. Type it, or scan the QR code beside it.',
        points: 150,
        code: 'PANIER1599',
      },
      {
        id: 'square',
        type: 'checkin',
        title: 'Place de Lenche',
        prompt: 'Walk to the Place de Lenche: you check in when you get there.',
        points: 50,
        location: { lat: 43.2977, lng: 5.3673, radius: 60 },
      },
      {
        id: 'team-photo',
        type: 'photo',
        title: 'Team photo',
        prompt: 'Take a photo of your team in front of the Major cathedral. A game master approves it.',
        points: 200,
      },
      {
        id: 'final',
        type: 'text',
        title: 'The final clue',
        prompt:
          'You have seen the riddle, the harbour, the bridge, the square and the cathedral. Name the basilica that watches over them all from its hill.',
        points: 300,
        answers: ['Notre-Dame de la Garde', 'Notre Dame de la Garde', 'la Bonne Mère', 'Bonne Mère'],
        after: ['riddle', 'harbour', 'bridge', 'square', 'team-photo'],
      },
    ],
  },
  'museum-trail': {
    description:
      'An indoor trail with timed rooms: a question and a code open at once, a cipher after ten minutes, a free answer judged by a game master, and a last question that closes after an hour',
    puzzles: [
      {
        id: 'entrance',
        type: 'choice',
        title: 'At the entrance',
        prompt: 'How many columns hold up the museum porch?',
        points: 50,
        options: ['4', '6', '8'],
        answer: 1,
      },
      {
        id: 'vault',
        type: 'code',
        title: 'The vault',
        prompt: 'The code is on the back of the brass plaque in room 2.',
        points: 100,
        code: 'VAULT2024',
      },
      { type: 'cipher', difficulty: 'easy', id: 'cipher', title: "The curator's note", opensAfterS: 600 },
      {
        id: 'story',
        type: 'free',
        title: 'Your favourite piece',
        prompt: 'In two sentences, tell us which piece you liked best and why. A game master reads it.',
        points: 100,
        after: ['entrance'],
      },
      {
        id: 'last',
        type: 'text',
        title: 'Before closing time',
        prompt: 'Which painter made the large blue canvas in the last room? (surname only)',
        points: 150,
        answers: ['Klein'],
        closesAfterS: 3600,
      },
    ],
  },
};

/** Every default as name -> value. */
export function defaultConfigs(): Record<string, unknown> {
  const out: Record<string, unknown> = {
    routing: DEFAULT_ROUTING,
    limits: DEFAULT_LIMITS,
    scoring: DEFAULT_SCORING,
    fanout: DEFAULT_FANOUT,
    storage: DEFAULT_STORAGE,
    retention: DEFAULT_RETENTION,
  };
  for (const [name, value] of Object.entries(DEFAULT_TEMPLATES)) out[`template:${name}`] = value;
  return out;
}
