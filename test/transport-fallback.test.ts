/**
 * The ws fallback transport: the contract's basics played on it (join, welcome, answer, result,
 * deltas across a native front and a fallback front), the edges the gateway and the HTTP API
 * rely on (upgrade refused with 401, frame caps, 404 and body caps, page caching), and the
 * transport's own behaviour (routes, backpressure, idle timeout with pings, listen again).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PlayerSocket, type ServerMessage } from '../client/index.js';
import { createLogger, loadNativeUws, openTransport, type TransportKind } from '../server/index.js';
import type { HttpResponse, ListenHandle, Transport, WebSocket as TransportSocket } from '../server/transport/index.js';
import { liveHunt, startCluster, until, type Cluster } from './helpers.js';

const silent = createLogger('silent');

function nativeLoads(): boolean {
  try {
    loadNativeUws();
    return true;
  } catch {
    return false;
  }
}

describe('a hunt played on the ws fallback transport', () => {
  let c: Cluster;
  let hunt: { id: string; answers: Map<string, string> };

  beforeAll(async () => {
    // node 0: every role on the fallback; node 1: a front on the native build where it loads, same Redis
    c = await startCluster([['front', 'shard', 'worker']], { transport: 'ws' });
    await c.add(['front'], 'auto');
    hunt = await liveHunt(c.gm());
  });
  afterAll(() => c.close());

  it('serves through the transport it was asked for', () => {
    expect(c.nodes.map((n) => n.transport)).toEqual<TransportKind[]>(['ws', nativeLoads() ? 'uws' : 'ws']);
  });

  it('welcomes a player, answers with results, and both transports forward the same delta', async () => {
    const a = await c.gm(0).join(hunt.id, 'on-ws');
    const b = await c.gm(1).join(hunt.id, 'on-uws');
    const [wsA, wsB] = await Promise.all([
      PlayerSocket.connect(c.url(0), a.token),
      PlayerSocket.connect(c.url(1), b.token),
    ]);
    const welcome = await wsA.waitType('welcome');
    expect(welcome.player).toEqual({ id: a.player, name: 'on-ws' });
    expect(welcome.hunt).toMatchObject({ id: hunt.id, status: 'live' });
    await wsB.waitType('welcome');

    expect(await wsA.request({ t: 'answer', id: 'w1', puzzle: 'p1', answer: 'certainly not it' })).toMatchObject({
      t: 'result',
      id: 'w1',
      correct: false,
    });
    const right = await wsA.request({ t: 'answer', id: 'r1', puzzle: 'p1', answer: hunt.answers.get('p1')! });
    expect(right).toMatchObject({ t: 'result', id: 'r1', puzzle: 'p1', correct: true });
    expect(await wsA.request({ t: 'ping', id: 'p1' })).toMatchObject({ t: 'pong', id: 'p1' });

    // the delta with on-ws's score reaches the player on the native front and the one on the fallback
    const scored = (m: ServerMessage): boolean =>
      m.t === 'lb' && m.changes.some((e) => e.player === a.player && e.score !== null && e.score > 0);
    const [onWs, onUws] = await Promise.all([wsA.waitFor(scored), wsB.waitFor(scored)]);
    expect(onWs).toEqual(onUws);
    wsA.close();
    wsB.close();
  });

  it('refuses an upgrade without a valid token with 401 and the contract body', async () => {
    const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const ws = new WebSocket(`${c.url(0).replace('http', 'ws')}/ws?token=forged`);
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      ws.once('open', () => reject(new Error('a forged token was let in')));
      ws.once('error', () => undefined);
    });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('closes a socket that sends a frame over limits.maxFrameBytes with 1009', async () => {
    const j = await c.gm(0).join(hunt.id, 'big-frames');
    const ws = await PlayerSocket.connect(c.url(0), j.token);
    await ws.waitType('welcome');
    ws.sendRaw(JSON.stringify({ t: 'ping', id: 'x'.repeat(64 * 1024) }));
    expect(await ws.waitClose()).toBe(1009);
  });

  it('answers HTTP as the native transport does: 404 NOT_FOUND, 413 past the body cap, 304 for a page it has', async () => {
    const missing = await fetch(`${c.url(0)}/no/such/route`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const big = await fetch(`${c.url(0)}/api/hunts`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-gm-key-0123456789' },
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(big.status).toBe(413);
    const page = await fetch(`${c.url(0)}/gm`);
    expect(page.status).toBe(200);
    const again = await fetch(`${c.url(0)}/gm`, { headers: { 'if-none-match': page.headers.get('etag')! } });
    expect(again.status).toBe(304);
    const view = await fetch(`${c.url(0)}/api/hunts/${encodeURIComponent(hunt.id)}`, {
      headers: { authorization: 'Bearer test-gm-key-0123456789' },
    });
    expect(await view.json()).toMatchObject({ id: hunt.id, status: 'live' });
  });
});

describe('the ws fallback transport on its own', () => {
  let t: Transport;
  let listening: ListenHandle;
  let port = 0;
  /** the server's close code of each socket, by the number it opened with */
  const closes: { n: number; code: number }[] = [];
  let lastSocket: TransportSocket<{ n: number }> | undefined;

  beforeAll(async () => {
    t = openTransport({ choice: 'ws', logger: silent });
    t.app
      .get('/a/:x', (res, req) => void res.end(`param ${req.getParameter(0)}`))
      .get('/a/b', (res) => void res.end('static'))
      .any('/*', (res, req) => void res.writeStatus('404 Not Found').end(`fallback ${req.getMethod()} ${req.getUrl()}`))
      .ws<{ n: number }>('/ws', {
        maxBackpressure: 64 * 1024,
        idleTimeout: 2,
        sendPingsAutomatically: true,
        upgrade: (res: HttpResponse, req, context) =>
          res.upgrade(
            { n: Number(new URLSearchParams(req.getQuery() ?? '').get('n')) },
            req.getHeader('sec-websocket-key'),
            '',
            '',
            context,
          ),
        open: (ws) => {
          lastSocket = ws;
          ws.subscribe('all');
        },
        message: (ws, msg) => void ws.send(`${ws.getUserData().n}:${Buffer.from(msg).toString()}`),
        close: (ws, code) => void closes.push({ n: ws.getUserData().n, code }),
      });
    listening = (await t.listen('127.0.0.1', 0))!;
    port = listening.port;
  });
  afterAll(() => t.close());

  const open = (n: number, options: WebSocket.ClientOptions = {}): Promise<WebSocket> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?n=${n}`, options);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  const next = (ws: WebSocket): Promise<string> =>
    new Promise((resolve) => ws.once('message', (d: Buffer) => resolve(d.toString())));

  it('routes static over :param over /*, with the method and raw path', async () => {
    expect(await (await fetch(`http://127.0.0.1:${port}/a/b`)).text()).toBe('static');
    expect(await (await fetch(`http://127.0.0.1:${port}/a/c%20d`)).text()).toBe('param c%20d');
    const other = await fetch(`http://127.0.0.1:${port}/a/b/c`, { method: 'DELETE' });
    expect([other.status, await other.text()]).toEqual([404, 'fallback delete /a/b/c']);
  });

  it('gives each socket its user data and publishes to a topic', async () => {
    const [one, two] = await Promise.all([open(1), open(2)]);
    const echo = next(one);
    one.send('hi');
    expect(await echo).toBe('1:hi');
    const heard = Promise.all([next(one), next(two)]);
    expect(t.app.numSubscribers('all')).toBe(2);
    expect(t.app.publish('all', 'news')).toBe(true);
    expect(await heard).toEqual(['news', 'news']);
    one.close();
    two.close();
  });

  it('drops sends past maxBackpressure (2) while the peer does not read', async () => {
    const ws = await open(3);
    await until('the socket open on the server', () => (lastSocket?.getUserData().n === 3 ? true : undefined));
    // the client stops reading: the kernel buffers fill, then the socket's own queue
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const chunk = 'x'.repeat(16 * 1024);
    const results: number[] = [];
    for (let i = 0; i < 2000 && !results.includes(2); i++) results.push(lastSocket!.send(chunk));
    expect(results).toContain(0);
    expect(results.at(-1)).toBe(2);
    expect(lastSocket!.getBufferedAmount()).toBeGreaterThan(64 * 1024);
    ws.terminate();
  });

  it('closes a peer that answers no ping after the idle timeout, and keeps one that does', async () => {
    const [quiet, live] = await Promise.all([open(4, { autoPong: false }), open(5)]);
    const quietClosed = new Promise<void>((resolve) => quiet.once('close', () => resolve()));
    await quietClosed;
    // (a socket of another test may close meanwhile: only these two count)
    await until('the server saw the quiet one close', () => (closes.some((c) => c.n === 4) ? true : undefined));
    expect(closes.filter((c) => c.n === 4 || c.n === 5)).toEqual([{ n: 4, code: 1006 }]);
    expect(live.readyState).toBe(WebSocket.OPEN);
    live.close();
  });

  it('stops accepting when its listen handle closes, keeps open sockets, and listens again on the port', async () => {
    const ws = await open(6);
    listening.close();
    await expect(fetch(`http://127.0.0.1:${port}/a/b`)).rejects.toThrow();
    const echo = next(ws);
    ws.send('still here');
    expect(await echo).toBe('6:still here');
    const again = await t.listen('127.0.0.1', port);
    expect(again?.port).toBe(port);
    expect((await fetch(`http://127.0.0.1:${port}/a/b`)).status).toBe(200);
    listening = again!;
    ws.close();
  });
});
