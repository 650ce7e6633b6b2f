/**
 * Order across nodes: a socket never sees `seq` go back after its `welcome`, however its
 * connect races the deltas being published (issue 10: on a cluster, 5 of 48 sockets once got
 * deltas at or below their welcome's seq). Runs on one redis-server and on the cluster alike.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import { DEFAULT_FANOUT } from '../config/index.js';
import { liveHunt, restoreConfigs, setConfig, startCluster, until, type Cluster } from './helpers.js';

describe('delta order after welcome', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
  });
  afterEach(() => restoreConfigs(c, { fanout: DEFAULT_FANOUT }));
  afterAll(() => c.close());

  it('sends every socket only deltas above its welcome seq, in rising order, while deltas keep coming', async () => {
    // a delta as soon as anything changes: the race between a welcome and the deltas is at its widest
    await setConfig(c, 'fanout', { tickMs: 0 });
    const hunt = await liveHunt(c.gm(), 1);
    const players = await Promise.all(Array.from({ length: 48 }, (_, i) => c.gm().join(hunt.id, `racer${i}`)));
    let adjusting = true;
    const adjusters = [0, 1, 2, 3].map(async (k) => {
      for (let i = k; adjusting; i += 4)
        await c.gm(i % 2).request('POST', `/api/hunts/${hunt.id}/players/${players[i % 48]!.player}/adjust`, {
          points: 1,
          reason: `tick ${i}`,
        });
    });
    const bad: string[] = [];
    // each socket is, while it lives, the only one of the hunt on its front: every connect is a
    // fresh subscription racing the deltas, the case where a late delta could slip through
    for (let i = 0; i < 48; i++) {
      const s = await PlayerSocket.connect(c.url(i % 2), players[i]!.token);
      const welcome = await s.waitType('welcome');
      await until(
        `deltas after welcome ${i}`,
        () => (s.received.filter((m) => m.t === 'lb').length >= 3 ? true : undefined),
        30_000,
      );
      const seqs = s.received.filter((m) => m.t === 'lb').map((m) => (m as { seq: number }).seq);
      if (seqs[0]! <= welcome.seq) bad.push(`socket ${i}: welcome at ${welcome.seq}, then ${seqs[0]}`);
      for (let k = 1; k < seqs.length; k++)
        if (seqs[k]! <= seqs[k - 1]!) bad.push(`socket ${i}: ${seqs[k]} after ${seqs[k - 1]}`);
      s.close();
      await s.waitClose().catch(() => undefined);
    }
    adjusting = false;
    await Promise.all(adjusters);
    expect(bad).toEqual([]);
  });
});
