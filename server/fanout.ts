/**
 * The front node's side of pub/sub: one subscriber connection (a duplicate it owns) that
 * listens to the hunts its players are in and to this node's reply channel. Leaderboard
 * deltas are forwarded in `seq` order; a gap (a message pub/sub dropped) is repaired from
 * the hunt's delta log before the next delta goes out.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { LbDelta } from '../protocol/index.js';
import { closeSubscriber } from '../redis/index.js';
import type { HuntStore, Keys } from '../rooms/index.js';

export interface FanoutSink {
  /** send to every player of the hunt on this node (a uWS topic publish) */
  toHunt(hunt: string, json: string): void;
  /** a reply from a shard for one player on this node; `relayed` when another front passed it on */
  toPlayer(player: string, message: Record<string, unknown>, relayed: boolean): void;
  /** the game master removed a player */
  kick(hunt: string, player: string): void;
}

interface HuntSub {
  refs: number;
  ready: Promise<unknown>;
  lastSeq: number | null;
  recent: LbDelta[];
  chain: Promise<void>;
}

const RECENT = 256;

export class Fanout {
  private readonly sub: Redis;
  private readonly hunts = new Map<string, HuntSub>();
  private readonly huntPrefix: string;
  private readonly nodeChannel: string;
  private closing: Promise<void> | undefined;

  constructor(private readonly redis: Redis, private readonly keys: Keys, nodeId: string, private readonly store: HuntStore, private readonly sink: FanoutSink, private readonly log: Logger) {
    this.sub = redis.duplicate();
    this.sub.on('error', (err: Error) => log.warn({ err: err.message }, 'subscriber connection error'));
    this.huntPrefix = keys.huntChannel('');
    this.nodeChannel = keys.nodeChannel(nodeId);
    this.sub.on('message', (channel: string, message: string) => this.onMessage(channel, message));
  }

  async start(): Promise<void> {
    await this.sub.subscribe(this.nodeChannel);
  }

  /** Subscribes to a hunt's channel (counted); resolves once messages will arrive. */
  join(hunt: string): Promise<unknown> {
    let st = this.hunts.get(hunt);
    if (!st) {
      st = { refs: 0, ready: this.sub.subscribe(this.keys.huntChannel(hunt)), lastSeq: null, recent: [], chain: Promise.resolve() };
      this.hunts.set(hunt, st);
    }
    st.refs++;
    return st.ready;
  }

  leave(hunt: string): void {
    const st = this.hunts.get(hunt);
    if (!st) return;
    if (--st.refs > 0) return;
    this.hunts.delete(hunt);
    this.sub.unsubscribe(this.keys.huntChannel(hunt)).catch((err: unknown) => this.log.warn({ err, hunt }, 'unsubscribe failed'));
  }

  /** Deltas of the hunt this node has forwarded with seq above `seq`, in order. */
  recentSince(hunt: string, seq: number): LbDelta[] {
    return this.hunts.get(hunt)?.recent.filter((d) => d.seq > seq) ?? [];
  }

  private onMessage(channel: string, message: string): void {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(message) as Record<string, unknown>;
    } catch {
      this.log.warn({ channel }, 'unreadable pub/sub message');
      return;
    }
    if (channel === this.nodeChannel) {
      if (typeof parsed.p === 'string' && parsed.m && typeof parsed.m === 'object') this.sink.toPlayer(parsed.p, parsed.m as Record<string, unknown>, false);
      return;
    }
    if (!channel.startsWith(this.huntPrefix)) return;
    const hunt = channel.slice(this.huntPrefix.length);
    const st = this.hunts.get(hunt);
    if (!st) return;
    if (parsed.t === 'lb') {
      const delta = parsed as unknown as LbDelta;
      st.chain = st.chain.then(() => this.forwardDelta(hunt, st, delta, message)).catch((err: unknown) => this.log.error({ err, hunt }, 'delta forward failed'));
    } else if (parsed.t === 'kick' && typeof parsed.player === 'string') {
      this.sink.kick(hunt, parsed.player);
    } else if (parsed.t === 'hunt') {
      this.sink.toHunt(hunt, message);
    } else if (parsed.t === 'relay' && typeof parsed.player === 'string' && parsed.m && typeof parsed.m === 'object') {
      this.sink.toPlayer(parsed.player, parsed.m as Record<string, unknown>, true);
    }
  }

  /**
   * Passes a reply on to whichever front holds the player's socket: the hunt's channel reaches
   * every front with players in the hunt, and only the one with this player's socket sends it.
   */
  relay(hunt: string, player: string, message: Record<string, unknown>): void {
    this.redis.publish(this.keys.huntChannel(hunt), JSON.stringify({ t: 'relay', player, m: message })).catch((err: unknown) => this.log.warn({ err, hunt }, 'reply relay failed'));
  }

  private async forwardDelta(hunt: string, st: HuntSub, delta: LbDelta, raw: string): Promise<void> {
    if (st.lastSeq !== null && delta.seq <= st.lastSeq) return;
    if (st.lastSeq !== null && delta.seq > st.lastSeq + 1) {
      const from = st.lastSeq;
      const missed = (await this.store.board.deltasSince(hunt, from)) ?? [];
      this.log.warn({ hunt, from, to: delta.seq, repaired: missed.length }, 'delta gap repaired from the log');
      for (const d of missed) if (d.seq < delta.seq && d.seq > (st.lastSeq ?? 0)) this.emit(hunt, st, d, JSON.stringify(d));
    }
    this.emit(hunt, st, delta, raw);
  }

  private emit(hunt: string, st: HuntSub, delta: LbDelta, raw: string): void {
    st.lastSeq = delta.seq;
    st.recent.push(delta);
    if (st.recent.length > RECENT) st.recent.shift();
    this.sink.toHunt(hunt, raw);
  }

  close(): Promise<void> {
    this.closing ??= closeSubscriber(this.sub);
    return this.closing;
  }
}
