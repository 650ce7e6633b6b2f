/**
 * What the big-hunt benchmark's orchestrator and its bot processes say to each other, one JSON
 * line at a time: orders and commands on the bot's stdin, reports on its stdout. Both sides parse
 * with these schemas, so a malformed line is an error with a path, never a silent `undefined`.
 */
import { z } from 'zod';

export const bigBotOrders = z.strictObject({
  /** one WebSocket URL per client (token included); the client connects to it */
  urls: z.array(z.string().min(1).max(4096)).max(100_000),
  /** epoch ms: every bot process starts opening its sockets then, so their span is the server's */
  openAt: z.number(),
  /** clients of this process that parse every frame (delta lateness, `you` lateness); the rest only count */
  sample: z.number().int().min(0),
  moveEveryMs: z.number().positive(),
  scoreEveryMs: z.number().positive(),
  /** the answer key, in the order a player solves: each client answers the next one each time it scores */
  /** a storm's clients reconnect with the seq seen this many seconds before the end of play */
  awayS: z.number().min(0),
  key: z.array(z.strictObject({ puzzle: z.string().min(1).max(64), answer: z.string().min(1).max(200) })).max(200),
});
export type BigBotOrders = z.infer<typeof bigBotOrders>;

export const bigBotCommand = z.discriminatedUnion('cmd', [
  /** play: moves and answers on a fixed schedule from `startAt`; counted from `startAt + warmupS` for `seconds` */
  z.strictObject({
    cmd: z.literal('play'),
    startAt: z.number(),
    warmupS: z.number().min(0),
    seconds: z.number().positive(),
  }),
  /** every other client of this process drops its socket at `at` and reconnects with `since` */
  z.strictObject({ cmd: z.literal('storm'), at: z.number(), timeoutMs: z.number().positive() }),
  z.strictObject({ cmd: z.literal('end') }),
]);
export type BigBotCommand = z.infer<typeof bigBotCommand>;

const counts = z.record(z.string(), z.number());

export const openedReport = z.strictObject({
  type: z.literal('opened'),
  opened: z.number(),
  failed: z.number(),
  /** ms from opening to each socket's first frame */
  connectMs: z.array(z.number()),
  /** bytes of the sockets' first frames (the welcome, or the no-op's greeting), summed */
  firstBytes: z.number(),
  /** epoch ms: when this process began opening, and when its last socket had its first frame */
  from: z.number(),
  to: z.number(),
});

export const playedReport = z.strictObject({
  type: z.literal('played'),
  clients: z.number(),
  sampled: z.number(),
  /** over the counted window, on every client of this process */
  bytes: z.number(),
  frames: z.number(),
  /** over the counted window, on the sampled clients, by frame type */
  sampledBytes: counts,
  sampledFrames: counts,
  /** ms from a delta's `ts` to a sampled client reading it */
  deltaMs: z.array(z.number()),
  /** the deltas (distinct seqs) those samples are of: [seq, ts, bytes] each */
  deltas: z.array(z.tuple([z.number(), z.number(), z.number()])),
  /** ms from an answer's intended send time to the first `you` showing its score */
  youMs: z.array(z.number()),
  /** answers whose score no `you` showed by the end */
  youMissing: z.number(),
  gaps: z.number(),
  moves: z.number(),
  answers: z.number(),
  /** the sampled clients' answers meant for the window: sent, answered with a result, refused with an error */
  sampledAnswers: z.strictObject({ sent: z.number(), results: z.number(), refused: z.number() }),
  errors: counts,
  /** sockets the server closed during the window, by close code */
  closed: counts,
  cpuSeconds: z.number(),
  /** the highest delta seq a sampled client saw */
  lastSeq: z.number(),
});

export const stormedReport = z.strictObject({
  type: z.literal('stormed'),
  reconnecting: z.number(),
  reconnected: z.number(),
  /** ms from reopening to each socket's first frame */
  ms: z.array(z.number()),
  from: z.number(),
  to: z.number(),
  since: z.number(),
  cpuSeconds: z.number(),
});

export const botReport = z.discriminatedUnion('type', [openedReport, playedReport, stormedReport]);
export type OpenedReport = z.infer<typeof openedReport>;
export type PlayedReport = z.infer<typeof playedReport>;
export type StormedReport = z.infer<typeof stormedReport>;
