/**
 * Who sends what at a front node: one entry per player (across all of its sockets on this node
 * and `POST /api/events`) and one per client address. A player's entry holds its token bucket,
 * so opening more sockets buys no more messages; every entry keeps a decaying count of what it
 * sent lately, so that a node that must shed refuses the heaviest senders first (see
 * admission.ts). Entries with no socket are forgotten once idle. Each node keeps its own: a
 * player with sockets on two nodes has a bucket on each.
 */
import type { LimitsConfig } from '../config/index.js';

/** How fast the recent count forgets, ms: a message counts e^-1 after this long. */
const RATE_TAU_MS = 2000;
/** An entry with no socket that sent nothing for this long is dropped. */
const IDLE_MS = 60_000;
/** A sender is heavy when it sends this many times the mean of its group, or more. */
const HEAVY_FACTOR = 1.5;
/**
 * ... and more than this many messages lately (decayed with RATE_TAU_MS: about two a second,
 * kept up): in a big hunt whose players each send a move every few seconds the group's mean is
 * well under one, so without a floor the player sending now would count as heavy.
 */
export const HEAVY_FLOOR = 4;

export class Sender {
  /** token bucket (players only) */
  tokens: number;
  refilledAt: number;
  /** messages sent lately, decayed with RATE_TAU_MS, as of `recentAt` */
  recent = 0;
  recentAt: number;
  /** open sockets on this node that hold this entry */
  sockets = 0;
  readonly key: string;
  readonly group: SenderGroup;

  /** A sender of `group` under `key`, its bucket full with `burst` tokens at `now`. */
  constructor(init: { key: string; group: SenderGroup; burst: number; now: number }) {
    const { burst, now } = init;
    this.key = init.key;
    this.group = init.group;
    this.tokens = burst;
    this.refilledAt = now;
    this.recentAt = now;
  }
}

/** Entries of one kind (players, or addresses) and the decayed sum of what they all sent. */
export class SenderGroup {
  readonly entries = new Map<string, Sender>();
  private total = 0;
  private totalAt = 0;

  constructor(private readonly burst: () => number) {}

  /** The entry of `key`, made with a full bucket when there is none. */
  get(key: string, now = Date.now()): Sender {
    let s = this.entries.get(key);
    if (!s) this.entries.set(key, (s = new Sender({ key, group: this, burst: this.burst(), now })));
    return s;
  }

  /** Counts `n` messages from `s` in its recent rate and the group's. */
  count(s: Sender, n: number, now: number): void {
    s.recent = decayed(s.recent, now - s.recentAt) + n;
    s.recentAt = now;
    this.total = decayed(this.total, now - this.totalAt) + n;
    this.totalAt = now;
  }

  /** Sends at least HEAVY_FACTOR times the group's mean, lately: first to be refused when shedding. */
  heavy(s: Sender, now: number): boolean {
    const mine = decayed(s.recent, now - s.recentAt);
    const mean = decayed(this.total, now - this.totalAt) / Math.max(1, this.entries.size);
    return mine > HEAVY_FLOOR && mine >= HEAVY_FACTOR * mean;
  }

  /** Drops entries that hold no socket and sent nothing lately. */
  sweep(now: number): void {
    for (const [key, s] of this.entries)
      if (s.sockets === 0 && now - Math.max(s.recentAt, s.refilledAt) > IDLE_MS) this.entries.delete(key);
  }
}

function decayed(value: number, ageMs: number): number {
  return ageMs <= 0 ? value : value * Math.exp(-ageMs / RATE_TAU_MS);
}

/** A message's sender as admission sees it: its player and, where known, its address. */
export interface From {
  player: Sender;
  address?: Sender | undefined;
}

export class Senders {
  readonly players: SenderGroup;
  readonly addresses: SenderGroup;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly limits: () => LimitsConfig) {
    this.players = new SenderGroup(() => this.limits().burst);
    this.addresses = new SenderGroup(() => 0);
  }

  start(): void {
    this.timer = setInterval(() => {
      const now = Date.now();
      this.players.sweep(now);
      this.addresses.sweep(now);
    }, 10_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * Takes `n` messages from the player's bucket (a batch larger than the bucket takes all of it);
   * false, taking nothing, when there are not enough. Counted in the recent rates either way.
   */
  take(from: From, n = 1, now = Date.now()): boolean {
    const limits = this.limits();
    const s = from.player;
    s.tokens = Math.min(limits.burst, s.tokens + ((now - s.refilledAt) / 1000) * limits.messagesPerSecond);
    s.refilledAt = now;
    this.players.count(s, n, now);
    if (from.address) this.addresses.count(from.address, n, now);
    const cost = Math.min(n, limits.burst);
    if (s.tokens < cost) return false;
    s.tokens -= cost;
    return true;
  }

  /** How long until the player's bucket holds `n` messages again, ms. */
  waitMs(s: Sender, n = 1): number {
    const limits = this.limits();
    const missing = Math.min(n, limits.burst) - s.tokens;
    return missing <= 0 ? 0 : Math.ceil((missing / limits.messagesPerSecond) * 1000);
  }
}

/** Whether a sender is among the heaviest of its player or address group, lately. */
export function isHeavy(from: From, now = Date.now()): boolean {
  return (
    from.player.group.heavy(from.player, now) ||
    (from.address !== undefined && from.address.group.heavy(from.address, now))
  );
}
