// vitest: redis-free (it never touches the run's Redis, so npm run test:cluster leaves it out)
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
    c = await startCluster(
      [
        ['front', 'shard', 'worker'],
        ['front', 'shard', 'worker'],
      ],
      { redisUrl: redis.url, leaseMs: 1000 },
    );
  });
  afterAll(async () => {
    await c?.close().catch(() => undefined);
    await redis?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'resumes play after the promotion and scores every acknowledged answer exactly once',
    { timeout: 180_000 },
    async () => {
      // three puzzles a player: a second apply of any answer would show as a score above the sum of its solves
      const hunt = await liveHunt(c.gm(), 3, 'failover');
      const PUZZLES = ['p1', 'p2', 'p3'];
      const players = await Promise.all(Array.from({ length: 60 }, (_, i) => c.gm().join(hunt.id, `p${i}`)));
      // what waiting for a replica costs an acknowledgement (printed, not asserted: timing is noisy here)
      const ackMs = async (): Promise<number> => {
        const times: number[] = [];
        for (let i = 0; i < 30; i++) {
          const t0 = performance.now();
          const res = await fetch(`${c.url()}/api/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${players[59]!.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ events: [{ t: 'hint', id: `cost-${i}-${Math.random()}`, puzzle: 'nope' }] }),
          });
          expect(res.status).toBe(202);
          times.push(performance.now() - t0);
        }
        return times.sort((x, y) => x - y)[15]!;
      };
      await ackMs(); // warm up the connections and scripts
      const without = await ackMs();
      await setConfig(c, 'routing', { ackReplicas: 1, ackTimeoutMs: 300 });
      const withReplica = await ackMs();
      console.log(
        `acknowledgement p50 over HTTP: ${without.toFixed(2)} ms with ackReplicas 0, ${withReplica.toFixed(2)} ms with ackReplicas 1`,
      );
      /** every answer that was not acknowledged: its status, code and Retry-After */
      const refusals: { status: number; code?: string; retryAfter: string | null }[] = [];
      const send = async (i: number): Promise<number> => {
        const p = players[i]!;
        const res = await fetch(`${c.url(i % 2)}/api/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            events: PUZZLES.map((puzzle) => ({
              t: 'answer',
              id: `a-${i}-${puzzle}`,
              puzzle,
              answer: hunt.answers.get(puzzle)!,
            })),
          }),
        }).catch(() => undefined);
        if (res && res.status !== 202) {
          const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
          refusals.push({
            status: res.status,
            ...(body.error?.code ? { code: body.error.code } : {}),
            retryAfter: res.headers.get('retry-after'),
          });
        }
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
      // /readyz says 503 while a master is not ok, and it says why
      const notReady = until(
        '/readyz 503 after the kill',
        async () => {
          const res = await fetch(`${c.url()}/readyz`);
          return res.status === 503 ? await res.text() : undefined;
        },
        30_000,
      );
      // answers go on through the failover: refused (503) while the stream's slot has no master,
      // or while its new master has no replica to acknowledge them; none may count twice
      for (let i = 20; i < 30; i++) if ((await send(i)) === 202) acked.add(i);
      await until(
        'the replica promoted',
        async () => ((await redis.masters()).length === 3 ? true : undefined),
        30_000,
      );
      const promotedAt = Date.now();
      // the crashed master comes back (as a supervisor would restart it) and rejoins as a replica
      redis.restart(victim);
      await redis.waitOk(30_000, true);
      const backAt = Date.now();
      expect(await notReady).toMatch(/cluster|master|redis/i);
      await until(
        '/readyz 200 once every master is ok',
        async () => ((await fetch(`${c.url()}/readyz`)).status === 200 ? true : undefined),
        30_000,
      );
      let firstAck = 0;
      for (let i = 20; i < 60; i++) {
        if (acked.has(i)) continue;
        // a refused answer sent again (same request id) is idempotent
        await until(
          `answer ${i} acknowledged after the failover`,
          async () => ((await send(i)) === 202 ? true : undefined),
          30_000,
        );
        firstAck ||= Date.now();
        acked.add(i);
      }
      console.log(
        `failover: replica promoted ${promotedAt - killedAt} ms after the kill; replicas back ${backAt - killedAt} ms; next acknowledgement ${firstAck - killedAt} ms after the kill`,
      );
      expect(acked.size).toBe(60);
      // refusals during the failover are the contract's: 503 with a Retry-After, nothing else
      console.log(
        `answers refused during the failover: ${refusals.length} (${[...new Set(refusals.map((r) => `${r.status} ${r.code ?? ''}`))].join(', ')})`,
      );
      expect(refusals.length).toBeGreaterThan(0);
      for (const r of refusals) {
        // NOT_READY while the slot has no master; OVERLOADED when the stream's backlog cannot be read meanwhile
        expect(r.status).toBe(503);
        expect(['NOT_READY', 'OVERLOADED']).toContain(r.code);
        expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      }

      // exactly once: every player holds three solves, and a score that is their sum and no more
      const board = await until(
        'every answer scored',
        async () => {
          const b = await c.gm().leaderboard(hunt.id, 100);
          return b.entries.length === 60 && b.entries.every((e) => e.score > 0) ? b : undefined;
        },
        60_000,
      );
      const exported = await until(
        'every solve exported',
        async () => {
          const e = await c
            .gm()
            .request<{ events: { k: string; player: string; puzzle?: string; points?: number }[] }>(
              'GET',
              `/api/hunts/${hunt.id}/export`,
            );
          return e.events.filter((x) => x.k === 'solve').length >= 180 ? e : undefined;
        },
        60_000,
      );
      const solves = exported.events.filter((e) => e.k === 'solve');
      expect(solves).toHaveLength(180);
      for (const entry of board.entries) {
        const own = solves.filter((s) => s.player === entry.player);
        expect(own.map((s) => s.puzzle).sort()).toEqual(PUZZLES);
        expect(entry.score).toBe(own.reduce((sum, s) => sum + (s.points ?? 0), 0));
      }
    },
  );
});
