/**
 * Hostile input is normal input: the exact reproductions of issue 9, then property-based
 * fuzzing (fast-check) of WebSocket frames, HTTP requests and raw stream events, with an
 * honest player checked throughout. Every case must get a contract error, never a dead
 * node, a stalled partition or an echo of what was sent.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS, HuntHttpClient, PlayerSocket, type ClientMessage, type ServerMessage } from '../client/index.js';
import { entryFields } from '../rooms/index.js';
import { GM_KEY, liveHunt, metricValue, setConfig, startCluster, streamOf, until, type Cluster } from './helpers.js';

/** Sends raw bytes over HTTP/1.1 and returns the status code (0 when the connection closed without one). */
function rawHttp(port: number, request: string | Buffer, timeoutMs = 3000): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(request.toString().slice(0, 80))}`));
    }, timeoutMs);
    sock.on('data', (d) => {
      text += d.toString('latin1');
      if (/\r\n\r\n/.test(text)) {
        const len = /content-length: (\d+)/i.exec(text);
        const body = text.slice(text.indexOf('\r\n\r\n') + 4);
        if (!len || body.length >= Number(len[1])) sock.end();
      }
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearTimeout(timer);
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
    sock.write(request);
  });
}

const KNOWN = new Set(Object.keys(ERRORS));

describe('hostile input', () => {
  let c: Cluster;
  let hunt: { id: string; answers: Map<string, string> };
  let honest: PlayerSocket;
  let pings = 0;

  /** The honest player still gets answers: a ping round trip on its own socket. */
  const honestAlive = async (): Promise<void> => {
    const id = `ok${pings++}`;
    expect(await honest.request({ t: 'ping', id }, 5000)).toMatchObject({ t: 'pong', id });
  };

  /**
   * A request sent again while the node sheds it (OVERLOADED, after its retryAfterMs), as the
   * contract tells clients to: right after a flood a loaded machine may still be shedding.
   */
  const answerRetryingShed = async (
    ws: PlayerSocket,
    msg: Exclude<ClientMessage, { t: 'move' }>,
  ): Promise<ServerMessage> => {
    for (;;) {
      const reply = await ws.request(msg);
      if (reply.t !== 'error' || reply.code !== 'OVERLOADED') return reply;
      await new Promise((r) => setTimeout(r, reply.retryAfterMs ?? 100));
    }
  };

  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
    hunt = await liveHunt(c.gm());
    // the fuzzers send thousands of frames on one socket: lift the per-connection rate for this file
    await setConfig(c, 'limits', {
      messagesPerSecond: 1_000_000,
      burst: 1_000_000,
      answersPerMinutePerPuzzle: 100_000,
    });
    const joined = await c.gm().join(hunt.id, 'honest');
    honest = await PlayerSocket.connect(c.url(), joined.token);
    await honest.waitType('welcome');
  });
  afterAll(async () => {
    honest.close();
    await c.close();
  });

  it('answers a path that is not valid percent-encoding with 400 on every route with a parameter, and stays up', async () => {
    const gm = new HuntHttpClient(c.url(), GM_KEY);
    for (const path of [
      '/api/hunts/%FF/leaderboard',
      '/api/hunts/%FF',
      '/api/hunts/%E0%A4%A/answers',
      '/api/hunts/%FF/players',
      '/api/configs/%FF',
      '/api/hunts/x/players/%C3%28/adjust',
    ]) {
      for (const method of ['GET', 'POST', 'PATCH', 'DELETE', 'PUT']) {
        const res = await fetch(`${c.url()}${path}`, {
          method,
          headers: { authorization: `Bearer ${GM_KEY}` },
          ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
        });
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
        const body = (await res.json()) as { error?: { code: string } };
        expect(KNOWN.has(body.error?.code ?? '')).toBe(true);
      }
    }
    expect((await fetch(`${c.url()}/healthz`)).status).toBe(200);
    await expect(gm.leaderboard(hunt.id, 5)).resolves.toMatchObject({ seq: expect.any(Number) });
  });

  it('answers a deeply nested frame with a short error that echoes nothing', async () => {
    const { token } = await c.gm().join(hunt.id, 'nester');
    const ws = await PlayerSocket.connect(c.url(), token);
    await ws.waitType('welcome');
    const before = ws.received.length;
    ws.sendRaw(`{"t":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    ws.sendRaw(`{"t":"hint","id":"deep","puzzle":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    ws.sendRaw(JSON.stringify({ t: 'hint', id: 'x'.repeat(10_000), puzzle: 'p1' }));
    // deltas and standings of the shared hunt may arrive in between: the replies are the frames that answer
    const answers = (): ServerMessage[] => ws.received.slice(before).filter((m) => m.t !== 'lb' && m.t !== 'you');
    const replies = await until('three replies', () => (answers().length >= 3 ? answers() : undefined));
    expect(replies).toHaveLength(3);
    for (const r of replies) {
      expect(r.t).toBe('error');
      expect(JSON.stringify(r).length).toBeLessThan(400);
      expect(JSON.stringify(r)).not.toContain('[[[');
      expect(JSON.stringify(r)).not.toContain('xxxxxxxx');
    }
    expect(replies.map((r) => (r as { code: string }).code)).toEqual([
      'UNKNOWN_MESSAGE',
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
    ]);
    expect(await ws.request({ t: 'ping', id: 'still' })).toMatchObject({ t: 'pong' });
    ws.close();
    await honestAlive();
  });

  it('refuses lone surrogates at the edge, so the hunt and its partition go on', async () => {
    const { token } = await c.gm().join(hunt.id, 'surrogate');
    const ws = await PlayerSocket.connect(c.url(), token);
    await ws.waitType('welcome');
    const before = ws.received.length;
    ws.sendRaw('{"t":"hint","id":"s3","puzzle":"\\udc00"}');
    ws.sendRaw('{"t":"hint","id":"\\udbff","puzzle":"p1"}');
    ws.sendRaw('{"t":"answer","id":"s4","puzzle":"p1","answer":"a\\ud800b"}');
    // deltas and standings of the hunt may arrive in between: the replies are the frames that answer
    const answers = (): ServerMessage[] => ws.received.slice(before).filter((m) => m.t !== 'lb' && m.t !== 'you');
    const replies = await until('three replies', () => (answers().length >= 3 ? answers() : undefined));
    expect(replies).toHaveLength(3);
    expect(replies.every((r) => r.t === 'error' && (r as { code: string }).code === 'VALIDATION_FAILED')).toBe(true);
    // the second had no usable id, so its reply carries none
    expect(replies.map((r) => (r as { id?: string }).id)).toEqual(['s3', undefined, 's4']);
    // a join with such a name is refused before anything is written
    const res = await fetch(`${c.url()}/api/hunts/${hunt.id}/players`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"eve\\ud800"}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    // and the hunt still forms deltas and answers
    const answer = await ws.request({ t: 'answer', id: 'real', puzzle: 'p1', answer: hunt.answers.get('p1')! });
    expect(answer).toMatchObject({ t: 'result', correct: true });
    await c.gm().join(hunt.id, 'after');
    ws.close();
  });

  it('is not held up by requests uWS does not parse; it drops them on its own idle timer', async () => {
    const port = c.nodes[0]!.port;
    // uWS v20.30 parses neither HTTP/1.0, nor a request without Host, nor a NUL in a header, nor
    // CONNECT: no handler ever sees them, so no 400 can be sent; it closes them after ~10 s idle
    const bad = [
      'GET /healthz HTTP/1.0\r\n\r\n',
      'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\0b\r\n\r\n',
      'CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: x\r\n\r\n',
      'NONSENSE\r\n\r\n',
    ];
    const pending = bad.map((req) => rawHttp(port, req, 20_000));
    // meanwhile every other client is served
    expect((await fetch(`${c.url()}/healthz`)).status).toBe(200);
    for (const res of await Promise.all(pending)) expect([0, 400]).toContain(res.status);
    expect((await fetch(`${c.url()}/healthz`)).status).toBe(200);
  });

  it('sends a reply to the player socket on another front when the event came over HTTP', async () => {
    const joined = await c.gm().join(hunt.id, 'courier');
    const ws = await PlayerSocket.connect(c.url(0), joined.token);
    await ws.waitType('welcome');
    const res = await fetch(`${c.url(1)}/api/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${joined.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [{ t: 'answer', id: 'via-http', puzzle: 'p2', answer: hunt.answers.get('p2')! }],
      }),
    });
    expect(res.status).toBe(202);
    expect(await ws.waitFor((m) => m.t === 'result' && m.id === 'via-http')).toMatchObject({ correct: true });
    ws.close();
  });

  it('closes a socket with 4001 when its token expires, unless the client renewed it', async () => {
    // a node whose tokens live 3 s, on the same Redis and prefix
    const short = await startCluster([['front', 'shard', 'worker']], { tokenTtlSeconds: 3 });
    try {
      const h = await liveHunt(short.gm(), 1);
      const joined = await short.gm().join(h.id, 'timer');
      const [lapsing, renewing] = await Promise.all([
        PlayerSocket.connect(short.url(), joined.token),
        PlayerSocket.connect(short.url(), joined.token),
      ]);
      await Promise.all([lapsing.waitType('welcome'), renewing.waitType('welcome')]);
      // renew well into the first token's life, so the new one outlives it
      await new Promise((r) => setTimeout(r, 1500));
      const renewed = (await renewing.request({ t: 'renew', id: 'r1' })) as Extract<ServerMessage, { t: 'token' }>;
      expect(renewed).toMatchObject({ t: 'token', id: 'r1', token: expect.any(String), expiresAt: expect.any(Number) });
      const firstExpiry = JSON.parse(Buffer.from(joined.token.split('.')[0]!, 'base64url').toString()) as {
        exp: number;
      };
      expect(renewed.expiresAt).toBeGreaterThan(firstExpiry.exp * 1000);
      expect(await lapsing.waitClose(10_000)).toBe(4001);
      // still open after the first token lapsed, and the new token opens sockets
      expect(await renewing.request({ t: 'ping', id: 'alive' })).toMatchObject({ t: 'pong' });
      const again = await PlayerSocket.connect(short.url(), renewed.token);
      await again.waitType('welcome');
      again.close();
      renewing.close();
    } finally {
      await short.close();
    }
  });

  it('fuzz: any frame gets a pong, a token, a contract error or nothing, never an echo, and the honest player is served', async () => {
    const { token } = await c.gm().join(hunt.id, 'fuzzer');
    const ws = await PlayerSocket.connect(c.url(), token);
    await ws.waitType('welcome');
    // a marker in every string the fuzz sends: a reply that holds it (outside the request id the
    // contract echoes) repeats what the client sent
    const CANARY = 'zq§echo';
    const anyString = fc
      .tuple(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }))
      .map(([a, b]) => `${a}${CANARY}${b}`);
    const field = fc.oneof(
      anyString,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.jsonValue({ maxDepth: 6 }),
    );
    const shaped = fc.record(
      {
        t: fc.oneof(fc.constantFrom('answer', 'hint', 'move', 'ping', 'renew'), anyString, field),
        id: field,
        puzzle: field,
        answer: field,
        lat: field,
        lng: field,
      },
      { requiredKeys: [] },
    );
    const frame = fc.oneof(
      shaped.map((v) => JSON.stringify(v)),
      fc.jsonValue({ maxDepth: 8 }).map((v) => JSON.stringify(v)),
      anyString,
      fc.string({ maxLength: 40 }).map((s) => `{"t":"hint","id":"${s}","puzzle":"${s}${CANARY}"}`),
    );
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 20 }), async (frames) => {
        for (const f of frames) ws.sendRaw(f);
        sent += frames.length;
        // a ping after the batch: once its pong is back, every reply to the batch is in
        const id = `fz${sent}`;
        await ws.request({ t: 'ping', id }, 5000);
      }),
      { numRuns: 250 },
    );
    expect(sent).toBeGreaterThan(1000);
    for (const m of ws.received) {
      const text = JSON.stringify(m);
      if (m.t === 'error') expect(KNOWN.has(m.code), text).toBe(true);
      const { id: _echoedId, ...rest } = m as { id?: unknown };
      expect(JSON.stringify(rest), text).not.toContain(CANARY);
    }
    ws.close();
    await honestAlive();
    expect(
      await answerRetryingShed(honest, { t: 'answer', id: 'honest-p3', puzzle: 'p3', answer: hunt.answers.get('p3')! }),
    ).toMatchObject({ t: 'result', correct: true });
  });

  it('fuzz: any HTTP path, header and body gets a contract answer below 500, and the node stays up', async () => {
    const port = c.nodes[1]!.port;
    const segment = fc.oneof(
      fc.constantFrom(
        'api',
        'hunts',
        'configs',
        'players',
        'events',
        'leaderboard',
        'launch',
        'answers',
        'export',
        hunt.id,
        'routing',
        'template:x',
        '..',
        '%FF',
        '%00',
        '%',
        '%2F',
      ),
      fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map((s) => encodeURIComponent(s)),
    );
    const path = fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => `/${s.join('/')}`);
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD');
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 8 }).map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constant(''),
    );
    const auth = fc.oneof(
      fc.constant(`Bearer ${GM_KEY}`),
      fc.constant('Bearer nope'),
      fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).filter((s) => !/[\r\n]/.test(s)),
    );
    await fc.assert(
      fc.asyncProperty(method, path, auth, body, async (m, p, a, b) => {
        const bytes = Buffer.from(b, 'utf8');
        const req = `${m} ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${a}\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`;
        const { status, text } = await rawHttp(port, Buffer.concat([Buffer.from(req, 'latin1'), bytes]));
        expect(status, `${m} ${p}`).toBeGreaterThan(0);
        // writes may legitimately succeed (a GM fuzzing its own hunt); what must never happen is a 500
        expect(status, `${m} ${p} -> ${text.slice(0, 300)}`).toBeLessThan(500);
      }),
      { numRuns: 800 },
    );
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    await honestAlive();
  });

  it('fuzz: raw stream events are applied when well-formed and set aside (dead letter, EVENT_UNPROCESSABLE) when not, by a model', async () => {
    const joined = await c.gm().join(hunt.id, 'streamer');
    const ws = await PlayerSocket.connect(c.url(), joined.token);
    await ws.waitType('welcome');
    const node = c.nodes[0]!.id;
    const shard = c.nodes.find((n) => n.roles.includes('shard'))!;
    const h = hunt.id;
    const p = joined.player;
    let serial = 0;
    const nextId = (): string => `ev${serial++}`;
    // well-formed events of every streamed kind, for this hunt and player
    const goodAnswer = fc
      .record({ puzzle: fc.constantFrom('p1', 'p2', 'p3', 'p9'), answer: fc.string({ maxLength: 40 }) })
      .map((f) => ({ k: 'answer', h, p, id: nextId(), ...f }));
    const goodHint = fc
      .constantFrom('p1', 'p2', 'p3', 'p9')
      .map((puzzle) => ({ k: 'hint', h, p, id: nextId(), puzzle }));
    const goodMove = fc
      .record({
        lat: fc.double({ min: -90, max: 90, noNaN: true }),
        lng: fc.double({ min: -180, max: 180, noNaN: true }),
      })
      .map((f) => ({ k: 'move', h, p, ...f }));
    const good = fc.oneof(goodAnswer, goodHint, goodMove);
    // one defect each, named by the model: what the contract says a shard must refuse
    const LONE = 'x\ud800';
    const defects: Array<[string, (e: Record<string, unknown>) => Record<string, unknown>]> = [
      ['unknown kind', (e) => ({ ...e, k: 'teleport' })],
      ['kind in the wrong case', (e) => ({ ...e, k: String(e.k).toUpperCase() })],
      ['empty id, or a coordinate that is text', (e) => (e.k === 'move' ? { ...e, lat: 'north' } : { ...e, id: '' })],
      [
        'id too long, or a longitude out of range',
        (e) => (e.k === 'move' ? { ...e, lng: 181 } : { ...e, id: 'i'.repeat(65) }),
      ],
      [
        'puzzle not a string, or an infinite latitude',
        (e) => (e.k === 'move' ? { ...e, lat: Number.POSITIVE_INFINITY } : { ...e, puzzle: 7 }),
      ],
      [
        'lone surrogate, or a null latitude',
        (e) =>
          e.k === 'answer' ? { ...e, answer: LONE } : e.k === 'hint' ? { ...e, puzzle: LONE } : { ...e, lat: null },
      ],
      ['no kind', (e) => Object.fromEntries(Object.entries(e).filter(([name]) => name !== 'k'))],
    ];
    const bad = fc
      .tuple(good, fc.integer({ min: 0, max: defects.length - 1 }))
      .map(([e, i]) => ({ ...defects[i]![1](e as Record<string, unknown>), defect: defects[i]![0] }));
    const event = fc
      .oneof({ arbitrary: good, weight: 3 }, { arbitrary: bad, weight: 2 })
      .map((e): Record<string, unknown> => e);

    const deadBefore = (await c.gm().request<{ deadLetters: { count: number } }>('GET', `/api/hunts/${h}`)).deadLetters
      .count;
    // moves other tests sent may still be in a flush window: start counting once the count holds still
    const appliedMoves = (): number => metricValue(shard.metrics.render(), 'hunt_events_applied_total{type="move"}');
    let movesBefore = appliedMoves();
    await until(
      'no earlier move still being applied',
      async () => {
        await new Promise((r) => setTimeout(r, 1200));
        const now = appliedMoves();
        const still = now === movesBefore;
        movesBefore = now;
        return still ? true : undefined;
      },
      30_000,
    );
    const sent = { good: [] as Record<string, unknown>[], bad: [] as Record<string, unknown>[] };
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 8 }), async (events) => {
        for (const e of events) (e.defect === undefined ? sent.good : sent.bad).push(e);
        const wire = events.map(({ defect: _d, ...e }) => e);
        await c.redis.xadd(streamOf(c, h), '*', ...entryFields(node, Date.now(), wire as never));
      }),
      { numRuns: 150 },
    );
    // an honest event behind all of it, then the stream drained
    expect(await ws.request({ t: 'hint', id: 'behind', puzzle: 'p3' }, 30_000)).toMatchObject({ id: 'behind' });
    await until(
      'the stream drained',
      async () => (((await c.redis.xpending(streamOf(c, h), 'shards')) as [number])[0] === 0 ? true : undefined),
      30_000,
    );

    // the model: every malformed event is one dead letter, every well-formed one is applied
    const dead = (await c.gm().request<{ deadLetters: { count: number } }>('GET', `/api/hunts/${h}`)).deadLetters.count;
    expect(dead - deadBefore).toBe(sent.bad.length);
    const goodMoves = sent.good.filter((e) => e.k === 'move').length;
    expect(metricValue(shard.metrics.render(), 'hunt_events_applied_total{type="move"}') - movesBefore).toBe(goodMoves);
    const replies = new Map<string, ServerMessage[]>();
    for (const m of ws.received) {
      const id = (m as { id?: unknown }).id;
      if (typeof id === 'string') replies.set(id, [...(replies.get(id) ?? []), m]);
    }
    for (const e of sent.good.filter((x) => x.k !== 'move')) {
      const got = replies.get(String(e.id)) ?? [];
      // applied: exactly one answer from the game's rules (a result, a hint, or a rule's error), never a dead letter
      expect(got, JSON.stringify(e)).toHaveLength(1);
      expect(got[0], JSON.stringify(e)).not.toMatchObject({ code: 'EVENT_UNPROCESSABLE' });
    }
    for (const e of sent.bad) {
      const got = replies.get(String(e.id)) ?? [];
      // a refused event with a usable request id hears EVENT_UNPROCESSABLE; others are only counted
      if (typeof e.id === 'string' && e.id.length > 0 && e.id.length <= 64)
        expect(
          got.every((m) => m.t === 'error' && m.code === 'EVENT_UNPROCESSABLE'),
          JSON.stringify(e),
        ).toBe(true);
      else
        expect(
          got.some((m) => m.t !== 'error' || m.code !== 'EVENT_UNPROCESSABLE'),
          JSON.stringify(e),
        ).toBe(false);
    }
    console.log(`stream fuzz: ${sent.good.length} well-formed events applied, ${sent.bad.length} malformed set aside`);
    ws.close();
    await honestAlive();
  });
});
