// vitest: runtime-only (about the runtime, not Redis: run once, npm run test:cluster leaves it out)
/**
 * HUNT_TLS_CERT / HUNT_TLS_KEY: HTTPS and WSS on the native transport; one clear line and exit 1
 * where the transport has no TLS, or the files are not a certificate and its key. The fixture is a
 * self-signed certificate for localhost and 127.0.0.1, made for these tests only.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger, createNode, type HuntNode } from '../server/index.js';
import { GM_KEY, liveHunt, redisUrl, ROOT, spawnNode, startCluster, type Cluster } from './helpers.js';

const CERT = `${ROOT}test/fixtures/tls/cert.pem`;
const KEY = `${ROOT}test/fixtures/tls/key.pem`;
const ca = readFileSync(CERT);

function https(port: number, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        ca,
        servername: 'localhost',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as unknown) : null }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function exitOf(env: NodeJS.ProcessEnv): Promise<{ code: number | null; lines: string[] }> {
  const node = spawnNode(['--port', '0', '--redis', redisUrl()], env);
  const exited = new Promise<number | null>((resolve) => node.child.once('exit', resolve));
  // a node that starts serving anyway is stopped at once, and the test sees it ran
  const ran = await Promise.race([
    node.ready.then(
      () => true,
      () => false,
    ),
    exited.then(() => false),
  ]);
  if (ran) node.child.kill('SIGKILL');
  const code = await exited;
  return {
    code: ran ? -1 : code,
    lines: node
      .output()
      .split('\n')
      .filter((l) => l.trim() !== ''),
  };
}

describe('TLS', () => {
  let c: Cluster;
  let tls: HuntNode;

  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker']], { transport: 'uws' });
    tls = await createNode({
      redisUrl: redisUrl(),
      port: 0,
      host: '127.0.0.1',
      roles: ['front'],
      prefix: c.prefix,
      gmKey: GM_KEY,
      logger: createLogger('silent'),
      transport: 'uws',
      tls: { cert: CERT, key: KEY },
    });
  });
  afterAll(async () => {
    await tls.close();
    await c.close();
  });

  it('serves HTTPS and WSS on the native transport, and nothing in the clear', async () => {
    expect(tls.scheme).toBe('https');
    expect(await https(tls.port, 'GET', '/readyz')).toMatchObject({ status: 200, json: { status: 'ready' } });
    await expect(fetch(`http://127.0.0.1:${tls.port}/readyz`)).rejects.toThrow();

    const hunt = await liveHunt(c.gm(), 1);
    const joined = (await https(tls.port, 'POST', `/api/hunts/${hunt.id}/players`, { name: 'secure' })).json as {
      token: string;
      player: string;
    };
    const ws = new WebSocket(`wss://127.0.0.1:${tls.port}/ws?token=${encodeURIComponent(joined.token)}`, { ca });
    const messages: { t: string; id?: string; correct?: boolean }[] = [];
    const next = (test: (m: { t: string; id?: string }) => boolean): Promise<{ t: string; correct?: boolean }> =>
      new Promise((resolve) => {
        const seen = messages.find(test);
        if (seen) return resolve(seen);
        const on = (d: Buffer): void => {
          const m = JSON.parse(d.toString()) as { t: string; id?: string };
          if (test(m)) {
            ws.off('message', on);
            resolve(m);
          }
        };
        ws.on('message', on);
      });
    ws.on('message', (d: Buffer) => messages.push(JSON.parse(d.toString()) as { t: string }));
    await next((m) => m.t === 'welcome');
    ws.send(JSON.stringify({ t: 'answer', id: 'a1', puzzle: 'p1', answer: hunt.answers.get('p1') }));
    expect(await next((m) => m.id === 'a1')).toMatchObject({ t: 'result', correct: true });
    ws.close();
  });

  it('stops at start with one line where the transport has no TLS', async () => {
    const { code, lines } = await exitOf({ HUNT_TRANSPORT: 'ws', HUNT_TLS_CERT: CERT, HUNT_TLS_KEY: KEY });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^hunt: HUNT_TLS_CERT\/HUNT_TLS_KEY: TLS needs the native uWebSockets\.js transport.*reverse proxy/,
    );
  });

  it('stops at start with one line when the key is not the certificate’s, or only one is set', async () => {
    const swapped = await exitOf({ HUNT_TLS_CERT: CERT, HUNT_TLS_KEY: CERT });
    expect(swapped.code).toBe(1);
    expect(swapped.lines).toHaveLength(1);
    expect(swapped.lines[0]).toMatch(/^hunt: HUNT_TLS_CERT .* HUNT_TLS_KEY /);
    const half = await exitOf({ HUNT_TLS_CERT: CERT });
    expect(half.code).toBe(1);
    expect(half.lines).toEqual([expect.stringMatching(/HUNT_TLS_CERT and HUNT_TLS_KEY go together/)]);
  });
});
