/**
 * A hunt's delta log as replays read it: the deltas after a seq, read from their offset in the
 * log (one bounded LRANGE in a script), so a replay costs what it returns however long the log.
 */
import type { RedisClient } from '../redis/index.js';
import { SCRIPTS } from './scripts.js';
import { isRecord, type LbDelta } from '../protocol/index.js';
import type { HuntKeys } from './keys.js';
import { isLbDelta } from './stored.js';

/** What `deltasAfter` read: the log's seq range and, when it could replay, the deltas as stored (JSON). */
export interface DeltasRead {
  /** first and last seq the log holds (0 and 0 when it is empty) */
  first: number;
  last: number;
  /** the deltas with seq since + 1 … last; null when the log does not reach back that far or they are more than asked */
  raw: string[] | null;
}

export async function deltasAfter(redis: RedisClient, k: HuntKeys, since: number, most: number): Promise<DeltasRead> {
  const reply = await SCRIPTS.deltasAfter.run(redis, k, [since, most]);
  const [first, last, ...raw]: unknown[] = Array.isArray(reply) ? reply : [];
  if (typeof first !== 'number' || typeof last !== 'number' || !raw.every((r): r is string => typeof r === 'string')) {
    throw new Error(`script deltas-after replied ${JSON.stringify(reply).slice(0, 200)}`);
  }
  const replayable = first > 0 && since + 1 >= first && last - since <= most;
  return { first, last, raw: since === last ? [] : replayable && raw.length === last - since ? raw : null };
}

/** A stored delta, checked: null when it is not one. */
export function readDelta(raw: string): LbDelta | null {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  return isLbDelta(v) ? v : null;
}

/**
 * A delta as the fronts hear it on the hunt's channel: the clients' delta (JSON, as logged)
 * and the board value of every entry it changed (null: off the board), for the rank index. A
 * tick that changed nothing clients are shown (a big hunt, every change below the top) comes
 * with the board values alone: no client delta, `seq` the last one's.
 */
export interface BoardDelta {
  /** the clients' delta's seq, or the last one's when there is none */
  seq: number;
  /** the board's own change count (meta `zseq`): one per tick that changed it; null from an older shard */
  zseq: number | null;
  /** the clients' delta as logged and sent, and parsed; null for board values alone */
  raw: string | null;
  delta: LbDelta | null;
  values: Map<string, number | null>;
}

/** A `{"t":"delta"}` channel message, checked: null when it is not one. */
export function readBoardDelta(v: Record<string, unknown>): BoardDelta | null {
  if (v.t !== 'delta' || !isRecord(v.z) || typeof v.seq !== 'number') return null;
  const zseq = typeof v.zseq === 'number' && Number.isSafeInteger(v.zseq) ? v.zseq : null;
  let delta: LbDelta | null = null;
  if (v.lb !== undefined) {
    if (typeof v.lb !== 'string') return null;
    delta = readDelta(v.lb);
    if (!delta || delta.seq !== v.seq) return null;
  } else if (zseq === null) return null;
  const values = new Map<string, number | null>();
  for (const [member, z] of Object.entries(v.z)) {
    const value = z === false ? null : typeof z === 'string' || typeof z === 'number' ? Number(z) : NaN;
    if (value !== null && !Number.isFinite(value)) return null;
    values.set(member, value);
  }
  return { seq: v.seq, zseq, raw: delta ? String(v.lb) : null, delta, values };
}
