/**
 * A room shard: owns stream partitions through leases in Redis and applies their events,
 * in order, through the hunt's Lua script. Any number of shards may run; each takes a fair
 * share of the partitions and takes over a dead shard's share when its leases expire.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DELTA_LOG_LENGTH, type Scoring } from '../config/index.js';
import { Keys, STREAM_GROUP } from './keys.js';
import { LuaScript } from '../config/index.js';
import { applyEvents } from './scripts.js';
import type { StreamEvent } from './events.js';

/** One answer to check; the verifier answers with one boolean per item, in order. */
export interface VerifyItem {
  hunt: string;
  puzzle: string;
  answer: string;
}
export type Verifier = (items: VerifyItem[]) => Promise<boolean[]>;

/** What a shard reports; the node maps it onto its metrics registry. */
export interface ShardMetrics {
  applied(kind: 'move' | 'answer' | 'hint', count: number): void;
  applyLatency(seconds: number, count: number): void;
  delta(): void;
  lag(partition: number, entries: number): void;
  poison(): void;
}

export interface ShardOptions {
  redis: Redis;
  prefix: string;
  partitions: number;
  logger: Logger;
  verify: Verifier;
  /** the scoring in force now */
  scoring: () => Scoring;
  metrics?: ShardMetrics;
  /** @default 2000 */
  leaseMs?: number;
  /** @default 500 */
  renewMs?: number;
  /** Stream entries read per batch. @default 256 */
  batch?: number;
}

const renewLease = new LuaScript(
  'renewLease',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`,
);
const releaseLease = new LuaScript(
  'releaseLease',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
);

interface Owned {
  conn: Redis;
  stopping: boolean;
  done: Promise<void>;
}

interface Item {
  sid: string;
  n: string;
  ev: StreamEvent[];
}

export class Shard {
  readonly id = `shard-${randomBytes(4).toString('hex')}`;
  private readonly keys: Keys;
  private readonly owned = new Map<number, Owned>();
  private readonly leaseMs: number;
  private readonly renewMs: number;
  private readonly batch: number;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;

  constructor(private readonly opts: ShardOptions) {
    this.keys = new Keys(opts.prefix);
    this.leaseMs = opts.leaseMs ?? 2000;
    this.renewMs = opts.renewMs ?? 500;
    this.batch = opts.batch ?? 256;
    this.log = opts.logger.child({ shard: this.id });
  }

  /** Partitions this shard holds right now. */
  get partitions(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  start(): void {
    const loop = (): void => {
      this.ticking = this.tick().catch((err: unknown) => this.log.error({ err }, 'lease tick failed'));
      this.timer = setTimeout(() => void this.ticking.then(loop), this.renewMs);
    };
    loop();
  }

  /** Renews what it holds, claims or releases partitions toward a fair share. */
  private async tick(): Promise<void> {
    if (this.closing) return;
    const { redis, partitions } = this.opts;
    const now = Date.now();
    await redis.multi().zadd(this.keys.shards, now, this.id).zremrangebyscore(this.keys.shards, '-inf', now - this.leaseMs).exec();
    const alive = Math.max(1, await redis.zcard(this.keys.shards));
    const fair = Math.ceil(partitions / alive);

    for (const p of [...this.owned.keys()]) {
      const ok = await renewLease.run(redis, [this.keys.lease(p)], [this.id, this.leaseMs]);
      if (Number(ok) !== 1) {
        this.log.warn({ partition: p }, 'lease lost; stopping partition');
        await this.stopPartition(p, false);
      }
    }
    for (let p = 0; p < partitions && this.owned.size < fair; p++) {
      if (this.owned.has(p)) continue;
      const got = await redis.set(this.keys.lease(p), this.id, 'PX', this.leaseMs, 'NX');
      if (got === 'OK') this.startPartition(p);
    }
    while (this.owned.size > fair) {
      const p = Math.max(...this.owned.keys());
      this.log.info({ partition: p, fair }, 'handing partition over');
      await this.stopPartition(p, true);
    }
    for (const p of this.owned.keys()) {
      const lag = await this.lagOf(p);
      this.opts.metrics?.lag(p, lag);
    }
  }

  private async lagOf(p: number): Promise<number> {
    try {
      const groups = (await this.opts.redis.xinfo('GROUPS', this.keys.stream(p))) as unknown[][];
      for (const g of groups) {
        const fields = new Map<string, unknown>();
        for (let i = 0; i < g.length; i += 2) fields.set(String(g[i]), g[i + 1]);
        if (fields.get('name') === STREAM_GROUP) return Number(fields.get('lag') ?? 0) + Number(fields.get('pending') ?? 0);
      }
    } catch {
      // the stream may not exist yet
    }
    return 0;
  }

  private startPartition(p: number): void {
    const conn = this.opts.redis.duplicate();
    conn.on('error', (err: Error) => this.log.warn({ err: err.message, partition: p }, 'stream connection error'));
    const owned: Owned = { conn, stopping: false, done: Promise.resolve() };
    owned.done = this.consume(p, owned)
      .catch(async (err: unknown) => {
        if (owned.stopping) return;
        // Give the partition up; the next tick claims it again and resumes from the pending list.
        this.log.error({ err, partition: p }, 'partition consumer failed; releasing it');
        if (this.owned.get(p) === owned) this.owned.delete(p);
        await releaseLease.run(this.opts.redis, [this.keys.lease(p)], [this.id]).catch(() => undefined);
      })
      .finally(() => conn.disconnect());
    this.owned.set(p, owned);
    this.log.info({ partition: p }, 'partition acquired');
  }

  private async stopPartition(p: number, release: boolean): Promise<void> {
    const owned = this.owned.get(p);
    if (!owned) return;
    owned.stopping = true;
    await owned.done;
    this.owned.delete(p);
    if (release) await releaseLease.run(this.opts.redis, [this.keys.lease(p)], [this.id]);
  }

  /**
   * Reads the partition's own pending entries first (left by a previous owner), then new ones.
   * Two lanes keep moves fast: moves are applied as soon as they are read; answers and hints
   * wait for their verdicts, and are applied batch after batch in stream order. An entry is
   * acknowledged once both lanes have applied it. Each lane has its own fence per hunt.
   */
  private async consume(p: number, owned: Owned): Promise<void> {
    const stream = this.keys.stream(p);
    const consumer = `s${p}`;
    try {
      await owned.conn.xgroup('CREATE', stream, STREAM_GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!(err instanceof Error && err.message.includes('BUSYGROUP'))) throw err;
    }
    let cursor: string | null = '0';
    let reads = 0;
    let answerLane: Promise<void> = Promise.resolve();
    let inFlight = 0;
    let failure: unknown;
    while (!owned.stopping && failure === undefined) {
      const args: (string | number)[] = ['GROUP', STREAM_GROUP, consumer, 'COUNT', this.batch];
      if (cursor === null) args.push('BLOCK', 500);
      args.push('STREAMS', stream, cursor ?? '>');
      const res = (await owned.conn.call('XREADGROUP', ...args)) as [string, [string, string[] | null][]][] | null;
      const entries = res?.[0]?.[1] ?? [];
      if (entries.length === 0) {
        cursor = null; // backlog drained: switch to new entries
        continue;
      }
      if (cursor !== null) cursor = entries.at(-1)?.[0] ?? null;
      if (owned.stopping) break; // read but unacked: the next owner gets them from the pending list
      const batch = this.split(entries);
      await this.applyLane('m', batch.moves);
      this.observeLatency(batch.moveAcceptedAt);
      const verdicts = batch.verify.length ? this.opts.verify(batch.verify.map((v) => v.item)) : Promise.resolve([]);
      verdicts.catch(() => undefined); // handled in the lane below
      const previous = answerLane;
      inFlight++;
      answerLane = (async () => {
        const got = await verdicts;
        batch.verify.forEach((v, i) => {
          v.ev.correct = got[i] === true;
          v.ev.answer = ''; // the text is not needed past verification; keep it out of Redis
        });
        await previous;
        await this.applyLane('a', batch.answers);
        this.observeLatency(batch.answerAcceptedAt);
        await this.opts.redis.xack(stream, STREAM_GROUP, ...entries.map((e) => e[0]));
      })()
        .catch((err: unknown) => {
          failure ??= err;
        })
        .finally(() => inFlight--);
      // bound the batches waiting on verification
      if (inFlight >= 16) await answerLane;
      if (++reads % 64 === 0) await this.opts.redis.xtrim(stream, 'MINID', '~', (await this.firstPending(stream)) ?? entries.at(-1)?.[0] ?? '0');
    }
    await answerLane;
    if (failure !== undefined) throw failure;
  }

  /** The oldest entry still pending, so trimming never drops what is not yet applied. */
  private async firstPending(stream: string): Promise<string | undefined> {
    const summary = (await this.opts.redis.xpending(stream, STREAM_GROUP)) as [number, string | null, string | null, unknown];
    return summary[0] > 0 && summary[1] ? summary[1] : undefined;
  }

  private observeLatency(acceptedAt: number[]): void {
    const m = this.opts.metrics;
    if (!m || acceptedAt.length === 0) return;
    const now = Date.now();
    for (const ts of acceptedAt) m.applyLatency((now - ts) / 1000, 1);
  }

  /** Splits a read batch by lane and hunt, keeping stream order within each. */
  private split(entries: [string, string[] | null][]): {
    moves: Map<string, Item[]>;
    answers: Map<string, Item[]>;
    verify: { ev: StreamEvent & { k: 'answer' }; item: VerifyItem }[];
    moveAcceptedAt: number[];
    answerAcceptedAt: number[];
  } {
    const moves = new Map<string, Item[]>();
    const answers = new Map<string, Item[]>();
    const verify: { ev: StreamEvent & { k: 'answer' }; item: VerifyItem }[] = [];
    const moveAcceptedAt: number[] = [];
    const answerAcceptedAt: number[] = [];
    for (const [sid, fields] of entries) {
      const parsed = parseEntry(fields);
      if (!parsed) {
        this.opts.metrics?.poison();
        this.log.warn({ sid }, 'unreadable stream entry skipped');
        continue;
      }
      for (const ev of parsed.events) {
        const lane = ev.k === 'move' ? moves : answers;
        let items = lane.get(ev.h);
        if (!items) lane.set(ev.h, (items = []));
        let item = items.at(-1);
        if (!item || item.sid !== sid) items.push((item = { sid, n: parsed.node, ev: [] }));
        item.ev.push(ev);
        if (ev.k === 'move') for (let i = ev.n ?? 1; i > 0; i--) moveAcceptedAt.push(parsed.ts);
        else answerAcceptedAt.push(parsed.ts);
        if (ev.k === 'answer') verify.push({ ev, item: { hunt: ev.h, puzzle: ev.puzzle, answer: ev.answer } });
      }
    }
    return { moves, answers, verify, moveAcceptedAt, answerAcceptedAt };
  }

  private async applyLane(lane: 'm' | 'a', byHunt: Map<string, Item[]>): Promise<void> {
    if (byHunt.size === 0) return;
    const now = Date.now();
    await Promise.all(
      [...byHunt].map(async ([hunt, items]) => {
        const k = this.keys.hunt(hunt);
        const out = (await applyEvents.run(
          this.opts.redis,
          [k.meta, k.players, k.board, k.solves, k.replies, k.hintsTaken, k.positions, k.log, k.deltas, k.applied, k.puzzles, k.hints, k.moves, k.removed],
          [JSON.stringify(items), now, this.keys.huntChannel(hunt), this.keys.nodeChannel(''), DELTA_LOG_LENGTH, this.opts.scoring().hintPenaltyFraction, lane],
        )) as [number, number, number, number];
        const m = this.opts.metrics;
        if (!m) return;
        m.applied('move', out[0]);
        m.applied('answer', out[1]);
        m.applied('hint', out[2]);
        if (out[3] > 0) m.delta();
      }),
    );
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      clearTimeout(this.timer);
      await this.ticking;
      for (const p of [...this.owned.keys()]) {
        try {
          await this.stopPartition(p, true);
        } catch (err) {
          this.log.warn({ err, partition: p }, 'partition stop failed');
        }
      }
      try {
        await this.opts.redis.zrem(this.keys.shards, this.id);
      } catch {
        // Redis may already be gone
      }
    })();
    return this.closing;
  }
}

function parseEntry(fields: string[] | null): { node: string; ts: number; events: StreamEvent[] } | null {
  if (!fields) return null;
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  try {
    const events = JSON.parse(map.get('e') ?? 'null') as unknown;
    if (!Array.isArray(events)) return null;
    return { node: map.get('n') ?? '', ts: Number(map.get('ts') ?? Date.now()), events: events as StreamEvent[] };
  } catch {
    return null;
  }
}
