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
 * and the board value of every entry it changed (null: off the board), for the rank index.
 */
export interface BoardDelta {
  seq: number;
  /** the clients' delta as logged and sent */
  raw: string;
  delta: LbDelta;
  values: Map<string, number | null>;
}

/** A `{"t":"delta"}` channel message, checked: null when it is not one. */
export function readBoardDelta(v: Record<string, unknown>): BoardDelta | null {
  if (v.t !== 'delta' || typeof v.lb !== 'string' || !isRecord(v.z)) return null;
  const delta = readDelta(v.lb);
  if (!delta || delta.seq !== v.seq) return null;
  const values = new Map<string, number | null>();
  for (const [member, z] of Object.entries(v.z)) {
    const value = z === false ? null : typeof z === 'string' || typeof z === 'number' ? Number(z) : NaN;
    if (value !== null && !Number.isFinite(value)) return null;
    values.set(member, value);
  }
  return { seq: delta.seq, raw: v.lb, delta, values };
}
