/**
 * The lean path for moves. A partition consumer reading new entries folds each hunt's moves in
 * memory (per player: how many, and the last position) and writes them every `flushMs`, per
 * hunt, in script calls of at most 500 players; the entries are acknowledged only after that
 * write, so a shard that dies loses nothing (its successor re-reads them, one by one). Every move
 * is checked here against the hunt's located puzzles through a grid (`place-index.ts`: only the
 * places of the move's cell), so an unlock costs Redis nothing until it happens, and a move that
 * comes within a place the player was not within at their last move (`reach-memory.ts`, bounded
 * per player) is written at once (with everything folded so far): the window delays positions
 * and counts, never an unlock. A `checkin` puzzle's place is checked the same
 * way, and reaching it solves the puzzle (once: the script keeps the solve); a check-in still
 * locked (its `after` unsolved, its time not come) is tried again at most every RETRY_REFUSED_MS.
 */
import type { Logger } from 'pino';
import type { RedisClient } from '../redis/index.js';
import type { StreamEvent } from './events.js';
import type { Keys } from './keys.js';
import { flushMoves, type FoldedMove } from './scripts.js';
import { PlaceIndex, type Place } from './place-index.js';
import { ReachMemory } from './reach-memory.js';

type Move = Extract<StreamEvent, { k: 'move' }>;

interface HuntFold {
  lastSid: string;
  /** the fence lane of the partition these moves were read from */
  lane: string;
  moves: Map<string, FoldedMove>;
  reaches: Map<string, { player: string; puzzle: string; node: string }>;
}

/** How long a hunt's located puzzles are trusted before they are read again. */
const PLACES_TTL_MS = 5000;
/** How long a check-in refused for now (still locked) waits before a move may try it again. */
const RETRY_REFUSED_MS = 2000;

export { distanceM } from './place-index.js';

/** What a MoveFolder is built from. */
export interface MoveFolderDeps {
  redis: RedisClient;
  keys: Keys;
  log: Logger;
  /** how long new moves are folded in memory before they are written, ms */
  flushMs: () => number;
  /** told how many moves each flush wrote */
  applied: (moves: number) => void;
  /** ScriptParams in force, as JSON (check-ins score) @default `() => '{}'` */
  params?: () => string;
  /** told of hunts whose delta waits for the fan-out tick @default nothing */
  pending?: (hunt: string) => void;
}

export class MoveFolder {
  private folds = new Map<string, HuntFold>();
  /** per hunt, its places as read (`sig`) and their grid, built again only when they change */
  private readonly places = new Map<string, { at: number; sig: string; index: PlaceIndex }>();
  private waiting: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** the places each player was within at their last move: a reach is news when they come in */
  private readonly memory = new ReachMemory();
  /** per hunt, check-ins refused for now (`player:puzzle` -> when they may be tried again) */
  private readonly refused = new Map<string, Map<string, number>>();

  private readonly redis: RedisClient;
  private readonly keys: Keys;
  private readonly log: Logger;
  private readonly flushMs: () => number;
  private readonly applied: (moves: number) => void;
  private readonly params: () => string;
  private readonly pending: (hunt: string) => void;

  constructor(deps: MoveFolderDeps) {
    this.redis = deps.redis;
    this.keys = deps.keys;
    this.log = deps.log;
    this.flushMs = deps.flushMs;
    this.applied = deps.applied;
    this.params = deps.params ?? (() => '{}');
    this.pending = deps.pending ?? (() => undefined);
  }

  /** Reads the located puzzles of these hunts where not known (or stale). */
  async prepare(hunts: Iterable<string>): Promise<void> {
    const now = Date.now();
    const stale = [...new Set(hunts)].filter((h) => (this.places.get(h)?.at ?? 0) < now - PLACES_TTL_MS);
    await Promise.all(
      stale.map(async (hunt) => {
        const k = this.keys.hunt(hunt);
        const [located, checkins] = await Promise.all([
          this.redis.hgetall(k.locations),
          this.redis.hgetall(k.checkins),
        ]);
        const entries = [...Object.entries(located), ...Object.entries(checkins)];
        const sig = JSON.stringify(entries);
        const known = this.places.get(hunt);
        if (known?.sig === sig) {
          known.at = now;
          return;
        }
        const list: Place[] = [];
        for (const [puzzle, where] of entries) {
          const [lat = NaN, lng = NaN, radius = NaN] = where.split(',').map(Number);
          if (Number.isFinite(lat) && Number.isFinite(lng) && Number.isFinite(radius))
            list.push({ puzzle, lat, lng, radius });
        }
        this.places.set(hunt, { at: now, sig, index: new PlaceIndex(list) });
        const oldest = this.places.keys().next();
        if (this.places.size > 10_000 && !oldest.done) this.places.delete(oldest.value);
      }),
    );
  }

  /**
   * Folds one stream item's moves (in stream order); resolves once they are written. `lane` is
   * the fence lane of the partition they were read from (`moveLane`).
   */
  fold(hunt: string, sid: string, node: string, moves: readonly Move[], lane = 'm'): Promise<void> {
    let f = this.folds.get(hunt);
    if (!f) this.folds.set(hunt, (f = { lastSid: sid, lane, moves: new Map(), reaches: new Map() }));
    f.lastSid = sid;
    const places = this.places.get(hunt)?.index;
    const refused = this.refused.get(hunt);
    const now = Date.now();
    let reached = false;
    for (const ev of moves) {
      const n = ev.n ?? 1;
      const m = f.moves.get(ev.p);
      if (m) {
        m.n += n;
        m.lat = ev.lat;
        m.lng = ev.lng;
      } else {
        f.moves.set(ev.p, { player: ev.p, lat: ev.lat, lng: ev.lng, n });
      }
      if (!places || places.size === 0) continue;
      const within = places.within(ev.lat, ev.lng).map((place) => place.puzzle);
      for (const puzzle of this.memory.entered(hunt, ev.p, within)) {
        const key = `${ev.p}:${puzzle}`;
        if (f.reaches.has(key)) continue;
        if ((refused?.get(key) ?? 0) > now) {
          this.memory.forget(hunt, ev.p, puzzle); // a later move within tries it again
          continue;
        }
        f.reaches.set(key, { player: ev.p, puzzle, node });
        reached = true;
      }
    }
    if (reached) {
      // an unlock does not wait out the window: this flush goes at the next turn, with every move folded so far
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.flush(), 0);
    } else this.timer ??= setTimeout(() => void this.flush(), this.flushMs());
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Writes everything folded so far; every fold waiting on it settles. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const folds = this.folds;
    const waiting = this.waiting;
    this.folds = new Map();
    this.waiting = [];
    this.flushing = this.flushing.then(async () => {
      try {
        const at = { now: Date.now(), params: this.params() };
        const results = await Promise.all(
          [...folds].map(([hunt, f]) =>
            flushMoves(this.redis, this.keys, hunt, f.lastSid, [...f.moves.values()], [...f.reaches.values()], {
              ...at,
              lane: f.lane,
            }),
          ),
        );
        this.applied(results.reduce((sum, r) => sum + r.moves, 0));
        // a check-in refused for now (still locked) is tried again by a later move within
        [...folds].forEach(([hunt, f], i) => {
          const r = results[i];
          if (r?.seq === -1) this.pending(hunt);
          if (!r || r.refused.length === 0) return;
          for (const key of r.refused) {
            const reach = f.reaches.get(key);
            if (reach) this.memory.forget(hunt, reach.player, reach.puzzle);
          }
          this.retryLater(hunt, new Set(r.refused), at.now + RETRY_REFUSED_MS);
        });
        for (const w of waiting) w.resolve();
      } catch (err) {
        this.log.warn({ err }, 'move flush failed; the entries stay pending');
        for (const w of waiting) w.reject(err);
      }
    });
    return this.flushing;
  }

  private retryLater(hunt: string, keys: Set<string>, at: number): void {
    let map = this.refused.get(hunt);
    if (!map) this.refused.set(hunt, (map = new Map()));
    if (map.size > 10_000) map.clear();
    for (const key of keys) map.set(key, at);
  }
}
