/**
 * The field as game masters see it: each player's last position (written by the shard as moves
 * are applied, with the time) and who is online (front nodes mark the players whose sockets they
 * hold, refreshed while they stay; a mark older than ONLINE_TTL_MS reads as offline, so a node
 * that dies takes its players offline within that time).
 */
import { z } from 'zod';
import type { RedisClient } from '../redis/index.js';
import { HuntError, type PlayerPosition } from '../protocol/index.js';
import type { Keys } from './keys.js';
import { markOnline } from './scripts.js';
import { execReplies, stringHash, stringList } from './stored.js';

/** Players one mark-online call takes. */
const MARK_CHUNK = 1000;

/** A player counts as online while a front node marked them within this long. */
export const ONLINE_TTL_MS = 15_000;
/** How often a front node marks again the players whose sockets it holds. */
export const PRESENCE_REFRESH_MS = 5_000;

const playerRecord = z.object({ name: z.string(), removed: z.boolean().optional(), team: z.string().optional() });

function record(raw: string): z.infer<typeof playerRecord> | null {
  try {
    const parsed = playerRecord.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export class HuntField {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** The last known position of every active player who has moved, with its time and online state. */
  async positions(hunt: string, now = Date.now()): Promise<PlayerPosition[]> {
    return (await this.field(hunt, now)).players;
  }

  /** The positions, and every player online now (whether they moved or not). */
  async field(hunt: string, now = Date.now()): Promise<{ players: PlayerPosition[]; online: string[] }> {
    const k = this.keys.hunt(hunt);
    const out = await this.redis
      .multi()
      .exists(k.meta)
      .hgetall(k.positions)
      .hgetall(k.movedAt)
      .hgetall(k.players)
      .zrangebyscore(k.online, now - ONLINE_TTL_MS, '+inf')
      .exec();
    const [exists, ...hashes] = execReplies(out, `reading the positions of hunt ${hunt}`);
    const positions = stringHash.parse(hashes[0]);
    const movedAt = stringHash.parse(hashes[1]);
    const players = stringHash.parse(hashes[2]);
    const online = stringList.parse(hashes[3]);
    if (exists === 0) throw new HuntError('HUNT_NOT_FOUND');
    const onlineSet = new Set(online);
    const list: PlayerPosition[] = [];
    for (const [player, where] of Object.entries(positions)) {
      const rec = players[player] === undefined ? null : record(players[player]);
      if (!rec || rec.removed) continue;
      const [lat = NaN, lng = NaN] = where.split(',').map(Number);
      if (!Number.isFinite(lat) || !Number.isFinite(lng)) continue;
      const at = Number(movedAt[player]);
      list.push({
        player,
        name: rec.name,
        ...(rec.team === undefined ? {} : { team: rec.team }),
        lat,
        lng,
        at: new Date(Number.isFinite(at) && at > 0 ? at : 0).toISOString(),
        online: onlineSet.has(player),
      });
    }
    return { players: list.sort((a, b) => a.name.localeCompare(b.name) || a.player.localeCompare(b.player)), online };
  }

  /** Players online at `now`, by a front node's mark. */
  async online(hunt: string, now = Date.now()): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.hunt(hunt).online, now - ONLINE_TTL_MS, '+inf');
  }

  /** Marks players online as of `now` (only in a hunt that exists). */
  async markOnline(hunt: string, players: readonly string[], now = Date.now()): Promise<void> {
    for (let at = 0; at < players.length; at += MARK_CHUNK)
      await markOnline(this.redis, this.keys, hunt, now, players.slice(at, at + MARK_CHUNK));
  }

  /** Marks players offline (their last socket on a node closed). */
  async markOffline(hunt: string, players: readonly string[]): Promise<void> {
    if (players.length === 0) return;
    await this.redis.zrem(this.keys.hunt(hunt).online, ...players);
  }
}
