/**
 * Reads one stream partition of one routing epoch for the shard that holds its lease, and
 * applies its events through the hunt's Lua script in two lanes: moves as soon as they are
 * read; answers and hints once their verdicts are back, batch after batch in stream order.
 * An entry is acknowledged when both lanes have applied it; each lane has its own fence per
 * hunt, so an entry delivered again changes nothing. Its parts: the entries taken apart
 * (`stream-entries.ts`), poison and dead letters (`dead-letters.ts`), batched acknowledgements
 * and the replica wait (`stream-acks.ts`); this file holds the read loop and the lanes.
 */
import type { Redis } from 'ioredis';
import { connectionForKey, type RedisClient } from '../redis/index.js';
import type { Logger } from 'pino';
import type { Epoch } from './epochs.js';
import type { MoveEvent, StreamEvent } from './events.js';
import { MoveFolder } from './move-folder.js';
import { AnswerLane } from './answer-lane.js';
import type { StreamedType } from '../protocol/index.js';
import { STREAM_GROUP, type Keys } from './keys.js';
import { moveLane } from './move-partitions.js';
import type { ScriptParams } from './params.js';
import { applyAnswers, applyMoves, ensureStreamGroup, streamBacklog, type ApplyItem } from './scripts.js';
import { DeadLetters } from './dead-letters.js';
import { StreamAcks } from './stream-acks.js';
import {
  readEntries,
  splitEntries,
  type Accepted,
  type Split,
  type StreamEntry,
  type VerifyItem,
} from './stream-entries.js';

export type { VerifyItem } from './stream-entries.js';

/**
 * One verdict per item, in order: true, false, null when it could not be verified for good (a
 * dead letter), or 'judged' for a puzzle a game master judges (its text goes on to the shard).
 */
export type Verdict = boolean | null | 'judged';
export type Verifier = (items: VerifyItem[]) => Promise<Verdict[]>;

/** What a shard reports; the node maps it onto its metrics registry. */
export interface ShardMetrics {
  applied(kind: StreamedType, count: number): void;
  applyLatency(seconds: number, count: number): void;
  delta(): void;
  lag(partition: string, entries: number): void;
  poison(): void;
  deadLetters(count: number): void;
  /** a stream event set aside after bounded tries */
  streamDeadLetter(): void;
}

export interface ConsumerDeps {
  redis: RedisClient;
  keys: Keys;
  log: Logger;
  verify: Verifier;
  params: () => ScriptParams;
  metrics?: ShardMetrics | undefined;
  batch: number;
  /** told of hunts whose delta waits for the fan-out tick */
  pending: (hunt: string) => void;
  /** how long new moves are folded in memory before they are written, ms */
  movesFlushMs: () => number;
  /** replicas that must hold a batch's effects before its entries are acknowledged (routing.ackReplicas) */
  durability?: () => { ackReplicas: number; ackTimeoutMs: number };
}

type Item = ApplyItem;

/** Batches in the answers lane (waiting on verdicts or on the write ahead) before reading pauses. */
const MAX_IN_FLIGHT = 16;
/** Batches read and not yet acknowledged (their moves wait for a flush, up to `movesFlushMs`) before reading pauses. */
const MAX_UNACKED = 4096;

export class PartitionConsumer {
  /** the blocking reads' own connection (on a cluster, to the stream's master) */
  private conn: Redis | undefined;
  readonly stream: string;
  stopping = false;
  /** set by the shard once no front node writes to this epoch */
  closed = false;
  readonly done: Promise<'drained' | 'stopped'>;
  private readonly folder: MoveFolder;
  private readonly acks: StreamAcks;
  private readonly dead: DeadLetters;

  readonly epoch: Epoch;
  readonly partition: number;
  private readonly deps: ConsumerDeps;

  /** One consumer per (epoch, partition) the shard owns; `epoch` and `partition` name its stream. */
  constructor(deps: ConsumerDeps & { epoch: Epoch; partition: number }) {
    const { epoch, partition } = deps;
    this.deps = deps;
    this.epoch = epoch;
    this.partition = partition;
    this.stream = deps.keys.stream(epoch.epoch, partition);
    const { redis, keys, log, metrics, durability } = deps;
    this.acks = new StreamAcks({ redis, keys, stream: this.stream, durability });
    this.dead = new DeadLetters({ redis, keys, log, stream: this.stream, counted: () => metrics?.streamDeadLetter() });
    this.folder = new MoveFolder({
      redis,
      keys,
      log,
      flushMs: deps.movesFlushMs,
      applied: (n) => metrics?.applied('move', n),
      params: () => JSON.stringify(deps.params()),
      pending: deps.pending,
    });
    this.done = this.run().finally(() => this.conn?.disconnect());
  }

  get label(): string {
    return `s${this.epoch.epoch}.${this.partition}`;
  }

  /** Reads its own pending entries first (left by a previous owner), then new ones. */
  private async run(): Promise<'drained' | 'stopped'> {
    const { redis } = this.deps;
    await ensureStreamGroup(redis, this.stream, STREAM_GROUP);
    // a failed read ends this consumer: the shard takes the partition again, on a fresh connection
    const conn = (this.conn = connectionForKey(redis, this.stream, { maxRetriesPerRequest: 1, commandTimeout: 5000 }));
    conn.on('error', (err: Error) =>
      this.deps.log.warn({ err: err.message, stream: this.stream }, 'stream connection error'),
    );
    const consumer = this.label;
    let cursor: string | null = '0';
    let reads = 0;
    // answers apply in stream order; batches ready behind a write in flight go together in the next one
    const answerLane = new AnswerLane((byHunt) => this.applyLane('a', byHunt));
    let lastAnswers: Promise<void> = Promise.resolve();
    /** batches read and not yet acknowledged */
    const unacked = new Set<Promise<void>>();
    let failure: unknown;
    while (!this.stopping && failure === undefined) {
      const closedBeforeRead = this.closed;
      const args: (string | number)[] = ['GROUP', STREAM_GROUP, consumer, 'COUNT', this.deps.batch];
      if (cursor === null) args.push('BLOCK', 500);
      args.push('STREAMS', this.stream, cursor ?? '>');
      const entries = readEntries(await conn.call('XREADGROUP', ...args));
      if (entries.length === 0) {
        if (cursor === null && closedBeforeRead) {
          // Closed before this empty read, so nothing can arrive any more: finish and hand back.
          await this.folder.flush().catch(() => undefined);
          await Promise.all(unacked);
          if (failure === undefined && (await this.acks.pendingCount()) === 0) return 'drained';
        }
        cursor = null; // backlog drained: switch to new entries
        continue;
      }
      // entries of our own pending list may have been applied before (by a shard that died): those
      // go one by one through the fence; new entries were never seen, so their moves are folded
      const fromBacklog = cursor !== null;
      if (cursor !== null) cursor = entries.at(-1)?.[0] ?? null;
      if (this.stopping) break; // read but unacked: the next owner gets them from the pending list
      const read = this.handle(entries, fromBacklog, answerLane);
      const { applied } = read;
      if (applied !== undefined) {
        lastAnswers = applied.catch((err: unknown) => {
          failure ??= err;
        });
      }
      if (fromBacklog) await read.written; // pending entries go one by one through the fence, in order
      const acked = read.acked.catch((err: unknown) => {
        failure ??= err;
      });
      unacked.add(acked);
      void acked.finally(() => unacked.delete(acked));
      // answers waiting on verdicts bound the reading; acks waiting on a moves flush do not (up to a point)
      if (answerLane.waiting >= MAX_IN_FLIGHT) await lastAnswers;
      if (unacked.size >= MAX_UNACKED) await Promise.race(unacked);
      if (++reads % 64 === 0) await this.acks.trim(entries.at(-1)?.[0] ?? '0');
    }
    await this.folder.flush().catch(() => undefined);
    await Promise.all(unacked);
    if (failure !== undefined) throw failure;
    return 'stopped';
  }

  /**
   * Starts one read batch on its way: poison set aside, verification asked for, moves folded
   * (or, from the backlog, applied), answers queued in the lane. Only ids and hunt names are
   * kept for the acknowledgement, so what was parsed can be collected as soon as it is used.
   */
  private handle(
    entries: StreamEntry[],
    fromBacklog: boolean,
    lane: AnswerLane,
  ): { written: Promise<void>; applied?: Promise<void>; acked: Promise<void> } {
    const ids = entries.map((e) => e[0]);
    const batch = splitEntries(entries, this.epoch.epoch, (id) => {
      this.deps.metrics?.poison();
      this.deps.metrics?.streamDeadLetter();
      this.deps.log.error({ stream: this.stream, id }, 'unreadable stream entry set aside');
    });
    const poisoned = this.dead.setAside(batch.poison);
    // verification starts first: it is the slow part, and the moves do not wait for it
    const verdicts = batch.verify.length ? this.deps.verify(batch.verify.map((v) => v.item)) : Promise.resolve([]);
    verdicts.catch(() => undefined); // handled in the lane
    const written = fromBacklog
      ? this.applyNow(batch.moves, batch.moveAcceptedAt)
      : this.foldMoves(batch.moves, batch.moveAcceptedAt);
    written.catch(() => undefined); // handled with the acknowledgement
    // answers never wait for a moves flush
    const applied = batch.answers.size > 0 ? this.queueAnswers(lane, batch, verdicts) : undefined;
    applied?.catch(() => undefined); // handled by the caller
    const hunts = new Set([...batch.moves.keys(), ...batch.answers.keys()]);
    return {
      written,
      ...(applied === undefined ? {} : { applied }),
      acked: this.acks.when([poisoned, written, applied], hunts, ids),
    };
  }

  private async applyNow(moves: Map<string, Item[]>, acceptedAt: Accepted): Promise<void> {
    await this.applyLane('m', moves);
    this.observe(acceptedAt);
  }

  private async foldMoves(moves: Map<string, Item[]>, acceptedAt: Accepted): Promise<void> {
    if (moves.size === 0) return;
    await this.folder.prepare(moves.keys());
    const folds: Promise<void>[] = [];
    for (const [hunt, items] of moves) {
      const lane = this.laneOf(hunt);
      for (const item of items) folds.push(this.folder.fold(hunt, item.sid, item.n, item.ev.filter(isMove), lane));
    }
    await Promise.all(folds);
    this.observe(acceptedAt);
  }

  private async queueAnswers(lane: AnswerLane, batch: Split, verdicts: Promise<Verdict[]>): Promise<void> {
    const judged = verdicts.then((got) => {
      batch.verify.forEach((v, i) => {
        const verdict = got[i];
        if (verdict === null || verdict === undefined) v.ev.dead = 'verification job failed';
        else if (verdict === 'judged')
          v.ev.judged = true; // a submission: its text is what the game master reads
        else v.ev.correct = verdict;
        // a correct answer's text is stored as the one accepted (the `welcome` shows it), a judged one is the submission; any other is not needed past verification
        if (v.ev.correct !== true && verdict !== 'judged') v.ev.answer = '';
      });
    });
    await lane.add(batch.answers, judged);
    this.observe(batch.answerAcceptedAt);
  }

  /** The moves fence lane of a hunt on this partition: each partition a hunt's moves are spread over has its own. */
  private laneOf(hunt: string): string {
    return moveLane(hunt, this.partition, this.epoch.partitions);
  }

  async lag(): Promise<number> {
    try {
      const b = await streamBacklog(this.deps.redis, this.stream, STREAM_GROUP);
      return b.length <= 0 ? 0 : b.lag < 0 ? b.length : b.lag + b.pending;
    } catch {
      return 0; // the stream may be gone (drained)
    }
  }

  private observe(acceptedAt: Accepted): void {
    const m = this.deps.metrics;
    if (!m || acceptedAt.ts.length === 0) return;
    const now = Date.now();
    acceptedAt.ts.forEach((ts, i) => m.applyLatency((now - ts) / 1000, acceptedAt.count[i]!));
  }

  private async applyLane(lane: 'm' | 'a', byHunt: Map<string, Item[]>): Promise<void> {
    if (byHunt.size === 0) return;
    const now = Date.now();
    const params = JSON.stringify(this.deps.params());
    await Promise.all([...byHunt].map(([hunt, items]) => this.applyHunt(lane, hunt, items, now, params)));
  }

  /** Applies one hunt's items; a poison event among them is isolated and set aside (`DeadLetters.isolating`). */
  private applyHunt(lane: 'm' | 'a', hunt: string, items: Item[], now: number, params: string): Promise<void> {
    return this.dead.isolating(hunt, items, (some) => this.applyOnce(lane, hunt, some, now, params));
  }

  private async applyOnce(lane: 'm' | 'a', hunt: string, items: Item[], now: number, params: string): Promise<void> {
    const { redis, keys } = this.deps;
    const m = this.deps.metrics;
    if (lane === 'm') {
      const out = await applyMoves(redis, keys, hunt, items, { now, params, lane: this.laneOf(hunt) });
      m?.applied('move', out.moves);
      return;
    }
    const out = await applyAnswers(redis, keys, hunt, items, now, params);
    if (out.seq === -1) this.deps.pending(hunt);
    if (!m) return;
    for (const [kind, count] of out.applied) m.applied(kind, count);
    if (out.seq > 0) m.delta();
    if (out.dead > 0) m.deadLetters(out.dead);
  }
}

const isMove = (ev: StreamEvent): ev is MoveEvent => ev.k === 'move';
