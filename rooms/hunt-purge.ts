/**
 * Deleting what a hunt holds: every key with its hash tag `{h:<id>}` (SCAN on every master of a
 * cluster: the tag puts them all in one slot, so on one master, but which one can change), its
 * events still waiting, undelivered, in the partition streams (XDEL of entries that carry this
 * hunt's events only), its rows in the hunt indexes, and its media folder. Events already
 * delivered to a shard are applied (to nothing: scripts of a hunt with no meta write little) and
 * trimmed with the stream; what they write is caught by the purge's later passes (see
 * server/hunt-deletion.ts).
 */
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isCluster, type RedisClient } from '../redis/index.js';
import type { Keys } from './keys.js';
import { STREAM_GROUP } from './keys.js';
import { timeMember } from './hunt-list.js';
import { loadScript } from '../redis/index.js';

const undelivered = loadScript(new URL('./lua/', import.meta.url), 'stream-undelivered');

/** What a hunt id must look like before it becomes a SCAN pattern or a path segment. */
export const HUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface PurgeResult {
  keys: number;
  streamEntries: number;
}

/** The media folder: `HUNT_MEDIA_DIR`, default `.data/media` (the photos of photo puzzles live in `<dir>/<hunt id>/`). */
export function mediaDir(): string {
  return resolve(process.env.HUNT_MEDIA_DIR ?? '.data/media');
}

/** The hunt's keys on every master, unlinked; returns how many. */
async function unlinkKeys(redis: RedisClient, keys: Keys, id: string): Promise<number> {
  const pattern = `${keys.prefix}:{h:${id}}:*`;
  let count = 0;
  for (const server of isCluster(redis) ? redis.nodes('master') : [redis]) {
    let cursor = '0';
    do {
      const [next, found] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      // one slot: a multi-key UNLINK is allowed on a cluster too
      if (found.length) count += await server.unlink(...found);
    } while (cursor !== '0');
  }
  return count;
}

function eventsOfOnly(fields: string[], id: string): boolean {
  const at = fields.indexOf('e');
  if (at < 0 || at % 2 !== 0) return false;
  let events: unknown;
  try {
    events = JSON.parse(fields[at + 1] ?? '');
  } catch {
    return false;
  }
  return (
    Array.isArray(events) &&
    events.length > 0 &&
    events.every((e) => typeof e === 'object' && e !== null && 'h' in e && e.h === id)
  );
}

/** Entries of the hunt's events that no shard has read yet, in every stream of every epoch, deleted. */
async function dropWaitingEvents(redis: RedisClient, keys: Keys, id: string): Promise<number> {
  const epochs = await redis.hgetall(keys.epochs);
  let dropped = 0;
  for (const [epoch, partitions] of Object.entries(epochs)) {
    for (let p = 0; p < Number(partitions); p++) {
      const stream = keys.stream(Number(epoch), p);
      const last = await undelivered.run(redis, [stream], [STREAM_GROUP]);
      if (typeof last !== 'string') continue; // no such stream
      let from = `(${last}`;
      for (;;) {
        const page = await redis.xrange(stream, from, '+', 'COUNT', 500);
        if (page.length === 0) break;
        const ours = page.filter(([, fields]) => eventsOfOnly(fields, id)).map(([entry]) => entry);
        if (ours.length) dropped += await redis.xdel(stream, ...ours);
        from = `(${page.at(-1)![0]}`;
      }
    }
  }
  return dropped;
}

/**
 * Deletes what the hunt holds. Safe to repeat (later passes catch what late writes left).
 * `createdAt`: from its meta, when still known, to take it out of the time index.
 */
export async function purgeHunt(redis: RedisClient, keys: Keys, id: string, createdAt?: number): Promise<PurgeResult> {
  if (!HUNT_ID.test(id)) throw new Error(`hunt id ${JSON.stringify(id.slice(0, 80))} cannot be purged`);
  await redis.srem(keys.huntIndex, id);
  if (createdAt !== undefined) await redis.zrem(keys.huntsByTime, timeMember(createdAt, id));
  const streamEntries = await dropWaitingEvents(redis, keys, id);
  const count = await unlinkKeys(redis, keys, id);
  await rm(join(mediaDir(), id), { recursive: true, force: true });
  return { keys: count, streamEntries };
}
