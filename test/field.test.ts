/** The field: each player's last position with its time, and who is online, across two front nodes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import type { PlayerPosition } from '../protocol/index.js';
import { liveHunt, startCluster, until, type Cluster } from './helpers.js';

describe('positions and presence', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
  });
  afterAll(() => c.close());

  // each test plays its own hunt, so that they pass in any order
  const positions = async (hunt: string): Promise<PlayerPosition[]> =>
    (await c.gm().request<{ players: PlayerPosition[] }>('GET', `/api/hunts/${hunt}/positions`)).players;

  it('match the last moves, with their time, and show who is online', async () => {
    const hunt = (await liveHunt(c.gm(), 1)).id;
    const walkers = await Promise.all(['ada', 'bob', 'cy'].map((name) => c.gm().join(hunt, name)));
    const idle = await c.gm().join(hunt, 'idle');
    const sockets = await Promise.all(walkers.map((w, i) => PlayerSocket.connect(c.url(i % 2), w.token)));
    await Promise.all(sockets.map((s) => s.waitType('welcome')));
    const started = Date.now();
    const last = new Map<string, { lat: number; lng: number }>();
    walkers.forEach((w, i) => {
      for (let step = 0; step < 5; step++) {
        const where = { lat: 48.85 + i / 100 + step / 1000, lng: 2.35 - step / 1000 };
        sockets[i]!.send({ t: 'move', ...where });
        last.set(w.player, where);
      }
    });
    const seen = await until('every walker at the last position sent, online', async () => {
      const list = await positions(hunt);
      return walkers.every((w) =>
        list.some(
          (p) =>
            p.player === w.player && p.lat === last.get(w.player)?.lat && p.lng === last.get(w.player)?.lng && p.online,
        ),
      )
        ? list
        : undefined;
    });
    expect(seen.map((p) => p.name)).toEqual(['ada', 'bob', 'cy']);
    expect(seen.some((p) => p.player === idle.player)).toBe(false);
    for (const p of seen) {
      expect(Date.parse(p.at)).toBeGreaterThanOrEqual(started - 5);
      expect(Date.parse(p.at)).toBeLessThanOrEqual(Date.now());
    }

    // bob leaves: offline, his last position stays; the GM removes cy: gone from the field
    sockets[1]!.close();
    // well within ONLINE_TTL_MS: the close itself takes him offline, not the mark's expiry
    await until(
      'bob offline',
      async () => ((await positions(hunt)).find((p) => p.name === 'bob')?.online === false ? true : undefined),
      5000,
    );
    await c.gm().request('DELETE', `/api/hunts/${hunt}/players/${walkers[2]!.player}`);
    const after = await positions(hunt);
    expect(after.map((p) => [p.name, p.online])).toEqual([
      ['ada', true],
      ['bob', false],
    ]);
    expect(after.find((p) => p.name === 'bob')).toMatchObject(last.get(walkers[1]!.player)!);
    sockets[0]!.close();
    await expect(c.gm().request('GET', `/api/hunts/nohunt/positions`)).rejects.toMatchObject({
      status: 404,
      code: 'HUNT_NOT_FOUND',
    });
    await expect(c.gm().request('GET', `/api/hunts/${hunt}/positions`, undefined, 'wrong')).rejects.toMatchObject({
      status: 401,
    });
  });

  it('takes a stopped node’s players offline', async () => {
    const hunt = (await liveHunt(c.gm(), 1)).id;
    const { token, player } = await c.gm().join(hunt, 'dora');
    const node = await c.add(['front']);
    const ws = await PlayerSocket.connect(`http://127.0.0.1:${node.port}`, token);
    await ws.waitType('welcome');
    ws.send({ t: 'move', lat: 1, lng: 2 });
    await until('dora online', async () =>
      (await positions(hunt)).find((p) => p.player === player)?.online ? true : undefined,
    );
    await node.close();
    expect((await positions(hunt)).find((p) => p.player === player)?.online).toBe(false);
  });
});
