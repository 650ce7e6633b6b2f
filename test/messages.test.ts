/**
 * Game masters' messages: now to everyone, one player; scheduled, delivered once on time by
^ * another node after the one that scheduled it stopped; the log and the welcome's replay; the
 * live stream of two consoles on two nodes; hostile bodies.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpError, HuntHttpClient, PlayerSocket, type PlayerMessage, type ServerMessage } from '../client/index.js';
import { INBOX_MAX, MESSAGE_LOG_MAX, type MessageLogEntry } from '../protocol/index.js';
import { Keys } from '../rooms/index.js';
import { sendMessage } from '../rooms/scripts.js';
import { GM_KEY, liveHunt, startCluster, type Cluster } from './helpers.js';
import { openLive } from './live-stream.js';

const isMessage =
  (id: string) =>
  (m: ServerMessage): m is PlayerMessage =>
    m.t === 'message' && m.id === id;

describe('messages from game masters', () => {
  let c: Cluster;
  let hunt: string;

  beforeAll(async () => {
    // node 0 every role; node 1 a front with a worker; node 2 a front
    c = await startCluster([['front', 'shard', 'worker'], ['front', 'worker'], ['front']]);
  });
  // a hunt per test: the log and the inboxes each test reads are its own, in any order
  beforeEach(async () => {
    hunt = (await liveHunt(c.gm(), 1)).id;
  });
  afterAll(() => c.close());

  it('delivers to everyone on every node, to one player only, logs both, and a welcome replays what the player may see', async () => {
    const [a, b] = [await c.gm().join(hunt, 'ann'), await c.gm().join(hunt, 'ben')];
    const wsA = await PlayerSocket.connect(c.url(0), a.token);
    const wsB = await PlayerSocket.connect(c.url(2), b.token);
    await Promise.all([wsA.waitType('welcome'), wsB.waitType('welcome')]);

    const all = await c
      .gm(1)
      .request<{ id: string }>('POST', `/api/hunts/${hunt}/messages`, { text: 'The bridge is closed, go round' });
    const onA = await wsA.waitFor(isMessage(all.id));
    const onB = await wsB.waitFor(isMessage(all.id));
    expect(onA).toEqual({ t: 'message', id: all.id, text: 'The bridge is closed, go round', ts: expect.any(Number) });
    expect(onB).toEqual(onA);

    const one = await c.gm().request<{ id: string }>('POST', `/api/hunts/${hunt}/messages`, {
      text: 'Ben, look behind you',
      to: { player: b.player },
    });
    expect(await wsB.waitFor(isMessage(one.id))).toMatchObject({
      text: 'Ben, look behind you',
      to: { player: b.player },
    });
    // a later broadcast reaches A, so had A been sent the private one it would be there by now
    const after = await c.gm().request<{ id: string }>('POST', `/api/hunts/${hunt}/messages`, { text: 'Half time' });
    await wsA.waitFor(isMessage(after.id));
    expect(wsA.received.some((m) => m.t === 'message' && m.id === one.id)).toBe(false);

    const { messages } = await c.gm().request<{ messages: MessageLogEntry[] }>('GET', `/api/hunts/${hunt}/messages`);
    expect(messages.map((m) => m.id)).toEqual([all.id, one.id, after.id]);
    expect(messages[1]).toMatchObject({
      kind: 'message',
      text: 'Ben, look behind you',
      to: { player: b.player },
      status: 'sent',
    });

    // reconnects: each gets what it may see, oldest first
    wsA.close();
    wsB.close();
    const againA = await PlayerSocket.connect(c.url(1), a.token);
    const againB = await PlayerSocket.connect(c.url(1), b.token);
    const [welcomeA, welcomeB] = await Promise.all([againA.waitType('welcome'), againB.waitType('welcome')]);
    expect(welcomeA.messages.map((m) => m.id)).toEqual([all.id, after.id]);
    expect(welcomeB.messages.map((m) => m.id)).toEqual([all.id, one.id, after.id]);
    againA.close();
    againB.close();
  });

  it('refuses a recipient the hunt does not have, hostile bodies and a hunt that does not exist', async () => {
    await expect(
      c.gm().request('POST', `/api/hunts/${hunt}/messages`, { text: 'hi', to: { player: 'nobody' } }),
    ).rejects.toMatchObject({ status: 404, code: 'PLAYER_NOT_FOUND' });
    await expect(c.gm().request('POST', `/api/hunts/nohunt/messages`, { text: 'hi' })).rejects.toMatchObject({
      status: 404,
      code: 'HUNT_NOT_FOUND',
    });
    await expect(c.gm().request('GET', `/api/hunts/nohunt/messages`)).rejects.toMatchObject({
      status: 404,
      code: 'HUNT_NOT_FOUND',
    });
    await expect(
      c.gm().request('POST', `/api/hunts/${hunt}/messages`, { text: 'hi' }, 'wrong-key'),
    ).rejects.toMatchObject({ status: 401 });
    const before = (await c.gm().request<{ messages: unknown[] }>('GET', `/api/hunts/${hunt}/messages`)).messages
      .length;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            text: fc.oneof(fc.string({ maxLength: 1100 }), fc.constant(''), fc.integer()),
            to: fc.option(
              fc.oneof(
                fc.record({ team: fc.string() }),
                fc.record({ player: fc.string({ maxLength: 80 }) }),
                fc.anything(),
              ),
              { nil: undefined },
            ),
            at: fc.option(
              fc.oneof(
                fc.string(),
                fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
                fc.integer(),
              ),
              { nil: undefined },
            ),
          }),
          fc.anything(),
        ),
        async (body) => {
          try {
            await c.gm().request('POST', `/api/hunts/${hunt}/messages`, body);
          } catch (err) {
            expect(err).toBeInstanceOf(HttpError);
            expect((err as HttpError).status).toBeGreaterThanOrEqual(400);
            expect((err as HttpError).status).toBeLessThan(500);
          }
        },
      ),
      { numRuns: 60 },
    );
    // the fuzz may send good messages (a few land in the log); it never breaks the hunt's messages
    const { messages } = await c.gm().request<{ messages: unknown[] }>('GET', `/api/hunts/${hunt}/messages`);
    expect(messages.length).toBeGreaterThanOrEqual(before);
  });

  it('delivers a scheduled message once, on time, after the node that scheduled it stopped', async () => {
    const { token } = await c.gm().join(hunt, 'cleo');
    const ws = await PlayerSocket.connect(c.url(0), token);
    await ws.waitType('welcome');
    const at = Date.now() + 3000;
    // a node of this test's own schedules the message and stops: the other tests keep theirs
    const scheduler = await c.add(['front', 'worker']);
    const sent = await new HuntHttpClient(`http://127.0.0.1:${scheduler.port}`, GM_KEY).request<{
      id: string;
      status: string;
    }>('POST', `/api/hunts/${hunt}/messages`, {
      text: 'Meet at the fountain',
      at: new Date(at).toISOString(),
    });
    expect(sent.status).toBe('scheduled');
    await scheduler.close();
    const scheduled = (
      await c.gm().request<{ messages: MessageLogEntry[] }>('GET', `/api/hunts/${hunt}/messages`)
    ).messages.find((m) => m.id === sent.id);
    expect(scheduled).toMatchObject({ status: 'scheduled', at: new Date(at).toISOString() });

    const got = await ws.waitFor(isMessage(sent.id), 15_000);
    const lateMs = Date.now() - at;
    console.log(`scheduled message arrived ${lateMs} ms after its time (ts ${got.ts - at} ms after it)`);
    expect(got.ts).toBeGreaterThanOrEqual(at);
    expect(lateMs).toBeLessThan(3000);
    // once: nothing more of it arrives, and the log shows it sent
    const later = await c.gm().request<{ id: string }>('POST', `/api/hunts/${hunt}/messages`, { text: 'after' });
    await ws.waitFor(isMessage(later.id));
    expect(ws.received.filter((m) => m.t === 'message' && m.id === sent.id)).toHaveLength(1);
    const log = (
      await c.gm().request<{ messages: MessageLogEntry[] }>('GET', `/api/hunts/${hunt}/messages`)
    ).messages.find((m) => m.id === sent.id);
    expect(log).toMatchObject({ status: 'sent' });
    ws.close();
  });

  it('shows every delivered message on the consoles following the hunt, on two nodes', async () => {
    const one = await openLive(c.url(0), hunt, GM_KEY);
    const two = await openLive(c.url(2), hunt, GM_KEY);
    const sent = await c
      .gm(2)
      .request<{ id: string }>('POST', `/api/hunts/${hunt}/messages`, { text: 'to the consoles too' });
    for (const live of [one, two]) {
      const e = await live.waitFor(
        'the message on the console',
        (e) => e.event === 'message' && (e.data as { id?: string }).id === sent.id,
      );
      expect(e.data).toMatchObject({ t: 'message', text: 'to the consoles too' });
    }
    one.close();
    two.close();
    expect((await openLive(c.url(0), hunt, 'wrong-key')).status).toBe(401);
    expect((await openLive(c.url(0), 'nohunt', GM_KEY)).status).toBe(404);
  });
});

describe('help from players', () => {
  let c: Cluster;
  let hunt: string;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
    hunt = (await liveHunt(c.gm(), 1)).id;
  });
  afterAll(() => c.close());

  it('reaches two consoles on two nodes live, never another player, and the game master answers that player', async () => {
    const one = await openLive(c.url(0), hunt, GM_KEY);
    const two = await openLive(c.url(1), hunt, GM_KEY);
    const [lost, other] = [await c.gm().join(hunt, 'lost'), await c.gm().join(hunt, 'other')];
    const ws = await PlayerSocket.connect(c.url(1), lost.token);
    const bystander = await PlayerSocket.connect(c.url(0), other.token);
    await Promise.all([ws.waitType('welcome'), bystander.waitType('welcome')]);
    expect(await ws.request({ t: 'help', id: 'h1', text: 'We are lost near the church' })).toEqual({
      t: 'ack',
      id: 'h1',
    });
    for (const live of [one, two]) {
      const e = await live.waitFor('the help on the console', (e) => e.event === 'help');
      expect(e.data).toMatchObject({
        t: 'help',
        kind: 'help',
        from: { player: lost.player, name: 'lost' },
        text: 'We are lost near the church',
      });
    }
    const help = (
      await c.gm().request<{ messages: MessageLogEntry[] }>('GET', `/api/hunts/${hunt}/messages`)
    ).messages.find((m) => m.kind === 'help');
    expect(help).toMatchObject({
      kind: 'help',
      from: { player: lost.player, name: 'lost' },
      text: 'We are lost near the church',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const answer = await c.gm(1).request<{ id: string }>('POST', `/api/hunts/${hunt}/messages`, {
      text: 'Go north to the fountain',
      to: { player: lost.player },
    });
    expect(await ws.waitFor(isMessage(answer.id))).toMatchObject({ text: 'Go north to the fountain' });
    const later = await c.gm().request<{ id: string }>('POST', `/api/hunts/${hunt}/messages`, { text: 'everyone' });
    await bystander.waitFor(isMessage(later.id));
    expect(
      bystander.received.some((m) => (m as { t: string }).t === 'help' || (m.t === 'message' && m.id === answer.id)),
    ).toBe(false);
    for (const s of [ws, bystander]) s.close();
    one.close();
    two.close();
  });
});

describe('message bounds', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker']]);
  });
  afterAll(() => c.close());

  it('keeps the newest of the log and of each inbox, and schedules at most as many as the bound', async () => {
    const keys = new Keys(c.prefix);
    const hunt = (await liveHunt(c.gm(), 1)).id;
    const k = keys.hunt(hunt);
    const run = (mode: 'now' | 'schedule', i: number) =>
      sendMessage(c.redis, keys, hunt, {
        mode,
        id: `m${i}`,
        entry: JSON.stringify({ id: `m${i}` }),
        wire: JSON.stringify({ t: 'message', id: `m${i}`, text: 'x', ts: i }),
        field: '*',
        recipient: '',
        logMax: 5,
        inboxMax: 3,
        scheduledMax: 2,
      });
    for (let i = 0; i < 8; i++) await run('now', i);
    expect((await c.redis.lrange(k.messages, 0, -1)).map((e) => (JSON.parse(e) as { id: string }).id)).toEqual([
      'm3',
      'm4',
      'm5',
      'm6',
      'm7',
    ]);
    expect((JSON.parse((await c.redis.hget(k.inbox, '*')) ?? '[]') as { id: string }[]).map((m) => m.id)).toEqual([
      'm5',
      'm6',
      'm7',
    ]);
    await run('schedule', 8);
    await run('schedule', 9);
    await expect(run('schedule', 10)).rejects.toMatchObject({ code: 'SCHEDULE_FULL' });
    expect(MESSAGE_LOG_MAX).toBe(500);
    expect(INBOX_MAX).toBe(20);
  });

  it('replays at most the last INBOX_MAX in a welcome', async () => {
    const hunt = (await liveHunt(c.gm(), 1)).id;
    const ids: string[] = [];
    for (let i = 0; i < INBOX_MAX + 3; i++)
      ids.push((await c.gm().request<{ id: string }>('POST', `/api/hunts/${hunt}/messages`, { text: `m${i}` })).id);
    const { token } = await c.gm().join(hunt, 'late');
    const ws = await PlayerSocket.connect(c.url(), token);
    expect((await ws.waitType('welcome')).messages.map((m) => m.id)).toEqual(ids.slice(-INBOX_MAX));
    ws.close();
  });
});
