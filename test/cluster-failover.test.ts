/**
 * A master of a Redis Cluster killed under load, its replica promoted: play resumes by itself,
 * and with `routing.ackReplicas: 1` every acknowledged answer counts exactly once. The test
 * starts its own cluster (3 masters, a replica each), whatever Redis the rest of the run uses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCluster, slotOf, startLocalCluster, type LocalCluster } from '../redis/index.js';
import { liveHunt, setConfig, startCluster, streamOf, until, type Cluster } from './helpers.js';

describe('a cluster master killed under load', () => {
  let redis: LocalCluster;
  let c: Cluster;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hunt-failover-'));
    redis = await startLocalCluster({ dir, masters: 3, replicas: 1, nodeTimeoutMs: 1000 });
    c = await startCluster([['front', 'shard', 'worker'], ['front', 'shard', 'worker']], { redisUrl: redis.url, leaseMs: 1000 });
  });
  afterAll(async () => {
    await c?.close().catch(() => undefined);
    await redis?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes play after the promotion and scores every acknowledged answer exactly once', { timeout: 180_000 }, async () => {
    const hunt = await liveHunt(c.gm(), 1);
    const answer = hunt.answers.get('p1')!;
    const players = await Promise.all(Array.from({ length: 60 }, (_, i) => c.gm().join(hunt.id, `p${i}`)));
    // what waiting for a replica costs an acknowledgement (printed, not asserted: timing is noisy here)
    const ackMs = async (): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < 30; i++) {
        const t0 = performance.now();
        const res = await fetch(`${c.url()}/api/events`, { method: 'POST', headers: { authorization: `Bearer ${players[59]!.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ events: [{ t: 'hint', id: `cost-${i}-${Math.random()}`, puzzle: 'nope' }] }) });
        expect(res.status).toBe(202);
        times.push(performance.now() - t0);
      }
      return times.sort((x, y) => x - y)[15]!;
    };
    await ackMs(); // warm up the connections and scripts
    const without = await ackMs();
    await setConfig(c, 'routing', { ackReplicas: 1, ackTimeoutMs: 300 });
    const withReplica = await ackMs();
    console.log(`acknowledgement p50 over HTTP: ${without.toFixed(2)} ms with ackReplicas 0, ${withReplica.toFixed(2)} ms with ackReplicas 1`);
    const send = async (i: number): Promise<number> => {
      const p = players[i]!;
      const res = await fetch(`${c.url(i % 2)}/api/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [{ t: 'answer', id: `a-${i}`, puzzle: 'p1', answer }] }),
      }).catch(() => undefined);
      return res?.status ?? 0;
    };
    // the master that holds the hunt's stream partition
    if (!isCluster(c.redis)) throw new Error('expected a cluster client');
    const owner = c.redis.slots[slotOf(streamOf(c, hunt.id))]![0]!;
    const victim = Number(owner.split(':').pop());
    const acked = new Set<number>();
    for (let i = 0; i < 20; i++) if ((await send(i)) === 202) acked.add(i);
    expect(acked.size).toBe(20);

    redis.kill(victim);
    const killedAt = Date.now();
    // answers go on through the failover: refused (503) while the stream's slot has no master,
    // or while its new master has no replica to acknowledge them; none may count twice
    for (let i = 20; i < 30; i++) if ((await send(i)) === 202) acked.add(i);
    await until('the replica promoted', async () => ((await redis.masters()).length === 3 ? true : undefined), 30_000);
    const promotedAt = Date.now();
    // the crashed master comes back (as a supervisor would restart it) and rejoins as a replica
    redis.restart(victim);
    await redis.waitOk(30_000, true);
    const backAt = Date.now();
    let firstAck = 0;
    for (let i = 20; i < 60; i++) {
      if (acked.has(i)) continue;
      // a refused answer sent again (same request id) is idempotent
      await until(`answer ${i} acknowledged after the failover`, async () => ((await send(i)) === 202 ? true : undefined), 30_000);
      firstAck ||= Date.now();
      acked.add(i);
    }
    console.log(`failover: replica promoted ${promotedAt - killedAt} ms after the kill; replicas back ${backAt - killedAt} ms; next acknowledgement ${firstAck - killedAt} ms after the kill`);
    expect(acked.size).toBe(60);

    // exactly once: every player has the puzzle's points, not twice them
    const expected = await until('every answer scored', async () => {
      const board = await c.gm().leaderboard(hunt.id, 100);
      const scores = board.entries.map((e) => e.score);
      return scores.length === 60 && scores.every((s) => s > 0) ? scores : undefined;
    }, 60_000);
    const solo = Math.max(...expected);
    // first-solver bonuses make the first few higher; no one may hold two solves' worth
    const view = await c.gm().request<{ puzzles: { id: string; points: number }[] }>('GET', `/api/hunts/${hunt.id}`);
    const points = view.puzzles.find((p) => p.id === 'p1')!.points;
    expect(solo).toBeLessThan(2 * points);
    const exported = await c.gm().request<{ events: { k: string; player: string; puzzle?: string }[] }>('GET', `/api/hunts/${hunt.id}/export`);
    const solves = exported.events.filter((e) => e.k === 'solve' && e.puzzle === 'p1');
    expect(solves).toHaveLength(60);
    expect(new Set(solves.map((s) => s.player)).size).toBe(60);
  });
});
