/**
 * Every socket is a file. Near its open-file limit a node stops listening (new peers are
 * refused at once) instead of spinning on accepts that fail, and listens again once files are
 * free; the players already connected are served throughout.
 */
import { connect, createServer, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { HuntHttpClient, PlayerSocket } from '../client/index.js';
import { reserveFor } from '../server/listener.js';
import { freshPrefix, GM_KEY, liveHunt, redisUrl, spawnNode, until } from './helpers.js';

type Spawned = ReturnType<typeof spawnNode>;
const spawned: Spawned[] = [];
const held: Socket[] = [];

afterEach(() => {
  for (const s of held.splice(0)) s.destroy();
  for (const n of spawned.splice(0)) n.child.kill('SIGKILL');
});

function limitsOf(pid: number): { soft: number; hard: number } {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'))!;
  const [soft, hard] = line
    .slice('Max open files'.length)
    .trim()
    .split(/\s+/)
    .map((v) => (v === 'unlimited' ? Infinity : Number(v)));
  return { soft: soft!, hard: hard! };
}

/**
 * A free port under the kernel's ephemeral range: the test's own outgoing connections could
 * otherwise take the node's port while it is not listening (as a deployment's fixed port is not).
 */
async function portBelowEphemeral(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

async function start(openFiles: { soft: number; hard: number }): Promise<{ node: Spawned; base: string; pid: number }> {
  const node = spawnNode(
    [
      '--port',
      String(await portBelowEphemeral()),
      '--host',
      '127.0.0.1',
      '--redis',
      redisUrl(),
      '--prefix',
      freshPrefix(),
    ],
    { HUNT_GM_KEY: GM_KEY, LOG_LEVEL: 'info' },
    openFiles,
  );
  spawned.push(node);
  await node.ready;
  const port = Number(/listening on http:\/\/localhost:(\d+)/.exec(node.output())?.[1]);
  return { node, base: `http://127.0.0.1:${port}`, pid: node.child.pid! };
}

/** Opens a TCP connection: 'open', or the error code it met. */
function tryConnect(port: number): Promise<{ outcome: string; socket: Socket }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve({ outcome: 'open', socket }));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve({ outcome: err.code ?? 'error', socket }));
  });
}

const logLines = (out: string): Record<string, unknown>[] =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('open files', () => {
  it('stops listening near its limit and listens again once files are free, its players served throughout', async () => {
    const limit = 400;
    const { base, node, pid } = await start({ soft: limit, hard: limit });
    const port = Number(new URL(base).port);
    expect(limitsOf(pid).soft).toBe(limit);
    const gm = new HuntHttpClient(base, GM_KEY);
    const hunt = await liveHunt(gm, 1);
    const player = await PlayerSocket.connect(base, (await gm.join(hunt.id, 'stayer')).token);
    await player.waitType('welcome');

    // more peers than files: those past the limit wait in the kernel's accept queue
    const flood = await Promise.all(Array.from({ length: limit + 100 }, () => tryConnect(port)));
    held.push(...flood.map((f) => f.socket));
    await until('the node to stop listening', async () => {
      const { outcome, socket } = await tryConnect(port);
      held.push(socket);
      return outcome === 'ECONNREFUSED' ? true : undefined;
    });
    const paused = await until('the log line', () => logLines(node.output()).find((l) => l.resumeBelow !== undefined));
    expect(paused).toMatchObject({ limit, resumeBelow: limit - 2 * reserveFor(limit) });
    expect(paused.open as number).toBeGreaterThanOrEqual(limit - reserveFor(limit));

    // a player connected before is served while the node is not listening
    const pong = await player.request({ t: 'ping', id: 'during' });
    expect(pong).toMatchObject({ t: 'pong', id: 'during' });

    for (const s of held.splice(0)) s.destroy();
    // a new connection (fetch would reuse a kept-alive one)
    await until('the node to listen again', async () => {
      const { outcome, socket } = await tryConnect(port);
      socket.destroy();
      return outcome === 'open' ? true : undefined;
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^hunt_accepting 1$/m);
    expect(Number(/^hunt_open_files (\d+)$/m.exec(metrics)?.[1])).toBeLessThan(limit - 2 * reserveFor(limit));
    player.close();
  });
});
