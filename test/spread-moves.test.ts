/**
 * One hunt's moves spread over every partition (routing.movePartitions), served by four shard
 * processes: each applies its share (20–30 % of the moves), one is killed -9 in the middle of the
 * moves and its partitions are taken over, and still every accepted move counts once, each
 * player's stored position is its last move, and each check-in scores once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../client/index.js';
import { Keys } from '../rooms/index.js';
import { metricValue, redisUrl, setConfig, spawnNode, startCluster, until, type Cluster } from './helpers.js';

const PLAYERS = 1200;
const SHARDS = 4;
const PARTITIONS = 8;
/** the `square` check-in of the old-town-walk template (60 m) */
const SQUARE = { lat: 43.2977, lng: 5.3673 };
const MOVED = 'hunt_events_applied_total{type="move"}';

describe('one hunt over four shard processes', () => {
  let c: Cluster;
  const children: ReturnType<typeof spawnNode>[] = [];

  beforeAll(async () => {
    c = await startCluster([['front', 'worker']]);
  });
  afterAll(async () => {
    for (const ch of children) ch.child.kill('SIGKILL');
    await c.close();
  });

  const shardProcess = (): ReturnType<typeof spawnNode> => {
    const node = spawnNode([
      '--roles',
      'shard',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--redis',
      redisUrl(),
      '--prefix',
      c.prefix,
    ]);
    children.push(node);
    return node;
  };
  const metricsOf = async (node: ReturnType<typeof spawnNode>): Promise<number> => {
    const port = /listening on \w+:\/\/localhost:(\d+)/.exec(node.output())?.[1];
    if (!port) throw new Error('no port in the output');
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    return metricValue(await res.text(), MOVED);
  };

  it('shares the moves out evenly and loses or repeats nothing through a kill -9', async () => {
    // the test's own bursts (1,200 players joining and moving from one process) are not what is measured
    await setConfig(c, 'limits', { maxLoopLagMs: 10_000, maxBacklogEvents: 10_000_000 });
    await setConfig(c, 'routing', { partitions: PARTITIONS, movePartitions: PARTITIONS });
    const epoch = c.nodes[0]!.config.versions().routing ?? 1;
    const shards = Array.from({ length: SHARDS }, () => shardProcess());
    await Promise.all(shards.map((s) => s.ready));
    const keys = new Keys(c.prefix);
    // four processes, two partitions each
    await until(
      'the partitions shared out two by two',
      async () => {
        const holders = await Promise.all(
          Array.from({ length: PARTITIONS }, (_, p) => c.redis.get(keys.lease(epoch, p))),
        );
        const per = new Map<string, number>();
        for (const h of holders) if (h) per.set(h, (per.get(h) ?? 0) + 1);
        return per.size === SHARDS && [...per.values()].every((n) => n === 2) ? true : undefined;
      },
      60_000,
    );

    const gm = c.gm();
    const { id } = await gm.createHunt({ name: 'City', template: 'old-town-walk' });
    await gm.lifecycle(id, 'launch');
    const players: { player: string; token: string }[] = [];
    for (let i = 0; i < PLAYERS; i += 50)
      players.push(...(await Promise.all(Array.from({ length: 50 }, (_, j) => gm.join(id, `walker${i + j}`)))));
    /** Sends again after OVERLOADED (nothing was accepted then), as a client does. */
    const send = async (token: string, events: unknown[]): Promise<void> => {
      for (let tries = 0; ; tries++) {
        try {
          await gm.sendEvents(token, events);
          return;
        } catch (err) {
          if (!(err instanceof HttpError) || err.code !== 'OVERLOADED' || tries > 50) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const sent = new Map<string, number>();
    const last = new Map<string, string>();
    /**
     * Each player sends `n` moves in one request (the front folds them into one), the last at a
     * place of its own, or with `square` one move to the check-in.
     */
    const phase = async (round: number, n: number, square: boolean, midway?: () => void): Promise<void> => {
      for (let i = 0; i < players.length; i += 100) {
        if (midway && i === 600) midway();
        await Promise.all(
          players.slice(i, i + 100).map(async ({ player, token }, j) => {
            const events: { t: 'move'; lat: number; lng: number }[] = [];
            if (square) events.push({ t: 'move', lat: SQUARE.lat, lng: SQUARE.lng });
            else
              for (let m = 0; m < n; m++) events.push({ t: 'move', lat: 43 + (i + j) / 10_000, lng: round + m / 100 });
            await send(token, events);
            sent.set(player, (sent.get(player) ?? 0) + events.length);
            const end = events.at(-1)!;
            last.set(player, `${end.lat},${end.lng}`);
          }),
        );
      }
    };
    const movesKey = keys.hunt(id).moves;
    const allApplied = (): Promise<true> =>
      until(
        'every move applied',
        async () => {
          const counts = await c.redis.hgetall(movesKey);
          return players.every((p) => Number(counts[p.player] ?? 0) >= (sent.get(p.player) ?? 0)) ? true : undefined;
        },
        90_000,
      );

    await phase(1, 5, false);
    await allApplied();
    const shares = await Promise.all(shards.map(metricsOf));
    const total = shares.reduce((a, b) => a + b, 0);
    expect(total).toBe(PLAYERS * 5);
    for (const s of shares) {
      expect(s / total).toBeGreaterThanOrEqual(0.2);
      expect(s / total).toBeLessThanOrEqual(0.3);
    }

    // one shard dies in the middle of the next moves: every player goes by the check-in, on and
    // off, and by it again once the dead shard's partitions are taken over
    await phase(2, 1, true, () => shards[1]!.child.kill('SIGKILL'));
    await phase(3, 3, false);
    await phase(4, 1, true);
    await phase(5, 2, false);
    await allApplied();
    const k = keys.hunt(id);
    expect(await c.redis.hgetall(k.moves)).toEqual(Object.fromEntries([...sent].map(([p, n]) => [p, String(n)])));
    expect(await c.redis.hgetall(k.positions)).toEqual(Object.fromEntries(last));
    // every player checked in once, whatever shard applied which pass
    const solves = await c.redis.hgetall(k.solves);
    for (const { player } of players) expect(solves[`${player}:square`]).toBe('50');
    const exported = await gm.request<{ events: { k: string; puzzle?: string; player?: string }[] }>(
      'GET',
      `/api/hunts/${id}/export`,
    );
    const checkins = exported.events.filter((e) => e.k === 'checkin' && e.puzzle === 'square');
    expect(checkins).toHaveLength(PLAYERS);
    expect(new Set(checkins.map((e) => e.player)).size).toBe(PLAYERS);
  });
});
