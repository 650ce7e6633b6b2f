/**
 * Stream partitions over the masters that really hold them: every partition of an epoch, and a
 * big hunt's set of move partitions (routing.movePartitions), land within one partition of its fair share on
 * each master. On a cluster the masters are read from CLUSTER SLOTS; on one redis-server, three
 * masters of equal slices are assumed (what the local cluster runs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, isCluster, slotOf, type RedisClient } from '../redis/index.js';
import { fnv1a, Keys, movePartitionSet } from '../rooms/index.js';
import { redisUrl } from './helpers.js';

let redis: RedisClient;
beforeAll(() => {
  redis = connectRedis(redisUrl());
});
afterAll(() => redis.quit());

/** The master (an id) of each slot: the cluster's, or three equal slices. */
async function masterOfSlot(): Promise<(slot: number) => string> {
  if (!isCluster(redis)) return (slot) => `slice${Math.floor((slot * 3) / 16384)}`;
  const ranges: unknown = await redis.cluster('SLOTS');
  const owned: { from: number; to: number; id: string }[] = [];
  if (Array.isArray(ranges))
    for (const r of ranges) {
      if (!Array.isArray(r)) continue;
      const [from, to, master] = r as unknown[];
      if (typeof from === 'number' && typeof to === 'number' && Array.isArray(master))
        owned.push({ from, to, id: `${String(master[0])}:${String(master[1])}` });
    }
  return (slot) => owned.find((o) => slot >= o.from && slot <= o.to)?.id ?? 'none';
}

/** Partitions per master, for the given partitions of an epoch. */
function counts(keys: Keys, master: (slot: number) => string, partitions: readonly number[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of partitions) {
    const m = master(slotOf(keys.stream(1, p)));
    out.set(m, (out.get(m) ?? 0) + 1);
  }
  return out;
}

describe('partition placement over masters', () => {
  it("puts an epoch's partitions and each big hunt's move partitions within one of each master's fair share", async () => {
    const keys = new Keys(`placement-${Date.now()}`);
    const master = await masterOfSlot();
    const masters = new Set(Array.from({ length: 16384 }, (_, s) => master(s)));
    expect(masters.has('none')).toBe(false);
    const even = (c: Map<string, number>, label: string): void => {
      const per = [...masters].map((m) => c.get(m) ?? 0);
      const fair = per.reduce((a, b) => a + b, 0) / per.length;
      for (const n of per) expect(Math.abs(n - fair), `${label}: ${per.join('/')}`).toBeLessThanOrEqual(1);
    };
    for (const partitions of [8, 12, 24]) {
      even(
        counts(
          keys,
          master,
          Array.from({ length: partitions }, (_, p) => p),
        ),
        `${partitions} partitions`,
      );
      // a hunt spread over 4 of them, and over half of them, whatever its id
      for (const spread of [4, partitions / 2])
        for (let h = 0; h < 200; h++) {
          const set = movePartitionSet(fnv1a(`city-${h}`), partitions, spread);
          expect(set).toHaveLength(spread);
          even(counts(keys, master, set), `hunt city-${h}, ${spread} of ${partitions}`);
        }
    }
  });
});
