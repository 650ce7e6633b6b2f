/**
 * The one guard around every HTTP and WebSocket callback: a handler that throws (here because
 * the hunt's state in Redis is of the wrong type, as after a bad manual edit) is answered
 * 500 / `INTERNAL` over HTTP, or closed 1011 over WebSocket, with one error logged, and the
 * node goes on serving everything else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import { GM_KEY, liveHunt, recordingLogger, startCluster, type Cluster } from './helpers.js';

describe('the callback guard', () => {
  let c: Cluster;
  const log = recordingLogger();
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker']], { logger: log.logger });
  });
  afterAll(() => c.close());

  const errorsSince = (from: number): Array<Record<string, unknown>> =>
    log.records.slice(from).filter((r) => r.level === 50);

  it('turns a throwing HTTP handler into 500 INTERNAL with one logged error, and serves the next request', async () => {
    const broken = await liveHunt(c.gm(), 1, 'guard-http');
    const healthy = await liveHunt(c.gm(), 1, 'guard-ok');
    // the hunt view reads its meta as a hash: a string there makes the handler throw WRONGTYPE
    await c.redis
      .multi()
      .del(`${c.prefix}:{h:${broken.id}}:meta`)
      .set(`${c.prefix}:{h:${broken.id}}:meta`, 'not a hash')
      .exec();
    const from = log.records.length;
    const res = await fetch(`${c.url()}/api/hunts/${broken.id}`, { headers: { authorization: `Bearer ${GM_KEY}` } });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
    const errors = errorsSince(from);
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0]?.err)).toContain('WRONGTYPE');
    // the node goes on
    expect((await c.gm().hunt(healthy.id)).status).toBe('live');
  });

  it('closes a socket whose welcome throws with 1011, logs it once, and serves other players', async () => {
    const broken = await liveHunt(c.gm(), 1, 'guard-ws');
    const healthy = await liveHunt(c.gm(), 1, 'guard-ws-ok');
    const victim = await c.gm().join(broken.id, 'victim');
    const bystander = await c.gm().join(healthy.id, 'bystander');
    await c.redis
      .multi()
      .del(`${c.prefix}:{h:${broken.id}}:meta`)
      .set(`${c.prefix}:{h:${broken.id}}:meta`, 'not a hash')
      .exec();
    const from = log.records.length;
    const ws = await PlayerSocket.connect(c.url(), victim.token);
    expect(await ws.waitClose()).toBe(1011);
    expect(ws.received.some((m) => m.t === 'welcome')).toBe(false);
    const errors = errorsSince(from);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ player: victim.player, hunt: broken.id });
    const other = await PlayerSocket.connect(c.url(), bystander.token);
    expect((await other.waitType('welcome')).hunt.id).toBe(healthy.id);
    expect(
      await other.request({ t: 'answer', id: 'a1', puzzle: 'p1', answer: healthy.answers.get('p1')! }),
    ).toMatchObject({ t: 'result', correct: true });
    other.close();
  });
});
