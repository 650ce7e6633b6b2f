/**
 * The front node's event router: events bound for the same partition within a short window
 * (at most `maxDelayMs`, or until `maxEvents` are queued) become one stream entry (one XADD),
 * and each caller learns when its events are durably accepted. Answers and hints go at the end
 * of the turn, at most once every `urgentEveryMs`. Batching is what keeps Redis and the shard
 * cheap per event at every rate.
 */
import type { RedisClient } from '../redis/index.js';
import {
  entryFields,
  fnv1a,
  Keys,
  movePartitionIn,
  movePartitionSet,
  type Epoch,
  type StreamEvent,
} from '../rooms/index.js';

/** How events are folded into stream entries; read on every batch, so a change applies at once. */
export interface Batching {
  /** most events in one stream entry */
  maxEvents: number;
  /** longest an event waits for others before its entry is written, in ms (0: end of this tick) */
  maxDelayMs: number;
  /**
   * least time between two writes of the urgent lane (answers, hints, events a caller waits
   * on), in ms: what comes later than this after the last write goes at the end of its turn;
   * what comes sooner waits for the rest of the gap and goes with the others (0: every turn)
   */
  urgentEveryMs: number;
}

/** How many replicas must hold an entry before its events are acknowledged, and for how long to wait. */
export interface Durability {
  ackReplicas: number;
  ackTimeoutMs: number;
}

export interface RouterDeps {
  redis: RedisClient;
  /** the key prefix of this deployment */
  prefix: string;
  /** the routing epoch (routing config version) and its partition count */
  route: Epoch;
  nodeId: string;
  /** read on every batch, so a change applies at once */
  batching: () => Batching;
  /** told of every failed write, including those of callers that passed no callback */
  onError?: ((err: Error) => void) | undefined;
  /** read on every write, so a change applies at once; default: no replicas waited for */
  durability?: (() => Durability) | undefined;
}

/** Told once the events are stored (no error) or could not be. */
export type Accepted = (err?: Error) => void;

/** An `Accepted` that tells `done` once it was told `count` times (the first error at once). */
function allOf(count: number, done: Accepted): Accepted {
  let left = count;
  let told = false;
  return (err) => {
    if (told) return;
    if (err || --left === 0) {
      told = true;
      done(err);
    }
  };
}

interface Pending {
  stream: string;
  events: StreamEvent[];
  waiters: Accepted[];
  /** index in `events` of each player's move, by hunt and player, so later moves in the window fold into it */
  moveAt: Map<string, Map<string, number>>;
}

/** One event or several: Array.isArray does not narrow a readonly array. */
const isList = (e: readonly StreamEvent[] | StreamEvent): e is readonly StreamEvent[] => Array.isArray(e);

export class EventRouter {
  private readonly keys: Keys;
  /** moves waiting out the batching window, by stream key */
  private readonly pending = new Map<string, Pending>();
  /** answers, hints and events a caller waits on, written at the end of the turn, by stream key */
  private readonly urgent = new Map<string, Pending>();
  /** each hunt's FNV-1a hash (its own partition is this modulo the partition count) and its move partitions in the current epoch */
  private readonly huntRoutes = new Map<string, { hash: number; moves: number[] }>();
  /** the current epoch's stream keys, by partition */
  private partitionStreams: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private urgentTimer: NodeJS.Timeout | undefined;
  /** when the urgent lane last went out (performance.now()) */
  private urgentAt = -Infinity;
  private inFlight = new Set<Promise<void>>();
  /** events accepted here and not yet written to their stream (queued or in an XADD in flight) */
  private unwritten = 0;
  /** moving average of accepted events (a folded move counts its moves) per stream entry, to turn a backlog of entries into events */
  private perEntry = 1;
  /** when this node last wrote to each stream (Date.now()) */
  private readonly wroteAt = new Map<string, number>();

  private readonly redis: RedisClient;
  private route: Epoch;
  private readonly nodeId: string;
  private readonly batching: () => Batching;
  private readonly onError: ((err: Error) => void) | undefined;
  private readonly durability: () => Durability;

  constructor(deps: RouterDeps) {
    this.redis = deps.redis;
    this.keys = new Keys(deps.prefix);
    this.route = deps.route;
    this.nodeId = deps.nodeId;
    this.batching = deps.batching;
    this.onError = deps.onError;
    this.durability = deps.durability ?? (() => ({ ackReplicas: 0, ackTimeoutMs: 0 }));
    this.partitionStreams = this.streams();
  }

  /** Resolves once the events are in their room's stream. */
  accept(hunt: string, events: readonly StreamEvent[]): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue(hunt, events, (err) => (err ? reject(err) : resolve())));
  }

  /**
   * The hot path: queues events and calls `done` (if given) once they are stored. No promise per
   * call. A hunt's moves may go to several streams (`routing.movePartitions`); its other events
   * go to its own; `done` is told once every stream they went to has them.
   */
  enqueue(hunt: string, events: readonly StreamEvent[] | StreamEvent, done?: Accepted): void {
    // answers, hints and anything a caller waits on go at the end of this turn, in a batch of
    // their own; moves alone wait out the window, so they keep folding whatever else arrives
    if (!isList(events)) {
      const urgent = done !== undefined || events.k !== 'move';
      const lane = urgent ? this.urgent : this.pending;
      const batch = this.batchOf(lane, this.streamOf(hunt, events));
      this.add(batch, events);
      if (done) batch.waiters.push(done);
      this.scheduled(lane, batch, urgent);
      return;
    }
    const urgent = done !== undefined || events.some((e) => e.k !== 'move');
    const lane = urgent ? this.urgent : this.pending;
    const touched: Pending[] = [];
    for (const ev of events) {
      const batch = this.batchOf(lane, this.streamOf(hunt, ev));
      this.add(batch, ev);
      if (!touched.includes(batch)) touched.push(batch);
    }
    if (done) {
      const wait = touched.length <= 1 ? done : allOf(touched.length, done);
      for (const batch of touched) batch.waiters.push(wait);
    }
    for (const batch of touched) this.scheduled(lane, batch, urgent);
  }

  /**
   * The hottest path: one player's move from a socket, folded into that player's earlier move
   * of the window where there is one (no event object then), as `enqueue` would.
   */
  move(hunt: string, player: string, lat: number, lng: number): void {
    const batch = this.batchOf(this.pending, this.moveStream(hunt, player));
    if (this.fold(batch, hunt, player, lat, lng, 1)) return;
    batch.events.push({ k: 'move', h: hunt, p: player, lat, lng });
    this.scheduled(this.pending, batch, false);
  }

  private batchOf(lane: Map<string, Pending>, stream: string): Pending {
    let batch = lane.get(stream);
    if (!batch) lane.set(stream, (batch = { stream, events: [], waiters: [], moveAt: new Map() }));
    return batch;
  }

  /** After an event joined `batch`: write it when full, else make sure its lane's write is scheduled. */
  private scheduled(lane: Map<string, Pending>, batch: Pending, urgent: boolean): void {
    const { maxEvents, maxDelayMs } = this.batching();
    if (batch.events.length >= maxEvents) this.flushStream(lane, batch.stream);
    else if (urgent) this.scheduleUrgent();
    else if (maxDelayMs <= 0) this.immediate ??= setImmediate(() => this.flushUrgent());
    else this.timer ??= setTimeout(() => this.flush(), maxDelayMs);
  }

  /** Adds one event to a batch, folding a move into the same player's earlier one. */
  private add(batch: Pending, ev: StreamEvent): void {
    if (ev.k !== 'move') {
      this.unwritten++;
      batch.events.push(ev);
    } else if (!this.fold(batch, ev.h, ev.p, ev.lat, ev.lng, ev.n ?? 1)) batch.events.push({ ...ev });
  }

  /**
   * Takes one event standing for `n` moves and folds it into the player's earlier move of the
   * batch: true when there was one. Else notes where the player's move is about to go (the
   * caller pushes it). Only a player's last position matters; the count keeps every move
   * applied once.
   */
  private fold(batch: Pending, hunt: string, player: string, lat: number, lng: number, n: number): boolean {
    this.unwritten++;
    let players = batch.moveAt.get(hunt);
    if (!players) batch.moveAt.set(hunt, (players = new Map()));
    const at = players.get(player);
    const prior = at === undefined ? undefined : batch.events[at];
    if (prior?.k === 'move') {
      prior.lat = lat;
      prior.lng = lng;
      prior.n = (prior.n ?? 1) + n;
      return true;
    }
    players.set(player, batch.events.length);
    return false;
  }

  /** The stream an event of a hunt goes to in the current epoch: a move by its player, anything else the hunt's own. */
  private streamOf(hunt: string, ev: StreamEvent): string {
    return this.moveStream(hunt, ev.k === 'move' ? ev.p : undefined);
  }

  /** The stream of one player's moves (or, without a player, the hunt's own stream). */
  private moveStream(hunt: string, player: string | undefined): string {
    const { partitions, movePartitions = 1 } = this.route;
    let route = this.huntRoutes.get(hunt);
    if (route === undefined) {
      const hash = fnv1a(hunt);
      route = { hash, moves: movePartitionSet(hash, partitions, movePartitions) };
      if (this.huntRoutes.size >= 100_000) this.huntRoutes.clear();
      this.huntRoutes.set(hunt, route);
    }
    const p = player === undefined ? route.hash % partitions : movePartitionIn(route.moves, route.hash, player);
    return this.partitionStreams[p] ?? this.keys.stream(this.route.epoch, p);
  }

  /** Writes everything queued: both lanes. */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
    clearTimeout(this.urgentTimer);
    this.urgentTimer = undefined;
    for (const stream of [...this.urgent.keys()]) this.flushStream(this.urgent, stream);
    for (const stream of [...this.pending.keys()]) this.flushStream(this.pending, stream);
  }

  /** The urgent lane goes at the end of this turn, or when the gap since its last write has passed. */
  private scheduleUrgent(): void {
    if (this.immediate || this.urgentTimer) return;
    // at a few answers a second each goes at once; at thousands, every stream entry (an XADD, a
    // shard read and a script call, each a wakeup on both sides) carries all of a gap's answers
    const wait = this.urgentAt + this.batching().urgentEveryMs - performance.now();
    if (wait <= 0) this.immediate = setImmediate(() => this.flushUrgent());
    else this.urgentTimer = setTimeout(() => this.flushUrgent(), wait);
  }

  /** End of a turn: what waits for a reply goes out; moves too when there is no window. */
  private flushUrgent(): void {
    this.immediate = undefined;
    clearTimeout(this.urgentTimer);
    this.urgentTimer = undefined;
    if (this.urgent.size > 0) this.urgentAt = performance.now();
    if (this.batching().maxDelayMs <= 0) return this.flush();
    for (const stream of [...this.urgent.keys()]) this.flushStream(this.urgent, stream);
  }

  private flushStream(lane: Map<string, Pending>, stream: string): void {
    const batch = lane.get(stream);
    if (!batch) return;
    lane.delete(stream);
    // folded moves count once in the entry but were counted one by one on the way in
    const accepted = batch.events.reduce((n, e) => n + (e.k === 'move' ? (e.n ?? 1) : 1), 0);
    this.perEntry = this.perEntry * 0.9 + accepted * 0.1;
    this.wroteAt.set(stream, Date.now());
    const write = this.store(stream, entryFields(this.nodeId, Date.now(), batch.events))
      .then(
        () => batch.waiters.forEach((w) => w()),
        (err: unknown) => {
          const error = new Error(
            `XADD of ${batch.events.length} events to ${stream} failed: ${err instanceof Error ? err.message : String(err)}`,
          );
          this.onError?.(error);
          batch.waiters.forEach((w) => w(error));
        },
      )
      .finally(() => {
        this.inFlight.delete(write);
        this.unwritten -= accepted;
      });
    this.inFlight.add(write);
  }

  /** XADD, and where replicas are asked for, WAIT on the same connection (the stream's master). */
  private async store(stream: string, fields: string[]): Promise<void> {
    const { ackReplicas, ackTimeoutMs } = this.durability();
    if (ackReplicas <= 0) {
      await this.redis.xadd(stream, '*', ...fields);
      return;
    }
    const res = await this.redis
      .pipeline()
      .xadd(stream, '*', ...fields)
      .wait(ackReplicas, ackTimeoutMs)
      .exec();
    const [added, waited] = res ?? [];
    if (!added || !waited) throw new Error('the XADD and WAIT pipeline returned no replies');
    if (added[0]) throw added[0];
    if (waited[0]) throw waited[0];
    const replicas = Number(waited[1]);
    if (replicas < ackReplicas)
      throw new Error(
        `the entry reached ${replicas} of ${ackReplicas} replicas within ${ackTimeoutMs} ms: not acknowledged (it may still apply)`,
      );
  }

  get epoch(): Epoch {
    return this.route;
  }

  /** Events accepted and not yet written to Redis. */
  get queued(): number {
    return this.unwritten;
  }

  /** Average events per stream entry written lately. */
  get eventsPerEntry(): number {
    return this.perEntry;
  }

  /** The streams this node writes to now. */
  streams(): string[] {
    return Array.from({ length: this.route.partitions }, (_, p) => this.keys.stream(this.route.epoch, p));
  }

  /** Whether this node wrote to the stream within the last `ms`. */
  wroteWithin(stream: string, ms: number): boolean {
    return Date.now() - (this.wroteAt.get(stream) ?? -Infinity) <= ms;
  }

  /**
   * Moves to a new routing epoch: what is queued goes out under the old one, new events go to
   * the new one, and this resolves once no write to the old epoch is in flight, so the node
   * may then report the new routing version (which lets shards close the old epoch).
   */
  async switchTo(next: Epoch): Promise<void> {
    if (next.epoch === this.route.epoch) return;
    this.flush();
    this.route = next;
    this.partitionStreams = this.streams();
    this.huntRoutes.clear();
    this.wroteAt.clear();
    await Promise.all([...this.inFlight]);
  }

  /** Writes what is queued and waits for every write in flight. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.all([...this.inFlight]);
  }
}
