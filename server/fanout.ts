/**
 * The front node's side of pub/sub: one subscriber (a connection it owns; on a cluster, one
 * per master) on the sharded channels of the hunts its players are in. A hunt's channel
 * carries its deltas, status changes and kicks; the replies to this node's players come on
 * its own reply channel of the hunt (replies.ts). Leaderboard
 * deltas are forwarded in `seq` order; a gap (a message pub/sub dropped) is repaired from
 * the hunt's delta log before the next delta goes out.
 *
 * Reconnect replays (`since`) come from the node's ring of the hunt's recent deltas where it
 * reaches back far enough, else from one bounded read of the log's tail (identical reads in
 * flight share one), and are never longer than REPLAY_MAX: past it, a fresh welcome is cheaper.
 */
import type { RedisClient } from '../redis/index.js';
import type { Logger } from 'pino';
import { isRecord, type LbDelta } from '../protocol/index.js';
import { closeSubscriber, subscriberOf } from '../redis/index.js';
import { isLbDelta, readBoardDelta, type HuntStore, type Keys } from '../rooms/index.js';
import type { ReplyChannels } from './replies.js';

/** Where a replay's deltas came from (the label of hunt_replay_reads_total). */
export type ReplaySource = 'ring' | 'redis' | 'shared';

/**
 * Where a delta heard puts the board: `seq`, the clients' (the last client delta's, for board
 * values alone), and `board`, the board's own change count (meta `zseq`), which a rank index
 * follows without a gap; null when the message did not say (an older shard, a plain `lb`).
 */
export interface BoardAt {
  seq: number;
  board: number | null;
}

/** A replay: the deltas after the client's `since` as sent (JSON), up to seq `upTo`. */
export interface Replay {
  upTo: number;
  raw: string[];
}

export interface FanoutSink {
  /** send to every player of the hunt on this node (a uWS topic publish) */
  toHunt(hunt: string, json: string): void;
  /** a reply from a shard to one player (sent only where the player has a socket) */
  toPlayer(player: string, message: Record<string, unknown>, except?: string): void;
  /** the game master removed a player */
  kick(hunt: string, player: string): void;
  /** sockets (by id across nodes) whose players opened more than limits.socketsPerPlayer: each node closes its own */
  drop?(sockets: readonly string[]): void;
  /** send to the members of one team of the hunt on this node */
  toTeam(hunt: string, team: string, json: string): void;
  /** send to the game masters following the hunt live on this node (help requests, messages sent) */
  toGms(hunt: string, kind: 'help' | 'message', json: string): void;
}

interface HuntSub {
  refs: number;
  ready: Promise<unknown>;
  lastSeq: number | null;
  /** the deltas forwarded last, oldest first, as sent */
  recent: { seq: number; raw: string }[];
  chain: Promise<void>;
  /** status changes heard so far, and the last one as sent */
  statuses: number;
  lastStatus: string | undefined;
  /** hunt-wide puzzle notices heard (`puzzle` added or opened, `closed`), and the last few as sent */
  notices: number;
  recentNotices: string[];
  /** set while no socket of the hunt is left on this node: the unsubscribe waits for it */
  linger: NodeJS.Timeout | undefined;
}

const RECENT = 256;
/** Puzzle notices a hunt keeps for sockets that join just after one went out. */
const RECENT_NOTICES = 32;
/** Most deltas a reconnect replays; a client further behind gets a fresh welcome. */
export const REPLAY_MAX = RECENT;
/**
 * How long a hunt stays subscribed after its last socket on this node left: a player who comes
 * back (a phone between cells, a reload) finds the ring and the rank index warm instead of
 * costing a subscribe and a read of the whole board.
 */
export const LINGER_MS = 30_000;

/** What a Fanout is built from. */
export interface FanoutDeps {
  /** the node's Redis; the Fanout makes (and closes) its own subscriber from it */
  redis: RedisClient;
  keys: Keys;
  store: HuntStore;
  sink: FanoutSink;
  log: Logger;
  /** told of each replay: where its deltas came from and how many were read from Redis */
  onReplay?: (source: ReplaySource, deltasRead: number) => void;
  /** this node's reply channels (see replies.ts), subscribed with each hunt's channel */
  replies?: ReplyChannels;
  /** told of every delta heard, in channel order, with the board values it changed (null: a delta without them) */
  onBoard?: (hunt: string, at: BoardAt, values: Map<string, number | null> | null) => void;
  /** @default LINGER_MS */
  lingerMs?: number;
}

export class Fanout {
  private readonly sub: RedisClient;
  private readonly hunts = new Map<string, HuntSub>();
  private closing: Promise<void> | undefined;
  /** replay reads from Redis in flight, by hunt and since: a reconnect storm makes one read per distinct since */
  private readonly reading = new Map<string, Promise<Replay | null>>();
  private readonly keys: Keys;
  private readonly store: HuntStore;
  private readonly sink: FanoutSink;
  private readonly log: Logger;
  private readonly onReplay: NonNullable<FanoutDeps['onReplay']>;
  private readonly replies: ReplyChannels | undefined;
  private readonly onBoard: NonNullable<FanoutDeps['onBoard']>;
  private readonly lingerMs: number;

  constructor(deps: FanoutDeps) {
    ({ keys: this.keys, store: this.store, sink: this.sink, log: this.log, replies: this.replies } = deps);
    this.onReplay = deps.onReplay ?? (() => undefined);
    this.onBoard = deps.onBoard ?? (() => undefined);
    this.lingerMs = deps.lingerMs ?? LINGER_MS;
    this.sub = subscriberOf(deps.redis);
    this.sub.on('error', (err: Error) => this.log.warn({ err: err.message }, 'subscriber connection error'));
    this.sub.on('smessage', (channel: string, message: string) => this.onMessage(channel, message));
  }

  /** Subscribes to a hunt's channel (counted); resolves once messages will arrive. */
  join(hunt: string): Promise<unknown> {
    let st = this.hunts.get(hunt);
    if (!st) {
      st = {
        refs: 0,
        ready: this.sub.ssubscribe(...this.channelsOf(hunt)),
        lastSeq: null,
        recent: [],
        chain: Promise.resolve(),
        statuses: 0,
        lastStatus: undefined,
        notices: 0,
        recentNotices: [],
        linger: undefined,
      };
      this.hunts.set(hunt, st);
    }
    clearTimeout(st.linger);
    st.linger = undefined;
    st.refs++;
    return st.ready;
  }

  /** A socket of the hunt left; the last one's leaving unsubscribes after LINGER_MS unless another joins. */
  leave(hunt: string): void {
    const st = this.hunts.get(hunt);
    if (!st) return;
    if (--st.refs > 0) return;
    st.linger = setTimeout(() => {
      if (st.refs > 0 || this.hunts.get(hunt) !== st) return;
      this.hunts.delete(hunt);
      this.sub
        .sunsubscribe(...this.channelsOf(hunt))
        .catch((err: unknown) => this.log.warn({ err, hunt }, 'unsubscribe failed'));
    }, this.lingerMs);
    st.linger.unref();
  }

  /** The hunt's channel and this node's reply channel of it: one slot, one subscribe. */
  private channelsOf(hunt: string): string[] {
    const own = this.keys.huntChannel(hunt);
    return this.replies ? [own, this.replies.of(hunt)] : [own];
  }

  /**
   * Brings this node's forwarding of a hunt up to `seq` before a socket welcomed at `seq` joins
   * the hunt's topic: deltas up to `seq` that pub/sub has not brought yet are read from the log
   * and sent first, and none at or below `seq` is sent after. So no socket sees seq go back.
   */
  catchUp(hunt: string, seq: number): Promise<void> {
    const st = this.hunts.get(hunt);
    if (!st) return Promise.resolve();
    const done = st.chain.then(async () => {
      if (st.lastSeq !== null && st.lastSeq < seq) {
        const from = st.lastSeq;
        for (const d of (await this.store.board.deltasSince(hunt, from)) ?? [])
          if (d.seq <= seq && d.seq > (st.lastSeq ?? from)) this.emit(hunt, st, d, JSON.stringify(d));
      }
      if (st.lastSeq === null || st.lastSeq < seq) st.lastSeq = seq;
    });
    st.chain = done.catch((err: unknown) => this.log.error({ err, hunt }, 'delta catch-up failed'));
    return done;
  }

  /** Why this node cannot hear its hunts now (the subscriber connection is down), or null. */
  problem(): string | null {
    return this.sub.status === 'ready' || this.closing
      ? null
      : `the pub/sub subscriber connection is ${this.sub.status}`;
  }

  /** A mark to give `noticesSince` later: how many puzzle notices of the hunt this node has heard. */
  noticeMark(hunt: string): number {
    return this.hunts.get(hunt)?.notices ?? 0;
  }

  /**
   * Puzzle notices heard after `mark` (taken before a welcome was read), oldest first: a socket
   * that joins the topic after one went out still gets it (at most the last RECENT_NOTICES).
   */
  noticesSince(hunt: string, mark: number): string[] {
    const st = this.hunts.get(hunt);
    if (!st || st.notices <= mark) return [];
    return st.recentNotices.slice(-Math.min(st.notices - mark, st.recentNotices.length));
  }

  /** A mark to give `statusSince` later: how many status changes of the hunt this node has heard. */
  statusMark(hunt: string): number {
    return this.hunts.get(hunt)?.statuses ?? 0;
  }

  /**
   * The hunt's last status change if one was heard after `mark` (taken before a welcome was
   * read): a socket that joins the topic after that change went out still gets it.
   */
  statusSince(hunt: string, mark: number): string | undefined {
    const st = this.hunts.get(hunt);
    return st && st.statuses > mark ? st.lastStatus : undefined;
  }

  /** Deltas of the hunt this node has forwarded with seq above `seq`, in order, as sent. */
  recentSince(hunt: string, seq: number): string[] {
    const out: string[] = [];
    for (const d of this.hunts.get(hunt)?.recent ?? []) if (d.seq > seq) out.push(d.raw);
    return out;
  }

  /**
   * The deltas after `since` for a reconnecting client, or null when a fresh welcome must do
   * (the log no longer reaches back, or they are more than REPLAY_MAX). From this node's ring
   * where it holds them all without a gap; else one read of just those deltas, shared with
   * the identical reads in flight.
   */
  replay(hunt: string, since: number): Promise<Replay | null> {
    const ring = this.fromRing(hunt, since);
    if (ring) {
      this.onReplay('ring', 0);
      return Promise.resolve(ring);
    }
    const key = `${hunt}:${since}`;
    const inFlight = this.reading.get(key);
    if (inFlight) {
      this.onReplay('shared', 0);
      return inFlight;
    }
    const read = this.store.board.deltasAfter(hunt, since, REPLAY_MAX).then(({ last, raw }) => {
      this.onReplay('redis', raw?.length ?? 0);
      return raw === null ? null : { upTo: raw.length ? last : since, raw };
    });
    this.reading.set(key, read);
    const forget = (): void => void this.reading.delete(key);
    read.then(forget, forget);
    return read;
  }

  private fromRing(hunt: string, since: number): Replay | undefined {
    const st = this.hunts.get(hunt);
    if (!st || st.lastSeq === null || since > st.lastSeq) return undefined;
    if (since === st.lastSeq) return { upTo: since, raw: [] };
    const ring = st.recent;
    const head = ring[0];
    const tail = ring.at(-1);
    if (!head || !tail || tail.seq !== st.lastSeq) return undefined;
    const at = since + 1 - head.seq;
    // the ring holds seq since+1 … lastSeq with none missing (a repair that found the log too short leaves a gap)
    if (at < 0 || ring[at]?.seq !== since + 1 || tail.seq - (since + 1) !== ring.length - 1 - at) return undefined;
    return { upTo: tail.seq, raw: ring.slice(at).map((d) => d.raw) };
  }

  private onMessage(channel: string, message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      parsed = undefined;
    }
    if (!isRecord(parsed)) {
      this.log.warn({ channel }, 'unreadable pub/sub message');
      return;
    }
    const hunt = this.keys.huntOfChannel(channel) ?? this.replies?.huntOf(channel);
    const st = hunt === undefined ? undefined : this.hunts.get(hunt);
    if (hunt === undefined || !st) return;
    if (parsed.t === 'delta') {
      // the shard's form: the clients' delta (sent as logged) and the board values for the rank index
      const board = readBoardDelta(parsed);
      if (!board) return this.log.warn({ channel }, 'unreadable delta');
      this.onBoard(hunt, { seq: board.seq, board: board.zseq }, board.zseq === null ? null : board.values);
      // board values alone (nothing clients are shown changed): for the rank index only
      const { delta, raw } = board;
      if (delta === null || raw === null) return;
      st.chain = st.chain
        .then(() => this.forwardDelta(hunt, st, delta, raw))
        .catch((err: unknown) => this.log.error({ err, hunt }, 'delta forward failed'));
    } else if (isLbDelta(parsed)) {
      const delta = parsed;
      this.onBoard(hunt, { seq: delta.seq, board: null }, null);
      st.chain = st.chain
        .then(() => this.forwardDelta(hunt, st, delta, message))
        .catch((err: unknown) => this.log.error({ err, hunt }, 'delta forward failed'));
    } else if (parsed.t === 'kick' && typeof parsed.player === 'string') {
      this.sink.kick(hunt, parsed.player);
    } else if (parsed.t === 'drop' && Array.isArray(parsed.sockets)) {
      this.sink.drop?.(parsed.sockets.filter((s): s is string => typeof s === 'string'));
    } else if (parsed.t === 'hunt') {
      st.statuses++;
      st.lastStatus = message;
      this.sink.toHunt(hunt, message);
    } else if (parsed.t === 'puzzle' || parsed.t === 'closed') {
      // a puzzle added or opened for everybody, or closed: every player of the hunt on this node
      st.notices++;
      st.recentNotices.push(message);
      if (st.recentNotices.length > RECENT_NOTICES) st.recentNotices.shift();
      this.sink.toHunt(hunt, message);
    } else if (parsed.t === 'reply' && typeof parsed.p === 'string' && isRecord(parsed.m)) {
      // `p` a player, or a team (its members; `x` a member who is not sent it)
      this.sink.toPlayer(parsed.p, parsed.m, typeof parsed.x === 'string' ? parsed.x : undefined);
    } else if (parsed.t === 'message') {
      this.deliverMessage(hunt, parsed, message);
    } else if (parsed.t === 'help') {
      this.sink.toGms(hunt, 'help', message);
    }
  }

  /** A game master's message: to everyone, one team or one player, as its `to` says; and to the consoles. */
  private deliverMessage(hunt: string, parsed: Record<string, unknown>, raw: string): void {
    const to = parsed.to;
    if (to === undefined) this.sink.toHunt(hunt, raw);
    else if (isRecord(to) && typeof to.team === 'string') this.sink.toTeam(hunt, to.team, raw);
    else if (isRecord(to) && typeof to.player === 'string') this.sink.toPlayer(to.player, parsed);
    this.sink.toGms(hunt, 'message', raw);
  }

  private async forwardDelta(hunt: string, st: HuntSub, delta: LbDelta, raw: string): Promise<void> {
    if (st.lastSeq !== null && delta.seq <= st.lastSeq) return;
    if (st.lastSeq !== null && delta.seq > st.lastSeq + 1) {
      const from = st.lastSeq;
      const missed = (await this.store.board.deltasSince(hunt, from)) ?? [];
      this.log.warn({ hunt, from, to: delta.seq, repaired: missed.length }, 'delta gap repaired from the log');
      for (const d of missed)
        if (d.seq < delta.seq && d.seq > (st.lastSeq ?? 0)) this.emit(hunt, st, d, JSON.stringify(d));
    }
    this.emit(hunt, st, delta, raw);
  }

  private emit(hunt: string, st: HuntSub, delta: LbDelta, raw: string): void {
    st.lastSeq = delta.seq;
    st.recent.push({ seq: delta.seq, raw });
    if (st.recent.length > RECENT) st.recent.shift();
    this.sink.toHunt(hunt, raw);
  }

  close(): Promise<void> {
    for (const st of this.hunts.values()) clearTimeout(st.linger);
    this.closing ??= closeSubscriber(this.sub);
    return this.closing;
  }
}
