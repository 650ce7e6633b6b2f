/**
 * Hostile input to authored hunts: oversized and malformed puzzles, photos that are not photos
 * or far too large, a code sent to the wrong puzzle, a flood of submissions from one player.
 * Each gets a clear code, and nothing else moves: no hunt is created, no score changes, the
 * review queue holds one submission.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket, type ServerMessage } from '../client/index.js';
import { DEFAULT_LIMITS } from '../config/index.js';
import { GM_KEY, startCluster, type Cluster } from './helpers.js';

/** A request sent again (same id) while a loaded node sheds it, as a client does. */
async function ask(ws: PlayerSocket, msg: Parameters<PlayerSocket['request']>[0]): Promise<ServerMessage> {
  for (;;) {
    const reply = await ws.request(msg);
    if (reply.t !== 'error' || reply.code !== 'OVERLOADED') return reply;
    await new Promise((r) => setTimeout(r, reply.retryAfterMs ?? 100));
  }
}

const riddle = {
  type: 'text' as const,
  title: 'Riddle',
  prompt: 'What runs but never walks?',
  points: 10,
  answers: ['a river', 'river'],
};

describe('hostile input to authored hunts', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster();
  });
  afterAll(() => c.close());

  const post = (path: string, body: unknown, auth = GM_KEY): Promise<Response> =>
    fetch(`${c.url()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const errorOf = async (res: Response): Promise<{ status: number; code: string; paths: string[] }> => {
    const body = (await res.json()) as { error: { code: string; details?: { path: string }[] } };
    return { status: res.status, code: body.error.code, paths: (body.error.details ?? []).map((d) => d.path) };
  };

  it('refuses oversized and malformed authored puzzles by field, and creates nothing', async () => {
    const before = (await c.gm().hunts()).hunts.length;
    const cases: [unknown, string[]][] = [
      [{ name: 'x', puzzles: [{ ...riddle, prompt: 'p'.repeat(2001) }] }, ['puzzles.0.prompt']],
      [{ name: 'x', puzzles: [{ ...riddle, title: 't'.repeat(121) }] }, ['puzzles.0.title']],
      [{ name: 'x', puzzles: [{ ...riddle, points: 'ten' }] }, ['puzzles.0.points']],
      [{ name: 'x', puzzles: [{ ...riddle, points: 1e9 }] }, ['puzzles.0.points']],
      [{ name: 'x', puzzles: [{ ...riddle, answers: [] }] }, ['puzzles.0.answers']],
      [{ name: 'x', puzzles: [{ ...riddle, answers: ['...', '!!'] }] }, ['puzzles.0.answers.0', 'puzzles.0.answers.1']],
      [{ name: 'x', puzzles: [{ ...riddle, hints: ['h'.repeat(501)] }] }, ['puzzles.0.hints.0']],
      [{ name: 'x', puzzles: [{ ...riddle, location: { lat: 91, lng: 0, radius: 5 } }] }, ['puzzles.0.location.lat']],
      [{ name: 'x', puzzles: [{ ...riddle, answer: 2 }] }, ['puzzles.0']],
      [
        {
          name: 'x',
          puzzles: [
            {
              type: 'choice',
              title: 'Q',
              prompt: 'P',
              points: 1,
              options: Array.from({ length: 11 }, (_, i) => `o${i}`),
              answer: 0,
            },
          ],
        },
        ['puzzles.0.options'],
      ],
      [
        { name: 'x', puzzles: [{ type: 'code', title: 'Q', prompt: 'P', points: 1, code: 'bad code!' }] },
        ['puzzles.0.code'],
      ],
      [{ name: 'x', puzzles: [{ ...riddle, id: '../../etc' }] }, ['puzzles.0.id']],
      [{ name: 'x', puzzles: [{ ...riddle, after: ['p1'] }] }, ['puzzles.0.after.0']],
      [{ name: 'x', puzzles: [{ ...riddle, opensAfterS: -1 }] }, ['puzzles.0.opensAfterS']],
      [{ name: 'x', puzzles: Array.from({ length: 201 }, () => riddle) }, ['puzzles']],
      [{ name: 'x', puzzles: [{ type: 'telepathy', title: 'Q', prompt: 'P', points: 1 }] }, ['puzzles.0.type']],
    ];
    for (const [body, paths] of cases) {
      const got = await errorOf(await post('/api/hunts', body));
      expect(got, JSON.stringify(body).slice(0, 120)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(got.paths).toEqual(expect.arrayContaining(paths));
    }
    expect(await errorOf(await post('/api/hunts', '{"name":"x","puzzles":[{"type":"text",'))).toMatchObject({
      status: 400,
      code: 'INVALID_JSON',
    });
    expect((await c.gm().hunts()).hunts.length).toBe(before);
  });

  it('refuses photos that are not JPEG, PNG or WebP, or too large; a code in the wrong puzzle is wrong; a flood of submissions is bounded', async () => {
    const gm = c.gm();
    const { id } = await gm.createHunt({
      name: 'Hostile',
      puzzles: [
        { ...riddle, id: 'riddle' },
        { type: 'code' as const, id: 'code', title: 'Code', prompt: 'On the wall', points: 20, code: 'WALL42' },
        { type: 'photo' as const, id: 'photo', title: 'Photo', prompt: 'A selfie', points: 30 },
        { type: 'free' as const, id: 'free', title: 'Free', prompt: 'Say something', points: 5 },
      ],
    });
    await gm.lifecycle(id, 'launch');
    const [mallory, honest] = await Promise.all([gm.join(id, 'mallory'), gm.join(id, 'honest')]);
    const photo = (data: Buffer | string, rid: string): Promise<Response> =>
      post(
        `/api/hunts/${id}/submissions`,
        { id: rid, puzzle: 'photo', photo: typeof data === 'string' ? data : data.toString('base64') },
        mallory.token,
      );

    expect(await errorOf(await photo(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'pdf'))).toMatchObject({
      status: 400,
      code: 'MEDIA_INVALID',
    });
    expect(await errorOf(await photo('not base64 at all!', 'junk'))).toMatchObject({
      status: 400,
      code: 'MEDIA_INVALID',
    });
    // a JPEG's first bytes and a little over the 5 MiB a photo may weigh (the body itself is within the route's limit)
    expect(
      await errorOf(
        await photo(
          Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5 * 1024 * 1024 + 20_000)]),
          'big',
        ),
      ),
    ).toMatchObject({ status: 400, code: 'MEDIA_INVALID' });
    // 50 MiB: refused by the body limit of the route before it is read
    const huge = await photo(Buffer.alloc(50 * 1024 * 1024, 1), 'huge').catch((err: unknown) => err);
    if (huge instanceof Response) expect(await errorOf(huge)).toMatchObject({ status: 413, code: 'BODY_TOO_LARGE' });
    else expect(String(huge)).toMatch(/fetch failed|socket|EPIPE|ECONNRESET/); // the node may close the socket mid-upload
    expect(
      await errorOf(
        await post(`/api/hunts/${id}/submissions`, { id: 'x', puzzle: 'riddle', photo: 'AAAA' }, mallory.token),
      ),
    ).toMatchObject({ status: 400, code: 'MEDIA_INVALID' });
    expect(
      await errorOf(
        await post(`/api/hunts/${id}/submissions`, { id: 'x2', puzzle: 'riddle', text: 'a river' }, mallory.token),
      ),
    ).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(
      await errorOf(
        await post(`/api/hunts/${id}/submissions`, { id: 'x3', puzzle: 'free', text: 'hi' }, 'not-a-token'),
      ),
    ).toMatchObject({ status: 401 });
    expect((await gm.request<{ submissions: unknown[] }>('GET', `/api/hunts/${id}/submissions`)).submissions).toEqual(
      [],
    );

    const ws = await PlayerSocket.connect(c.url(), mallory.token);
    await ws.waitType('welcome');
    // the code in the wrong puzzle is simply a wrong answer there; in its own puzzle it scores
    expect(await ask(ws, { t: 'answer', id: 'c1', puzzle: 'riddle', answer: 'WALL42' })).toMatchObject({
      t: 'result',
      correct: false,
    });
    expect(await ask(ws, { t: 'answer', id: 'c2', puzzle: 'code', answer: 'wall42' })).toMatchObject({
      t: 'result',
      correct: true,
      points: 20,
    });

    // 1,000 submissions to the free puzzle: one waits for review, the rest are refused by code
    const replies: ServerMessage[] = [];
    const ids = Array.from({ length: 1000 }, (_, i) => `f${i}`);
    const done = Promise.all(ids.map((rid) => ws.waitFor((m) => 'id' in m && m.id === rid, 60_000)));
    for (const rid of ids) ws.send({ t: 'answer', id: rid, puzzle: 'free', answer: `spam ${rid}` });
    replies.push(...(await done));
    expect(replies.filter((r) => r.t === 'result' && r.pending)).toHaveLength(1);
    const codes = new Map<string, number>();
    for (const r of replies) if (r.t === 'error') codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
    // refused as pending, past the attempts a minute allows, or (a loaded node) shed or rate-limited: never anything else
    for (const code of codes.keys())
      expect(['SUBMISSION_PENDING', 'TOO_MANY_ATTEMPTS', 'RATE_LIMITED', 'OVERLOADED']).toContain(code);
    expect(codes.get('SUBMISSION_PENDING') ?? 0).toBeLessThanOrEqual(DEFAULT_LIMITS.answersPerMinutePerPuzzle - 1);
    expect(codes.get('TOO_MANY_ATTEMPTS') ?? 0).toBeGreaterThan(0);
    const queue = await gm.request<{ submissions: { player: string; text?: string }[] }>(
      'GET',
      `/api/hunts/${id}/submissions?status=pending`,
    );
    expect(queue.submissions).toHaveLength(1);
    // the review queue's gauge, as of the queue's last reading on this node
    expect(await fetch(`${c.url()}/metrics`).then((r) => r.text())).toContain(
      `hunt_submissions_pending{hunt="${id}"} 1`,
    );
    // nothing else moved: the honest player plays on, the board holds only the code's points
    const other = await PlayerSocket.connect(c.url(), honest.token);
    await other.waitType('welcome');
    expect(await ask(other, { t: 'answer', id: 'h1', puzzle: 'riddle', answer: 'River!' })).toMatchObject({
      t: 'result',
      correct: true,
      points: 10,
    });
    const board = await gm.leaderboard(id);
    expect(board.entries.map((e) => [e.name, e.score])).toEqual([
      ['mallory', 20],
      ['honest', 10],
    ]);
    // a player removed while their submission waited is not scored by its approval
    const waiting = (
      await gm.request<{ submissions: { id: string }[] }>('GET', `/api/hunts/${id}/submissions?status=pending`)
    ).submissions[0]!;
    await gm.request('DELETE', `/api/hunts/${id}/players/${mallory.player}`);
    expect(await gm.request('POST', `/api/hunts/${id}/submissions/${waiting.id}/approve`, {})).toMatchObject({
      status: 'rejected',
      points: 0,
    });
    expect((await gm.leaderboard(id)).entries.map((e) => e.name)).toEqual(['honest']);
    ws.close();
    other.close();
  }, 120_000);
});
