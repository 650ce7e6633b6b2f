/**
 * A shard process killed with -9 in the middle of a stream of events is replaced, and every
 * accepted event is applied exactly once in effect: per-player move counts match what was
 * sent, and each correct answer scores once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import { DEFAULT_SCORING } from '../config/index.js';
import { liveHunt, streamOf, redisUrl, spawnNode, startCluster, until, type Cluster } from './helpers.js';

const PLAYERS = 6;
const MOVES_PER_PHASE = 120;

describe('kill -9 of a shard under load', () => {
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

  it('loses nothing accepted and applies nothing twice', async () => {
    const first = shardProcess();
    await first.ready;
    const { id, answers } = await liveHunt(c.gm());
    const players = await Promise.all(Array.from({ length: PLAYERS }, (_, i) => c.gm().join(id, `runner${i}`)));
    const sockets = await Promise.all(players.map((p) => PlayerSocket.connect(c.url(), p.token)));
    await Promise.all(sockets.map((s) => s.waitType('welcome')));
    const sent = new Array<number>(PLAYERS).fill(0);

    const phase = async (): Promise<void> => {
      for (let m = 0; m < MOVES_PER_PHASE; m++) {
        sockets.forEach((s, i) => {
          s.send({ t: 'move', lat: (m % 90) / 2, lng: i });
          sent[i] = (sent[i] ?? 0) + 1;
        });
        // about 80 moves/s per player: under the default per-connection rate limit
        if (m % 4 === 3) await new Promise((r) => setTimeout(r, 50));
      }
    };

    await phase();
    // every player answers p1 correctly while the shard is about to die
    sockets.forEach((s) => s.send({ t: 'answer', id: 'solve-p1', puzzle: 'p1', answer: answers.get('p1')! }));
    const moveCounts = `${c.prefix}:{h:${id}}:moves`;
    const appliedCounts = async (): Promise<number[]> =>
      (await c.redis.hmget(moveCounts, ...players.map((p) => p.player))).map((v) => Number(v ?? 0));
    await until('the first shard applying moves', async () =>
      (await appliedCounts()).some((n) => n > 0) ? true : undefined,
    );
    first.child.kill('SIGKILL');
    await phase();
    // accepted while no shard runs: they wait in the stream
    expect((await appliedCounts()).reduce((a, b) => a + b, 0)).toBeLessThan(sent.reduce((a, b) => a + b, 0));
    const second = shardProcess();
    await second.ready;
    await phase();
    // the same answer ids again, as a client would after not hearing back
    sockets.forEach((s) => s.send({ t: 'answer', id: 'solve-p1', puzzle: 'p1', answer: answers.get('p1')! }));

    await until(
      'every move applied',
      async () => {
        const counts = await appliedCounts();
        return counts.every((n, i) => n >= (sent[i] ?? 0)) ? counts : undefined;
      },
      30_000,
    );
    // let any duplicate delivery land before judging
    await until('stream drained', async () =>
      ((await c.redis.xpending(streamOf(c, id), 'shards')) as [number])[0] === 0 ? true : undefined,
    );
    expect(await appliedCounts()).toEqual(sent);

    // each player scored p1 once: its board score is the points of its (repeated, identical) result,
    // and the first-solver bonuses went to exactly one player each
    const board = await c.gm().leaderboard(id, 100);
    const awarded: number[] = [];
    for (const [i, s] of sockets.entries()) {
      const results = await until('a result for solve-p1', () => {
        const r = s.received.filter((m) => m.t === 'result' && m.id === 'solve-p1');
        return r.length > 0 ? r : undefined;
      });
      const first = results[0] as { points: number; correct: boolean };
      expect(first.correct).toBe(true);
      for (const r of results) expect(r).toEqual(first);
      expect(board.entries.find((e) => e.player === players[i]!.player)?.score).toBe(first.points);
      awarded.push(first.points);
      s.close();
    }
    const base = DEFAULT_SCORING.points.easy;
    const bonuses = DEFAULT_SCORING.firstSolverBonus;
    expect(awarded.sort((a, b) => b - a)).toEqual(Array.from({ length: PLAYERS }, (_, i) => base + (bonuses[i] ?? 0)));
  });
});
