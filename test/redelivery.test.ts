/**
 * At-least-once delivery, exactly-once effect: stream entries delivered again (as after a
 * crash between apply and ack) change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import { STREAM_GROUP } from '../rooms/index.js';
import { liveHunt, streamOf, startCluster, until, type Cluster } from './helpers.js';

describe('redelivered stream entries', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([['front', 'worker']]);
  });
  afterAll(() => c.close());

  it('are applied once in effect', async () => {
    const { id, answers } = await liveHunt(c.gm());
    const { player, token } = await c.gm().join(id, 'once');
    const ws = await PlayerSocket.connect(c.url(), token);
    await ws.waitType('welcome');
    for (let i = 0; i < 50; i++) ws.send({ t: 'move', lat: 1, lng: i });
    ws.send({ t: 'answer', id: 'a', puzzle: 'p1', answer: answers.get('p1')! });
    ws.send({ t: 'hint', id: 'h', puzzle: 'p2' });
    const shard = await c.add(['shard']);
    const k = `${c.prefix}:{h:${id}}`;
    await until('moves applied', async () => ((await c.redis.hget(`${k}:moves`, player)) === '50' ? true : undefined));
    const hinted = await ws.waitFor((m) => m.t === 'hint' && m.id === 'h');
    const solved = await ws.waitFor((m) => m.t === 'result' && m.id === 'a');
    const expected = (solved as { points: number }).points - (hinted as { penalty: number }).penalty;
    // the coalesced delta carrying the final score has gone out: seq is settled
    await ws.waitFor((m) => m.t === 'lb' && m.changes.some((ch) => ch.player === player && ch.score === expected));
    const before = await c.gm().leaderboard(id, 10);
    expect(before.entries[0]?.score).toBe(expected);
    await shard.close();

    // rewind the group: every entry is delivered again to the next shard
    const stream = streamOf(c, id);
    await c.redis.xgroup('SETID', stream, STREAM_GROUP, '0');
    const rewound = (await c.redis.xinfo('GROUPS', stream)) as unknown[][];
    const g0 = rewound[0] ?? [];
    expect(Number(g0[g0.indexOf('lag') + 1] ?? 0) > 0 || g0[g0.indexOf('lag') + 1] === null).toBe(true);
    const again = await c.add(['shard']);
    await until('redelivered entries consumed', async () => {
      const info = (await c.redis.xinfo('GROUPS', stream)) as unknown[][];
      const g = info[0] ?? [];
      const lag = g[g.indexOf('lag') + 1];
      const pending = g[g.indexOf('pending') + 1];
      return lag === 0 && pending === 0 ? true : undefined;
    });
    expect(await c.redis.hget(`${k}:moves`, player)).toBe('50');
    expect(await c.redis.hget(`${k}:positions`, player)).toBe('1,49');
    expect(again.metrics.eventsApplied.get({ type: 'move' })).toBe(0);
    const after = await c.gm().leaderboard(id, 10);
    expect(after).toEqual(before);
    await again.close();
    ws.close();
  });
});
