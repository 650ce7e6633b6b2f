/**
 * The named configs and their schemas. A value is parsed with its schema on every write
 * and on every load; what fails never replaces the last good value.
 */
import { z } from 'zod';
import { huntPuzzles } from '../protocol/index.js';

/** `shards` was this field's first name; a value that still uses it is read as `partitions`. */
function renameShards(value: unknown): unknown {
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    !('shards' in value) ||
    'partitions' in value
  )
    return value;
  const { shards, ...rest } = value;
  return { ...rest, partitions: shards };
}

const routingFields = z.strictObject({
  /** stream partitions that the shard processes share; a change re-maps rooms (see docs/architecture.md, "Routing changes") */
  partitions: z.number().int().min(1).max(256),
  /** how a front node folds events into one stream entry */
  batch: z.strictObject({
    maxEvents: z.number().int().min(1).max(10_000),
    maxDelayMs: z.number().min(0).max(1000),
    /** least time between two stream entries of answers and hints from one front: each goes at once when the last went longer ago, else with the others at the end of the gap */
    urgentEveryMs: z.number().min(0).max(100).default(2),
  }),
  /**
   * how many partitions one hunt's moves (and the check-ins they make) are spread over, by
   * player, over a set of partitions placed evenly over the masters (rooms/move-partitions.ts), so several shards apply a big hunt's
   * moves; 1 keeps them all on the hunt's own partition (one flush per hunt per partition it
   * uses, so small hunts gain nothing from more). Answers, hints and every other kind stay on
   * the hunt's own partition. Capped at `partitions`; a change is a routing change (a new epoch).
   */
  movePartitions: z.number().int().min(1).max(256).default(1),
  /** how long a shard folds new moves in memory before writing them (one script per hunt); a move's position is durable within this plus Redis's fsync */
  movesFlushMs: z.number().int().min(0).max(1000).default(500),
  /**
   * where answers are checked: `auto` (in the shard for types that are cheap to check, the
   * rest as BullMQ jobs), `queue` (all as batched BullMQ jobs on worker nodes) or `shard` (all
   * in the shard that applies them, no queue round trip)
   */
  verifyIn: z.enum(['auto', 'queue', 'shard']).default('auto'),
  /**
   * Replicas that must hold a stream entry before its events are acknowledged (WAIT after the
   * XADD): 0 acknowledges once the master has it; 1 or more keeps acknowledged events through
   * a failover that promotes a replica. See docs/scaling.md, "What an acknowledgement promises".
   */
  ackReplicas: z.number().int().min(0).max(5).default(0),
  /** how long an acknowledgement waits for those replicas; past it the events are not acknowledged (they may still apply) */
  ackTimeoutMs: z.number().int().min(1).max(10_000).default(500),
});
export const routingSchema = z.preprocess(renameShards, routingFields);

export const limitsSchema = z.strictObject({
  /** sustained messages per second per player, across its sockets on a node and `POST /api/events` (token bucket refill) */
  messagesPerSecond: z.number().positive().max(1_000_000),
  /** bucket size: messages allowed in a burst above the sustained rate */
  burst: z.number().int().min(1).max(10_000_000),
  /** rate-limited messages in a row before the connection is closed with 4008 */
  strikesBeforeClose: z.number().int().min(1).max(100_000),
  /** answers per minute per puzzle per player (brute-force guard) */
  answersPerMinutePerPuzzle: z.number().int().min(1).max(100_000),
  /** largest WebSocket frame, bytes; larger closes with 1009 (at most 1 MiB: the transport cuts at 4 MiB without a close code) */
  maxFrameBytes: z
    .number()
    .int()
    .min(256)
    .max(1024 * 1024),
  /** bytes buffered for one client before it is cut off with 4009 */
  maxBackpressureBytes: z
    .number()
    .int()
    .min(16 * 1024)
    .max(256 * 1024 * 1024),
  /** largest HTTP body, bytes */
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024),
  /** seconds without a frame before a socket is closed; read when a node starts */
  idleTimeoutSeconds: z.number().int().min(8).max(3600),
  /** events a front node may hold accepted but not yet written to Redis; past it, OVERLOADED */
  maxQueuedEvents: z.number().int().min(100).max(10_000_000).default(50_000),
  /** events a front node's partitions may hold written but not yet applied by shards; past it, OVERLOADED */
  maxBacklogEvents: z.number().int().min(100).max(100_000_000).default(50_000),
  /** event-loop delay (smoothed) past which a front node refuses new events until it recovers, ms: a stall guard, not a load signal (CPU shared with other processes delays the loop too) */
  maxLoopLagMs: z.number().int().min(10).max(10_000).default(50),
  /** open sockets per player; one more closes the player's oldest with 4008 */
  socketsPerPlayer: z.number().int().min(1).max(100).default(3),
  /** open sockets per client address on one node; past it the upgrade is refused with 429 */
  socketsPerAddress: z.number().int().min(1).max(1_000_000).default(1000),
  /** joins a minute from one client address (the TCP peer, or X-Forwarded-For from HUNT_TRUSTED_PROXIES); joins with a key that may run the hunt are not counted */
  joinsPerMinutePerAddress: z.number().int().min(1).max(1_000_000).default(30),
});

export const scoringSchema = z.strictObject({
  /** base points of a first correct answer, by difficulty (read at solve time) */
  points: z.strictObject({
    easy: z.number().int().min(0).max(100_000),
    medium: z.number().int().min(0).max(100_000),
    hard: z.number().int().min(0).max(100_000),
  }),
  /** each hint costs this fraction of the puzzle's base points, rounded down */
  hintPenaltyFraction: z.number().min(0).max(1),
  /** base points shrink by this fraction per minute since launch, down to `floor` of them */
  decay: z.strictObject({ perMinute: z.number().min(0).max(1), floor: z.number().min(0).max(1) }),
  /** extra points for the first, second, ... solver of each puzzle */
  firstSolverBonus: z.array(z.number().int().min(0).max(100_000)).max(100),
  /** points taken for a wrong answer */
  wrongAnswerPenalty: z.number().int().min(0).max(100_000),
  /** after a wrong answer, further answers to that puzzle are refused for this long */
  wrongAnswerCooldownMs: z.number().int().min(0).max(3_600_000),
});

export const fanoutSchema = z.strictObject({
  /** at most one leaderboard delta per hunt per tick; 0 sends one per applied batch */
  tickMs: z.number().int().min(0).max(10_000),
  /** leaderboard entries in `welcome`; deltas also carry the top N entries whose rank moved */
  topN: z.number().int().min(1).max(1000),
  /** deltas kept per hunt for clients that come back with `since`; older means a fresh `welcome` */
  logLength: z.number().int().min(10).max(100_000),
  /** board entries past which `lb` deltas carry only the top N (and entries that left it); each player follows its own standing by `you` */
  fullBoardMax: z.number().int().min(1).max(10_000_000).default(1000),
});

export const storageSchema = z.strictObject({
  /** share of Redis's maxmemory (the fullest master's) past which new hunts, players and submissions are refused with 507 STORAGE_FULL; live play goes on */
  highWater: z.number().min(0.01).max(1).default(0.85),
});

export const retentionSchema = z.strictObject({
  /** ended hunts are deleted, with all they hold, this many days after they end (fractions allowed) */
  endedHuntDays: z.number().min(0).max(3650).default(30),
});

export const templateSchema = z.strictObject({
  description: z.string().max(500).optional(),
  /** generated specs and authored puzzles, as `POST /api/hunts` takes them */
  puzzles: huntPuzzles,
});

export type RoutingConfig = z.infer<typeof routingFields>;
export type LimitsConfig = z.infer<typeof limitsSchema>;
export type ScoringConfig = z.infer<typeof scoringSchema>;
export type FanoutConfig = z.infer<typeof fanoutSchema>;
export type Template = z.infer<typeof templateSchema>;
export type StorageConfig = z.infer<typeof storageSchema>;
export type RetentionConfig = z.infer<typeof retentionSchema>;

export const CONFIG_SCHEMAS = {
  routing: routingSchema,
  limits: limitsSchema,
  scoring: scoringSchema,
  fanout: fanoutSchema,
  storage: storageSchema,
  retention: retentionSchema,
} as const;
export type FixedConfigName = keyof typeof CONFIG_SCHEMAS;

export const TEMPLATE_PREFIX = 'template:';
const NAME = /^(routing|limits|scoring|fanout|storage|retention|template:[a-z0-9][a-z0-9-]{0,62})$/;

export function isConfigName(name: string): boolean {
  return NAME.test(name);
}

/** The schema of a config name, or undefined for a name that is not a config. */
export function schemaFor(name: string): z.ZodType | undefined {
  if (!isConfigName(name)) return undefined;
  if (name.startsWith(TEMPLATE_PREFIX)) return templateSchema;
  return Object.entries(CONFIG_SCHEMAS).find(([fixed]) => fixed === name)?.[1];
}

/** Freezes a parsed value all the way down, so no holder can change what others read. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
