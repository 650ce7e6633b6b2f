/**
 * Changing the shard count while events flow (1 → 4 → 2): rooms move to new partitions with
 * no accepted event lost, none applied twice, and each player's order kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import type { RoutingConfig } from '../config/index.js';
import { liveHunt, startCluster, until, type Cluster } from './helpers.js';

interface ConfigsBody {
  configs: { name: string; applied: Record<string, number | null> }[];
}

describe('routing changes under load', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([['front', 'worker'], ['front'], ['shard'], ['shard']]);
  });
  afterAll(() => c.close());

  const setPartitions = async (partitions: number): Promise<number> => {
    const cur = await c.gm().request<{ version: number; value: RoutingConfig }>('GET', '/api/configs/routing');
    const { version } = await c.gm().request<{ version: number }>('PUT', '/api/configs/routing', {
      value: { ...cur.value, partitions },
      expectedVersion: cur.version,
    });
    await until(`every node on routing v${version}`, async () => {
      const body = await c.gm().request<ConfigsBody>('GET', '/api/configs');
      const applied = Object.values(body.configs.find((x) => x.name === 'routing')?.applied ?? {});
      return applied.length === c.nodes.length && applied.every((v) => v === version) ? true : undefined;
    });
    return version;
  };

  it('keeps every move, once, in order', async () => {
    await setPartitions(1);
    const hunts = await Promise.all([liveHunt(c.gm()), liveHunt(c.gm()), liveHunt(c.gm())]);
    const players = await Promise.all(
      Array.from({ length: 9 }, async (_, i) => {
        const hunt = hunts[i % 3]!;
        const joined = await c.gm().join(hunt.id, `walker${i}`);
        const ws = await PlayerSocket.connect(c.url(i % 2), joined.token);
        await ws.waitType('welcome');
        return { hunt: hunt.id, player: joined.player, ws, sent: 0, last: '' };
      }),
    );
    let running = true;
    const pump = (async () => {
      while (running) {
        for (const p of players) {
          p.sent++;
          const lat = p.sent % 90;
          const lng = Math.floor(p.sent / 90) - 180;
          p.ws.send({ t: 'move', lat, lng });
          p.last = `${lat},${lng}`;
        }
        await new Promise((r) => setTimeout(r, 20)); // ~50 moves/s per player
      }
    })();

    await new Promise((r) => setTimeout(r, 700));
    await setPartitions(4);
    await new Promise((r) => setTimeout(r, 700));
    const final = await setPartitions(2);
    await new Promise((r) => setTimeout(r, 700));
    running = false;
    await pump;

    await until(
      'every move applied',
      async () => {
        for (const p of players) {
          const count = Number((await c.redis.hget(`${c.prefix}:{h:${p.hunt}}:moves`, p.player)) ?? 0);
          if (count < p.sent) return undefined;
        }
        return true;
      },
      30_000,
    );
    // the old epochs are retired: shards moved on to the last routing only
    await until('old epochs retired', async () => {
      const epochs = Object.keys(await c.redis.hgetall(`${c.prefix}:epochs`));
      return epochs.length === 1 && epochs[0] === String(final) ? true : undefined;
    });
    for (const p of players) {
      const k = `${c.prefix}:{h:${p.hunt}}`;
      expect(Number(await c.redis.hget(`${k}:moves`, p.player))).toBe(p.sent);
      expect(await c.redis.hget(`${k}:positions`, p.player)).toBe(p.last);
      p.ws.close();
    }
    const shardPartitions = c.nodes.flatMap((n) => n.shard?.partitions ?? []);
    expect(shardPartitions.sort()).toEqual([`${final}.0`, `${final}.1`]);
  });
});
