/**
 * The "old-town-walk" template played end to end, with its shard in a child process: every
 * authored type, the final clue opening once the others are solved, bonus missions (one that
 * opens on a timer, one that closes), a photo rejected, resubmitted and approved once though
 * two game masters click at once, a free answer judged, a check-in through a shard kill -9
 * counted once, and the hunt copied through its definition into an identical one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, PlayerSocket, type ServerMessage } from '../client/index.js';
import type { PublicPuzzle } from '../protocol/index.js';
import { redisUrl, spawnNode, startCluster, until, type Cluster } from './helpers.js';

/** A PNG's signature and a little more: what the server tells a PNG by. */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
const SQUARE = { lat: 43.2977, lng: 5.3673 };

type Puzzles = PublicPuzzle[];
const byId = (list: Puzzles, id: string): PublicPuzzle => {
  const p = list.find((x) => x.id === id);
  if (!p) throw new Error(`no puzzle ${id}`);
  return p;
};

describe('an authored hunt, end to end', () => {
  let c: Cluster;
  const children: ReturnType<typeof spawnNode>[] = [];
  const shardProcess = async (): Promise<ReturnType<typeof spawnNode>> => {
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
    await node.ready;
    return node;
  };

  beforeAll(async () => {
    c = await startCluster([['front', 'worker']]);
  });
  afterAll(async () => {
    for (const ch of children) ch.child.kill('SIGKILL');
    await c.close();
  });

  it('plays every type, opens the sequence in order, judges photos once and survives a shard kill -9', async () => {
    const first = await shardProcess();
    const gm = c.gm();
    const { id } = await gm.createHunt({ name: 'Old town', template: 'old-town-walk' });
    // authored puzzles skip the generation queue
    expect((await gm.hunt(id)).status).toBe('ready');

    // the definition makes an identical copy
    const definition = await gm.request<Record<string, unknown>>('GET', `/api/hunts/${id}/definition`);
    const copy = await gm.request<{ id: string }>('POST', '/api/hunts', definition);
    expect(await gm.request('GET', `/api/hunts/${copy.id}/definition`)).toEqual(definition);
    expect((await gm.answers(copy.id)).answers).toEqual((await gm.answers(id)).answers);
    const key = new Map((await gm.answers(id)).answers.map((a) => [a.puzzle, a.answer]));
    expect(Object.fromEntries(key)).toMatchObject({
      riddle: 'a clock',
      harbour: '2',
      bridge: 'PANIER1599',
      square: '',
      'team-photo': '',
    });

    await gm.lifecycle(id, 'launch');
    const launchedAt = Date.now();
    const alice = await gm.join(id, 'alice');
    const ws = await PlayerSocket.connect(c.url(), alice.token);
    const welcome = await ws.waitType('welcome');
    const final = byId(welcome.puzzles, 'final');
    expect(final).toMatchObject({
      type: 'text',
      locked: true,
      lockedBy: 'after',
      prompt: null,
      after: ['riddle', 'harbour', 'bridge', 'square', 'team-photo'],
      points: 300,
    });
    expect(byId(welcome.puzzles, 'harbour')).toMatchObject({
      locked: false,
      prompt: { options: ['Romans', 'Phoenicians', 'Greeks from Phocaea', 'Celts'] },
      difficulty: 'medium',
      title: 'The old harbour',
    });
    expect(byId(welcome.puzzles, 'square')).toMatchObject({ type: 'checkin', locked: false, location: { radius: 60 } });
    expect(JSON.stringify(welcome)).not.toMatch(/PANIER1599|clock|horloge|Notre|Bonne/i);

    let n = 0;
    // as a client does: an answer the loaded node shed (OVERLOADED) goes again, same id, after the wait it asks for
    const answer = async (puzzle: string, text: string): Promise<ServerMessage> => {
      const id = `a${++n}`;
      for (;;) {
        const reply = await ws.request({ t: 'answer', id, puzzle, answer: text });
        if (reply.t !== 'error' || reply.code !== 'OVERLOADED') return reply;
        await new Promise((r) => setTimeout(r, reply.retryAfterMs ?? 100));
      }
    };
    // text: accents, case, punctuation and spacing do not count; choice by index; code, case ignored
    expect(await answer('riddle', '  A   CLÔCK!! ')).toMatchObject({ t: 'result', correct: true, points: 100 });
    expect(await answer('final', 'bonne mere')).toMatchObject({ t: 'error', code: 'PUZZLE_LOCKED' });
    expect(await answer('harbour', 'PANIER1599')).toMatchObject({ t: 'result', correct: false }); // a code in the wrong puzzle
    expect(await answer('harbour', '2')).toMatchObject({ t: 'result', correct: true, points: 100 });
    expect(await answer('bridge', 'panier1599')).toMatchObject({ t: 'result', correct: true, points: 150 });
    expect(await answer('square', 'here')).toMatchObject({ t: 'error', code: 'VALIDATION_FAILED' });

    // a check-in on the moves lane, with the shard killed -9 while the moves are in flight
    for (let i = 0; i < 5; i++) ws.send({ t: 'move', lat: SQUARE.lat, lng: SQUARE.lng + i * 1e-6 });
    first.child.kill('SIGKILL');
    for (let i = 0; i < 5; i++) ws.send({ t: 'move', lat: SQUARE.lat, lng: SQUARE.lng - i * 1e-6 });
    const second = await shardProcess();
    const checkin = await ws.waitType('checkin', 20_000);
    expect(checkin).toMatchObject({ puzzle: 'square', points: 50, score: 400 });
    // and again: a shard that never saw this check-in gets more moves at the square
    second.child.kill('SIGKILL');
    await shardProcess();
    for (let i = 0; i < 5; i++) ws.send({ t: 'move', lat: SQUARE.lat, lng: SQUARE.lng });
    const solves = `${c.prefix}:{h:${id}}:solves`;
    await until(
      'the later moves applied',
      async () => (Number(await c.redis.hget(`${c.prefix}:{h:${id}}:moves`, alice.player)) >= 15 ? true : undefined),
      30_000,
    );
    expect(await c.redis.hget(solves, `${alice.player}:square`)).toBe('50');
    const exported = await gm.request<{ events: { k: string; puzzle?: string }[] }>('GET', `/api/hunts/${id}/export`);
    expect(exported.events.filter((e) => e.k === 'checkin' && e.puzzle === 'square')).toHaveLength(1);
    expect(ws.received.filter((m) => m.t === 'checkin')).toHaveLength(1);

    // a photo: refused for what it is not, rejected, sent again, approved once by two game masters at once
    const submit = (body: Record<string, unknown>): Promise<{ submission: string; status: string }> =>
      gm.request('POST', `/api/hunts/${id}/submissions`, body, alice.token);
    await expect(
      submit({ id: 'pdf', puzzle: 'team-photo', photo: Buffer.from('%PDF-1.7 not a photo').toString('base64') }),
    ).rejects.toMatchObject({ status: 400, code: 'MEDIA_INVALID' });
    const sent = await submit({ id: 'ph1', puzzle: 'team-photo', photo: PNG.toString('base64') });
    expect(sent.status).toBe('pending');
    expect(await submit({ id: 'ph1', puzzle: 'team-photo', photo: PNG.toString('base64') })).toEqual(sent); // the same request id: the first outcome
    await expect(submit({ id: 'ph2', puzzle: 'team-photo', photo: PNG.toString('base64') })).rejects.toMatchObject({
      code: 'SUBMISSION_PENDING',
    });
    const queue = await gm.request<{
      submissions: { id: string; photoUrl?: string; status: string; player: string }[];
    }>('GET', `/api/hunts/${id}/submissions?status=pending`);
    expect(queue.submissions).toEqual([
      expect.objectContaining({
        id: sent.submission,
        player: alice.player,
        status: 'pending',
        photoUrl: `/api/hunts/${id}/submissions/${sent.submission}/photo`,
      }),
    ]);
    const photo = await fetch(`${c.url()}${queue.submissions[0]!.photoUrl!}`, {
      headers: { authorization: `Bearer ${'test-gm-key-0123456789'}` },
    });
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await photo.arrayBuffer())).toEqual(PNG);
    expect(
      (
        await fetch(`${c.url()}${queue.submissions[0]!.photoUrl!}`, {
          headers: { authorization: `Bearer ${alice.token}` },
        })
      ).status,
    ).toBe(401);
    await gm.request('POST', `/api/hunts/${id}/submissions/${sent.submission}/reject`, {
      reason: 'Nobody is in the picture',
    });
    expect(await ws.waitType('review')).toMatchObject({
      puzzle: 'team-photo',
      approved: false,
      points: 0,
      reason: 'Nobody is in the picture',
    });
    const again = await submit({ id: 'ph3', puzzle: 'team-photo', photo: PNG.toString('base64') });
    const decisions = await Promise.allSettled(
      [0, 1].map(() => gm.request('POST', `/api/hunts/${id}/submissions/${again.submission}/approve`, {})),
    );
    expect(decisions.filter((d) => d.status === 'fulfilled')).toHaveLength(1);
    expect(decisions.find((d) => d.status === 'rejected')).toMatchObject({
      reason: expect.objectContaining({ status: 409, code: 'ALREADY_REVIEWED' }),
    });
    expect(await ws.waitFor((m) => m.t === 'review' && m.approved)).toMatchObject({
      puzzle: 'team-photo',
      points: 200,
      score: 600,
    });

    // the last of the five opens the final clue, for this player, at once
    const opened = await ws.waitFor(
      (m): m is Extract<ServerMessage, { t: 'puzzle' }> => m.t === 'puzzle' && m.puzzle.id === 'final',
    );
    expect(opened.puzzle).toMatchObject({
      id: 'final',
      locked: false,
      prompt: { text: expect.stringContaining('basilica') },
    });
    expect(await answer('final', 'Notre Dame de la Garde')).toMatchObject({
      t: 'result',
      correct: true,
      points: 300,
      score: 900,
    });
    expect((await gm.leaderboard(id)).entries[0]).toMatchObject({ player: alice.player, score: 900 });

    // bonus missions while live: one opening on a timer, one closing, one judged free answer
    const elapsed = Math.ceil((Date.now() - launchedAt) / 1000);
    await gm.request('POST', `/api/hunts/${id}/puzzles`, {
      id: 'late',
      type: 'text',
      title: 'Late clue',
      prompt: 'Which sea?',
      points: 40,
      answers: ['Mediterranean'],
      opensAfterS: elapsed + 2,
    });
    const announced = await ws.waitFor(
      (m): m is Extract<ServerMessage, { t: 'puzzle' }> => m.t === 'puzzle' && m.puzzle.id === 'late',
    );
    expect(announced.puzzle).toMatchObject({
      locked: true,
      lockedBy: 'time',
      prompt: null,
      opensAt: expect.any(Number),
    });
    expect(await answer('late', 'Mediterranean')).toMatchObject({ t: 'error', code: 'PUZZLE_LOCKED' });
    const onTime = await ws.waitFor(
      (m): m is Extract<ServerMessage, { t: 'puzzle' }> =>
        m.t === 'puzzle' && m.puzzle.id === 'late' && !m.puzzle.locked,
      20_000,
    );
    expect(onTime.puzzle.prompt).toEqual({ text: 'Which sea?' });
    expect(await answer('late', 'the mediterranean'.replace('the ', ''))).toMatchObject({
      t: 'result',
      correct: true,
      points: 40,
    });

    const sinceLaunch = Math.ceil((Date.now() - launchedAt) / 1000);
    await gm.request('POST', `/api/hunts/${id}/puzzles`, {
      id: 'flash',
      type: 'code',
      title: 'Flash',
      prompt: 'Quick: the code on the kiosk',
      points: 10,
      code: 'KIOSK7',
      closesAfterS: sinceLaunch + 1,
    });
    expect(await ws.waitFor((m) => m.t === 'closed' && m.puzzle === 'flash', 20_000)).toEqual({
      t: 'closed',
      puzzle: 'flash',
    });
    expect(await answer('flash', 'KIOSK7')).toMatchObject({ t: 'error', code: 'PUZZLE_CLOSED' });

    await gm.request('POST', `/api/hunts/${id}/puzzles`, {
      id: 'story',
      type: 'free',
      title: 'Your story',
      prompt: 'Tell us about the walk',
      points: 25,
    });
    expect(await answer('story', 'We got lost twice')).toEqual({
      t: 'result',
      id: `a${n}`,
      puzzle: 'story',
      pending: true,
    });
    const free = await gm.request<{ submissions: { id: string; text?: string }[] }>(
      'GET',
      `/api/hunts/${id}/submissions?status=pending`,
    );
    expect(free.submissions).toEqual([expect.objectContaining({ text: 'We got lost twice' })]);
    await gm.request('POST', `/api/hunts/${id}/submissions/${free.submissions[0]!.id}/approve`, { points: 30 });
    expect(await ws.waitFor((m) => m.t === 'review' && m.puzzle === 'story')).toMatchObject({
      approved: true,
      points: 30,
    });

    // a welcome restores all of it
    ws.close();
    const back = await PlayerSocket.connect(c.url(), alice.token);
    const restored = (await back.waitType('welcome')).puzzles;
    expect(byId(restored, 'final')).toMatchObject({ solved: true, locked: false });
    expect(byId(restored, 'square')).toMatchObject({ solved: true });
    expect(byId(restored, 'flash')).toMatchObject({ closed: true, closesAt: expect.any(Number) });
    expect(byId(restored, 'late')).toMatchObject({ solved: true, locked: false, opensAt: expect.any(Number) });
    back.close();
  }, 120_000);

  it('keeps puzzles as written before launch and only adds them after', async () => {
    const gm = c.gm();
    const { id } = await gm.createHunt({
      name: 'Edits',
      puzzles: [{ type: 'choice', title: 'Q', prompt: 'Pick', points: 5, options: ['a', 'b'], answer: 0 }],
    });
    await gm.request('PUT', `/api/hunts/${id}/puzzles/p1`, {
      type: 'code',
      title: 'Q2',
      prompt: 'Find it',
      points: 7,
      code: 'ABCD',
    });
    await gm.request('POST', `/api/hunts/${id}/puzzles`, {
      type: 'text',
      title: 'Next',
      prompt: 'Then',
      points: 3,
      answers: ['yes'],
      after: ['p1'],
    });
    await expect(gm.request('DELETE', `/api/hunts/${id}/puzzles/p1`)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(
      gm.request('POST', `/api/hunts/${id}/puzzles`, {
        type: 'text',
        title: 'X',
        prompt: 'Y',
        points: 3,
        answers: ['z'],
        after: ['nope'],
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const view = await gm.hunt(id);
    expect(view.puzzles.map((p) => [p.id, p.type])).toEqual([
      ['p1', 'code'],
      ['p2', 'text'],
    ]);
    await gm.lifecycle(id, 'launch');
    await expect(
      gm.request('PUT', `/api/hunts/${id}/puzzles/p1`, {
        type: 'code',
        title: 'Q3',
        prompt: 'F',
        points: 7,
        code: 'ABCDE',
      }),
    ).rejects.toMatchObject({ status: 409, code: 'HUNT_STATUS_CONFLICT' });
    await expect(gm.request('DELETE', `/api/hunts/${id}/puzzles/p2`)).rejects.toMatchObject({
      status: 409,
      code: 'HUNT_STATUS_CONFLICT',
    });
    const svg = await gm.request<string>('GET', `/api/hunts/${id}/qr/p1`, undefined, undefined, 'image/svg+xml');
    expect(svg).toMatch(/^<svg[^>]*>/);
    const sheet = await fetch(`${c.url()}/api/hunts/${id}/qr`, {
      headers: { authorization: 'Bearer test-gm-key-0123456789' },
    });
    expect(sheet.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await sheet.text();
    expect(html).toContain('<svg');
    expect(html).toContain('Q2');
    expect(html).not.toMatch(/<script/i);
    await expect(gm.request('GET', `/api/hunts/${id}/qr/p2`)).rejects.toBeInstanceOf(HttpError);
  });

  it('sequences generated puzzles too: the museum trail cipher opens ten minutes after launch', async () => {
    await shardProcess();
    const gm = c.gm();
    const { id } = await gm.createHunt({ name: 'Museum', template: 'museum-trail' });
    expect((await gm.waitReady(id)).status).toBe('ready');
    await gm.lifecycle(id, 'launch');
    const launchedAt = Date.parse(
      String((await gm.request<{ launchedAt: string }>('GET', `/api/hunts/${id}`)).launchedAt),
    );
    const { token } = await gm.join(id, 'visitor');
    const ws = await PlayerSocket.connect(c.url(), token);
    const { puzzles } = await ws.waitType('welcome');
    expect(byId(puzzles, 'cipher')).toMatchObject({
      type: 'cipher',
      title: "The curator's note",
      locked: true,
      lockedBy: 'time',
      prompt: null,
      opensAt: launchedAt + 600_000,
    });
    expect(byId(puzzles, 'story')).toMatchObject({ locked: true, lockedBy: 'after', after: ['entrance'] });
    expect(byId(puzzles, 'last')).toMatchObject({ locked: false, closesAt: launchedAt + 3_600_000 });
    expect(await ws.request({ t: 'hint', id: 'h1', puzzle: 'cipher' })).toMatchObject({
      t: 'error',
      code: 'PUZZLE_LOCKED',
    });
    ws.close();
  });
});
