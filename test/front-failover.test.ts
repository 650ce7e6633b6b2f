/** Kill -9 a front node: its players reconnect to another front node and resume with every missed delta. */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HuntConnection, type SocketLike } from '../client/connection.js';
import type { ServerMessage } from '../client/index.js';
import { GM_KEY, liveHunt, redisUrl, spawnNode, startCluster, until, type Cluster, settledSeq } from './helpers.js';

describe('kill -9 of a front node', () => {
  let c: Cluster;
  let front: ReturnType<typeof spawnNode> | undefined;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker']]);
  });
  afterAll(async () => {
    front?.child.kill('SIGKILL');
    await c.close();
  });

  it('moves its players to another front with nothing missed', async () => {
    front = spawnNode(
      ['--roles', 'front', '--port', '0', '--host', '127.0.0.1', '--redis', redisUrl(), '--prefix', c.prefix],
      { HUNT_GM_KEY: GM_KEY },
    );
    await front.ready;
    const port = Number(/listening on http:\/\/localhost:(\d+)/.exec(front.output())?.[1]);
    const doomed = `http://127.0.0.1:${port}`;
    const hunt = await liveHunt(c.gm(), 1);
    const me = await c.gm().join(hunt.id, 'traveller');
    const other = await c.gm().join(hunt.id, 'scorer');
    const got: ServerMessage[] = [];
    const conn = new HuntConnection({
      baseUrl: [doomed, c.url()],
      token: me.token,
      socket: (url) => new WebSocket(url) as unknown as SocketLike,
      onMessage: (m) => got.push(m),
      minBackoffMs: 100,
    });
    conn.start();
    await until('welcome from the doomed front', () => (got.some((m) => m.t === 'welcome') ? true : undefined));
    const adjust = (): Promise<unknown> =>
      c.gm().request('POST', `/api/hunts/${hunt.id}/players/${other.player}/adjust`, { points: 1, reason: 'tick' });
    await adjust();
    await until('a live delta', () =>
      got.some((m) => m.t === 'lb' && m.seq === conn.lastSeq && conn.lastSeq > 0) ? true : undefined,
    );
    front.child.kill('SIGKILL');
    for (let i = 0; i < 10; i++) await adjust();
    const to = await settledSeq(c, hunt.id);
    await until('every delta after the failover', () => (conn.lastSeq === to ? true : undefined), 15_000);
    const seqs = got.filter((m) => m.t === 'lb').map((m) => (m as { seq: number }).seq);
    const first = seqs[0]!;
    expect(seqs).toEqual(Array.from({ length: to - first + 1 }, (_, i) => first + i));
    expect(conn.state).toBe('open');
    conn.stop();
  });
});
