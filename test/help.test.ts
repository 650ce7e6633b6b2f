/**
 * `help` (v1.2): a player's message to the game masters, added through the table of message
 * kinds. Acked once per request id, kept in the hunt's bounded message log, published for the
 * consoles and never sent to other players.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import { Keys } from '../rooms/index.js';
import { liveHunt, startCluster, type Cluster } from './helpers.js';

describe('help', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster();
  });
  afterAll(() => c.close());

  it('acks a help request once per id, logs it for the game masters, and other players never hear it', async () => {
    const hunt = await liveHunt(c.gm(), 1);
    const [asker, other] = await Promise.all([c.gm().join(hunt.id, 'asker'), c.gm().join(hunt.id, 'other')]);
    const [a, b] = await Promise.all([
      PlayerSocket.connect(c.url(), asker.token),
      PlayerSocket.connect(c.url(), other.token),
    ]);
    await Promise.all([a.waitType('welcome'), b.waitType('welcome')]);
    expect(await a.request({ t: 'help', id: 'q1', text: 'Où est la fontaine ? 🙂' })).toEqual({ t: 'ack', id: 'q1' });
    // sent again (a reconnect, say): the same ack, and still one entry
    expect(await a.request({ t: 'help', id: 'q1', text: 'Où est la fontaine ? 🙂' })).toEqual({ t: 'ack', id: 'q1' });
    // over HTTP as well
    await c.gm().sendEvents(asker.token, [{ t: 'help', id: 'q2', text: 'and the bridge?' }]);
    await a.waitFor((m) => m.t === 'ack' && m.id === 'q2');
    // the other player's own help is acked after the asker's went out on the same channel: by then
    // the asker's help reached this node's fan-out, which must not have passed it on
    expect(await b.request({ t: 'help', id: 'q3', text: 'me too' })).toEqual({ t: 'ack', id: 'q3' });
    expect([...a.received, ...b.received].filter((m) => (m.t as string) === 'help')).toEqual([]);
    const log = (await c.redis.lrange(new Keys(c.prefix).hunt(hunt.id).messages, 0, -1)).map(
      (e) => JSON.parse(e) as Record<string, unknown>,
    );
    expect(log.map(({ at: _at, ...e }) => e)).toEqual([
      { id: 'help-1', kind: 'help', from: { player: asker.player, name: 'asker' }, text: 'Où est la fontaine ? 🙂' },
      { id: 'help-2', kind: 'help', from: { player: asker.player, name: 'asker' }, text: 'and the bridge?' },
      { id: 'help-3', kind: 'help', from: { player: other.player, name: 'other' }, text: 'me too' },
    ]);
    expect(log.every((e) => typeof e.at === 'number')).toBe(true);
    a.close();
    b.close();
  });

  it('refuses a help text that is empty, too long or not well-formed, before it reaches a stream', async () => {
    const hunt = await liveHunt(c.gm(), 1);
    const joined = await c.gm().join(hunt.id, 'noisy');
    const ws = await PlayerSocket.connect(c.url(), joined.token);
    await ws.waitType('welcome');
    for (const [id, text] of [
      ['e', ''],
      ['l', 'x'.repeat(501)],
      ['s', 'lone \ud800 surrogate'],
    ] as const) {
      expect(await ws.request({ t: 'help', id, text })).toMatchObject({ t: 'error', id, code: 'VALIDATION_FAILED' });
    }
    expect(await ws.request({ t: 'help', id: 'ok', text: 'y'.repeat(500) })).toEqual({ t: 'ack', id: 'ok' });
    await expect(
      c.gm().sendEvents(joined.token, [{ t: 'help', id: 'h', text: 'z'.repeat(501) }]),
    ).rejects.toMatchObject({ status: 400 });
    expect(await c.redis.llen(new Keys(c.prefix).hunt(hunt.id).messages)).toBe(1);
    ws.close();
  });
});
