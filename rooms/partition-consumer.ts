/**
 * Reads one stream partition of one routing epoch for the shard that holds its lease, and
 * applies its events through the hunt's Lua script in two lanes: moves as soon as they are
 * read; answers and hints once their verdicts are back, batch after batch in stream order.
 * An entry is acknowledged when both lanes have applied it; each lane has its own fence per
 * hunt, so an entry delivered again changes nothing.
 */
import type { Redis } from 'ioredis';
import { connectionForKey, isReplyError, waitForReplicas, type RedisClient } from '../redis/index.js';
import type { Logger } from 'pino';
import type { Epoch } from './epochs.js';
import { eventProblem, huntOf, isStreamEvent, stringField, type AnswerEvent, type MoveEvent, type StreamEvent } from './events.js';
import { MoveFolder } from './move-folder.js';
import { AnswerLane } from './answer-lane.js';
import { MESSAGE_KINDS, type StreamedType } from '../protocol/index.js';
import { STREAM_GROUP, type Keys } from './keys.js';
import type { ScriptParams } from './params.js';
import { applyAnswers, applyMoves, ensureStreamGroup, streamBacklog, type ApplyItem } from './scripts.js';

/** One answer to check; the verifier answers with one boolean per item, in order. */
export interface VerifyItem {
  hunt: string;
  puzzle: string;
  answer: string;
}
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

interface Split {
  /** events that cannot be applied at all, set aside before any script runs */
  poison: { hunt: string; node: string; ev: unknown; reason: string }[];
  moves: Map<string, Item[]>;
  answers: Map<string, Item[]>;
  verify: { ev: AnswerEvent; item: VerifyItem }[];
  moveAcceptedAt: Accepted;
  answerAcceptedAt: Accepted;
}

/** When events were accepted by a front: times and, beside each, how many events share it. */
interface Accepted {
  ts: number[];
  count: number[];
}

function accept(into: Accepted, ts: number, count: number): void {
  const last = into.ts.length - 1;
  if (last >= 0 && into.ts[last] === ts) into.count[last]! += count;
  else {
    into.ts.push(ts);
    into.count.push(count);
  }
}

/** Batches in the answers lane (waiting on verdicts or on the write ahead) before reading pauses. */
const MAX_IN_FLIGHT = 16;
/** Batches read and not yet acknowledged (their moves wait for a flush, up to `movesFlushMs`) before reading pauses. */
const MAX_UNACKED = 4096;
/** How long written entries wait for others to share one XACK (an entry left pending is only read again and fenced). */
const ACK_WINDOW_MS = 10;

export class PartitionConsumer {
  /** the blocking reads' own connection (on a cluster, to the stream's master) */
  private conn: Redis | undefined;
  readonly stream: string;
  stopping = false;
  /** set by the shard once no front node writes to this epoch */
  closed = false;
  readonly done: Promise<'drained' | 'stopped'>;
  private readonly folder: MoveFolder;
  /** entries written and waiting for the next XACK, and who waits on it */
  private acking: { ids: string[]; done: Promise<void>; resolve: () => void; reject: (err: unknown) => void } | undefined;

  constructor(private readonly deps: ConsumerDeps, readonly epoch: Epoch, readonly partition: number) {
    this.stream = deps.keys.stream(epoch.epoch, partition);
    this.folder = new MoveFolder(deps.redis, deps.keys, deps.log, deps.movesFlushMs, (n) => deps.metrics?.applied('move', n), () => JSON.stringify(deps.params()), deps.pending);
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
    conn.on('error', (err: Error) => this.deps.log.warn({ err: err.message, stream: this.stream }, 'stream connection error'));
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
      const res = (await conn.call('XREADGROUP', ...args)) as [string, [string, string[] | null][]][] | null;
      const entries = res?.[0]?.[1] ?? [];
      if (entries.length === 0) {
        if (cursor === null && closedBeforeRead) {
          // Closed before this empty read, so nothing can arrive any more: finish and hand back.
          await this.folder.flush().catch(() => undefined);
          await Promise.all(unacked);
          if (failure === undefined && (await this.pendingCount()) === 0) return 'drained';
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
      if (++reads % 64 === 0) await this.trim(entries.at(-1)?.[0] ?? '0');
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
  private handle(entries: [string, string[] | null][], fromBacklog: boolean, lane: AnswerLane): { written: Promise<void>; applied?: Promise<void>; acked: Promise<void> } {
    const ids = entries.map((e) => e[0]);
    const batch = this.split(entries);
    const poisoned = this.setAside(batch.poison);
    // verification starts first: it is the slow part, and the moves do not wait for it
    const verdicts = batch.verify.length ? this.deps.verify(batch.verify.map((v) => v.item)) : Promise.resolve([]);
    verdicts.catch(() => undefined); // handled in the lane
    const written = fromBacklog ? this.applyNow(batch.moves, batch.moveAcceptedAt) : this.foldMoves(batch.moves, batch.moveAcceptedAt);
    written.catch(() => undefined); // handled with the acknowledgement
    // answers never wait for a moves flush
    const applied = batch.answers.size > 0 ? this.queueAnswers(lane, batch, verdicts) : undefined;
    applied?.catch(() => undefined); // handled by the caller
    const hunts = new Set([...batch.moves.keys(), ...batch.answers.keys()]);
    return { written, ...(applied === undefined ? {} : { applied }), acked: this.ackWhen([poisoned, written, applied], hunts, ids) };
  }

  private async setAside(poison: Split['poison']): Promise<void> {
    for (const p of poison) {
      if (p.hunt) await this.deadLetter(p.hunt, p.node, p.ev, p.reason);
      else {
        this.deps.metrics?.streamDeadLetter();
        this.deps.log.error({ stream: this.stream, reason: p.reason }, 'stream event without a readable hunt set aside');
      }
    }
  }

  private async applyNow(moves: Map<string, Item[]>, acceptedAt: Accepted): Promise<void> {
    await this.applyLane('m', moves);
    this.observe(acceptedAt);
  }

  private async foldMoves(moves: Map<string, Item[]>, acceptedAt: Accepted): Promise<void> {
    if (moves.size === 0) return;
    await this.folder.prepare(moves.keys());
    const folds: Promise<void>[] = [];
    for (const [hunt, items] of moves) for (const item of items) folds.push(this.folder.fold(hunt, item.sid, item.n, item.ev.filter(isMove)));
    await Promise.all(folds);
    this.observe(acceptedAt);
  }

  private async queueAnswers(lane: AnswerLane, batch: Split, verdicts: Promise<Verdict[]>): Promise<void> {
    const judged = verdicts.then((got) => {
      batch.verify.forEach((v, i) => {
        const verdict = got[i];
        if (verdict === null || verdict === undefined) v.ev.dead = 'verification job failed';
        else if (verdict === 'judged') v.ev.judged = true; // a submission: its text is what the game master reads
        else v.ev.correct = verdict;
        // a correct answer's text is stored as the one accepted (the `welcome` shows it), a judged one is the submission; any other is not needed past verification
        if (v.ev.correct !== true && verdict !== 'judged') v.ev.answer = '';
      });
    });
    await lane.add(batch.answers, judged);
    this.observe(batch.answerAcceptedAt);
  }

  /** Acknowledges the entries once every part of their batch is written (and, where asked, replicated). */
  private async ackWhen(parts: (Promise<void> | undefined)[], hunts: Set<string>, ids: string[]): Promise<void> {
    await Promise.all(parts);
    await this.replicated(hunts);
    await this.xack(ids);
  }

  /**
   * Acknowledges entries together: at 2,000 answers a second a read batch holds one or two
   * entries, and an XACK of its own for each cost a socket write each; the entries written
   * within `ACK_WINDOW_MS` share one.
   */
  private xack(ids: string[]): Promise<void> {
    if (!this.acking) {
      let resolve!: () => void;
      let reject!: (err: unknown) => void;
      const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      const batch = (this.acking = { ids: [], done, resolve, reject });
      setTimeout(() => {
        this.acking = undefined;
        this.deps.redis.xack(this.stream, STREAM_GROUP, ...batch.ids).then(() => batch.resolve(), batch.reject);
      }, ACK_WINDOW_MS);
    }
    for (const id of ids) this.acking.ids.push(id);
    return this.acking.done;
  }

  private async pendingCount(): Promise<number> {
    const summary = (await this.deps.redis.xpending(this.stream, STREAM_GROUP)) as [number, ...unknown[]];
    return Number(summary[0]);
  }

  /** Drops acknowledged entries; never what is still pending. */
  private async trim(lastRead: string): Promise<void> {
    const summary = (await this.deps.redis.xpending(this.stream, STREAM_GROUP)) as [number, string | null, ...unknown[]];
    const keepFrom = summary[0] > 0 && summary[1] ? summary[1] : lastRead;
    await this.deps.redis.xtrim(this.stream, 'MINID', '~', keepFrom);
  }

  /**
   * Where acknowledgements wait for replicas, the hunts' effects must be on them too before
   * the entries are acknowledged: else a failover could keep the acknowledgement and lose the
   * effect. Too few replicas fails the consumer; the entries are read again and the fence
   * applies only what is missing.
   */
  private async replicated(hunts: Set<string>): Promise<void> {
    const { ackReplicas = 0, ackTimeoutMs = 0 } = this.deps.durability?.() ?? {};
    if (ackReplicas <= 0 || hunts.size === 0) return;
    await Promise.all(
      [...hunts].map(async (hunt) => {
        const got = await waitForReplicas(this.deps.redis, this.deps.keys.hunt(hunt).meta, ackReplicas, ackTimeoutMs);
        if (got < ackReplicas) throw new Error(`hunt ${hunt}: effects reached ${got} of ${ackReplicas} replicas within ${ackTimeoutMs} ms; entries left unacknowledged`);
      }),
    );
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

  /** Splits a read batch by lane and hunt, keeping stream order within each. */
  private split(entries: [string, string[] | null][]): Split {
    const out: Split = { poison: [], moves: new Map(), answers: new Map(), verify: [], moveAcceptedAt: { ts: [], count: [] }, answerAcceptedAt: { ts: [], count: [] } };
    for (const [id, fields] of entries) {
      const parsed = parseEntry(fields);
      if (!parsed) {
        this.deps.metrics?.poison();
        this.deps.metrics?.streamDeadLetter();
        this.deps.log.error({ stream: this.stream, id }, 'unreadable stream entry set aside');
        continue;
      }
      const sid = `${this.epoch.epoch}-${id}`;
      for (const raw of parsed.events) {
        if (!isStreamEvent(raw)) {
          out.poison.push({ hunt: huntOf(raw), node: parsed.node, ev: raw, reason: eventProblem(raw) ?? 'unreadable' });
          continue;
        }
        const ev = raw;
        const lane = MESSAGE_KINDS[ev.k].lane === 'moves' ? out.moves : out.answers;
        let items = lane.get(ev.h);
        if (!items) lane.set(ev.h, (items = []));
        let item = items.at(-1);
        if (!item || item.sid !== sid) items.push((item = { sid, n: parsed.node, ev: [] }));
        item.ev.push(ev);
        if (ev.k === 'move') accept(out.moveAcceptedAt, parsed.ts, ev.n ?? 1);
        else accept(out.answerAcceptedAt, parsed.ts, 1);
        if (ev.k === 'answer') out.verify.push({ ev, item: { hunt: ev.h, puzzle: ev.puzzle, answer: ev.answer } });
      }
    }
    return out;
  }

  private async applyLane(lane: 'm' | 'a', byHunt: Map<string, Item[]>): Promise<void> {
    if (byHunt.size === 0) return;
    const now = Date.now();
    const params = JSON.stringify(this.deps.params());
    await Promise.all([...byHunt].map(([hunt, items]) => this.applyHunt(lane, hunt, items, now, params)));
  }

  /**
   * Applies one hunt's items; when the script refuses them (a poison event: Redis replied with
   * an error), finds the culprit in bounded tries: each item alone, then each event of a
   * failing item alone. What still fails becomes a dead letter and the rest goes on. Errors
   * that are not the script's (a lost connection) propagate, so the entry is read again later.
   */
  private async applyHunt(lane: 'm' | 'a', hunt: string, items: Item[], now: number, params: string): Promise<void> {
    try {
      return await this.applyOnce(lane, hunt, items, now, params);
    } catch (err) {
      if (!isReplyError(err)) throw err;
      this.deps.log.warn({ err: err.message, hunt, stream: this.stream, items: items.length }, 'apply refused; isolating the poison event');
    }
    for (const item of items) {
      try {
        await this.applyOnce(lane, hunt, [item], now, params);
        continue;
      } catch (err) {
        if (!isReplyError(err)) throw err;
      }
      for (const [k, ev] of item.ev.entries()) {
        try {
          await this.applyOnce(lane, hunt, [{ sid: `${item.sid}-${k}`, n: item.n, ev: [ev] }], now, params);
        } catch (err) {
          if (!isReplyError(err)) throw err;
          await this.deadLetter(hunt, item.n, ev, err.message);
        }
      }
      // closes the entry's fence past its last event
      await this.applyOnce(lane, hunt, [{ sid: item.sid, n: item.n, ev: [] }], now, params);
    }
  }

  private async applyOnce(lane: 'm' | 'a', hunt: string, items: Item[], now: number, params: string): Promise<void> {
    const { redis, keys } = this.deps;
    const m = this.deps.metrics;
    if (lane === 'm') {
      const out = await applyMoves(redis, keys, hunt, items, { now, params });
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

  /** Sets one event aside: listed in the hunt's dead letters, counted, and its request answered. */
  private async deadLetter(hunt: string, node: string, ev: unknown, reason: string): Promise<void> {
    const { redis, keys } = this.deps;
    const k = keys.hunt(hunt);
    const player = stringField(ev, 'p') ?? '';
    const id = stringField(ev, 'id');
    this.deps.metrics?.streamDeadLetter();
    this.deps.log.error({ hunt, player, stream: this.stream, reason }, 'stream event set aside as a dead letter');
    if ((await redis.exists(k.meta)) === 0) return; // no such hunt: nothing to record it in, nobody to tell
    // JSON.stringify escapes what cjson could not read, so the record itself is always storable
    const record = JSON.stringify({ player, puzzle: stringField(ev, 'puzzle') ?? '', id: id ?? '', kind: stringField(ev, 'k') ?? '', reason: `stream event: ${reason.slice(0, 200)}`, at: Date.now() });
    await redis.multi().lpush(k.dead, record).ltrim(k.dead, 0, 99).hincrby(k.meta, 'deadLetters', 1).exec();
    if (player && node) {
      const msg = { t: 'error', ...(id === undefined ? {} : { id }), code: 'EVENT_UNPROCESSABLE' };
      await redis.spublish(keys.huntChannel(hunt), JSON.stringify({ t: 'reply', p: player, m: msg }));
    }
  }
}


const isMove = (ev: StreamEvent): ev is MoveEvent => ev.k === 'move';

function parseEntry(fields: string[] | null): { node: string; ts: number; events: unknown[] } | null {
  if (!fields) return null;
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  try {
    const events = JSON.parse(map.get('e') ?? 'null') as unknown;
    if (!Array.isArray(events)) return null;
    return { node: map.get('n') ?? '', ts: Number(map.get('ts') ?? Date.now()), events };
  } catch {
    return null;
  }
}
