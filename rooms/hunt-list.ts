/**
 * Hunts a page at a time, newest first, for `GET /api/hunts?cursor=&limit=`: an index sorted by
 * creation time (`Keys.huntsByTime`, members `<createdAt, 15 digits>:<id>` at score 0, so
 * ZREVRANGEBYLEX pages through them exactly, ties and all). The cursor is the last member of
 * the page before. Hunts made before the index existed are added to it on the first list.
 */
import type { RedisClient } from '../redis/index.js';
import { HuntError, type HuntStatus } from '../protocol/index.js';
import type { Keys } from './keys.js';
import { huntStatus } from './stored.js';

export interface HuntRow {
  id: string;
  name: string;
  status: HuntStatus;
  players: number;
}

export interface HuntPage {
  hunts: HuntRow[];
  /** give it as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

/** Default and largest page. */
export const HUNT_PAGE = { default: 50, max: 200 } as const;

const CURSOR = /^\d{15}:[A-Za-z0-9]{1,64}$/;

/** The index member of a hunt: sorts by creation time, then id. */
export function timeMember(createdAt: number, id: string): string {
  return `${String(Math.max(0, Math.floor(createdAt))).padStart(15, '0')}:${id}`;
}

/** Reads `cursor` and `limit` from a query; a malformed one is VALIDATION_FAILED. */
export function pageQuery(query: URLSearchParams): { cursor: string | undefined; limit: number } {
  const cursor = query.get('cursor') ?? undefined;
  if (cursor !== undefined && cursor !== '' && !CURSOR.test(cursor))
    throw new HuntError('VALIDATION_FAILED', '`cursor` must be a nextCursor from an earlier page');
  const raw = query.get('limit');
  const limit = raw === null ? HUNT_PAGE.default : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > HUNT_PAGE.max)
    throw new HuntError('VALIDATION_FAILED', `\`limit\` must be an integer from 1 to ${HUNT_PAGE.max}`);
  return { cursor: cursor || undefined, limit };
}

/** Adds hunts listed in the old index but missing from the time index (made before it existed). */
async function backfill(redis: RedisClient, keys: Keys): Promise<void> {
  const [indexed, all] = await Promise.all([redis.zcard(keys.huntsByTime), redis.scard(keys.huntIndex)]);
  if (indexed >= all) return;
  const ids = await redis.smembers(keys.huntIndex);
  const created = await Promise.all(ids.map((id) => redis.hget(keys.hunt(id).meta, 'createdAt')));
  const args: (string | number)[] = [];
  ids.forEach((id, i) => args.push(0, timeMember(Number(created[i] ?? 0), id)));
  for (let at = 0; at < args.length; at += 2000) await redis.zadd(keys.huntsByTime, 'NX', ...args.slice(at, at + 2000));
}

/**
 * One page of hunts, newest first. `only`: the hunts the caller may see (a game master's own);
 * without it, every hunt.
 */
export async function huntPage(
  redis: RedisClient,
  keys: Keys,
  opts: { cursor?: string | undefined; limit: number; only?: readonly string[] | undefined },
): Promise<HuntPage> {
  let members: string[];
  if (opts.only) {
    const created = await Promise.all(opts.only.map((id) => redis.hget(keys.hunt(id).meta, 'createdAt')));
    members = opts.only
      .map((id, i) => timeMember(Number(created[i] ?? 0), id))
      .filter((m) => opts.cursor === undefined || m < opts.cursor)
      .sort()
      .reverse()
      .slice(0, opts.limit + 1);
  } else {
    await backfill(redis, keys);
    members = await redis.zrevrangebylex(
      keys.huntsByTime,
      opts.cursor === undefined ? '+' : `(${opts.cursor}`,
      '-',
      'LIMIT',
      0,
      opts.limit + 1,
    );
  }
  const more = members.length > opts.limit;
  const page = members.slice(0, opts.limit);
  const ids = page.map((m) => m.slice(m.indexOf(':') + 1));
  // one command per hunt, all in flight at once, not one pipeline: every hunt lives in its own cluster slot
  const rows = await Promise.all(
    ids.map((id) =>
      Promise.all([redis.hmget(keys.hunt(id).meta, 'name', 'status'), redis.hlen(keys.hunt(id).players)]),
    ),
  );
  return {
    hunts: ids.map((id, i) => {
      const [[name, status] = [], players = 0] = rows[i] ?? [];
      return { id, name: name ?? '', status: huntStatus(status) ?? 'failed', players };
    }),
    nextCursor: more ? (page.at(-1) ?? null) : null,
  };
}
