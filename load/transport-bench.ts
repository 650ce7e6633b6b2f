/**
 * What the ws fallback transport costs against native uWebSockets.js: a server process on each
 * transport (through the same Transport interface the node uses) answers every frame with a
 * reply frame; the same clients drive both; the figure is the server process's CPU per message
 * (user + system) and the memory per idle connection.
 * Usage: tsx load/transport-bench.ts [--clients 200] [--messages 200000]
 *        (tsx load/transport-bench.ts serve <uws|ws> is the server process it spawns)
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { jsonField } from './json.js';
import { createLogger, openTransport, SERVER_NODE_FLAGS, type TransportKind } from '../server/index.js';

async function serve(kind: TransportKind): Promise<void> {
  const t = openTransport({ choice: kind, logger: createLogger('silent') });
  let base = process.cpuUsage();
  t.app
    .get('/cpu', (res) => {
      const used = process.cpuUsage(base);
      res.end(JSON.stringify({ us: used.user + used.system, rss: process.memoryUsage().rss }));
    })
    .get('/reset', (res) => {
      base = process.cpuUsage();
      res.end('ok');
    })
    .ws('/ws', {
      maxPayloadLength: 64 * 1024,
      idleTimeout: 120,
      message: (ws, msg) =>
        void ws.send(
          `{"t":"pong","id":${JSON.stringify(Buffer.from(msg).toString().slice(0, 16))},"ts":${Date.now()}}`,
        ),
    });
  const handle = await t.listen('127.0.0.1', 0);
  process.stdout.write(`listening on ${handle!.port}\n`);
}

async function drive(
  kind: TransportKind,
  clients: number,
  messages: number,
): Promise<{ usPerMessage: number; kibPerConnection: number; seconds: number }> {
  const child = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, '--import', 'tsx', new URL(import.meta.url).pathname, 'serve', kind],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  const get = async (path: string): Promise<string> => (await fetch(`http://127.0.0.1:${port}${path}`)).text();
  const before = { rss: Number(jsonField(await get('/cpu'), 'rss')) };
  const sockets = await Promise.all(
    Array.from(
      { length: clients },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        }),
    ),
  );
  const idle = { rss: Number(jsonField(await get('/cpu'), 'rss')) };
  await get('/reset');
  const perClient = Math.ceil(messages / clients);
  const window = 16;
  const started = performance.now();
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          let sent = 0;
          let got = 0;
          const fill = (): void => {
            while (sent < perClient && sent - got < window) ws.send(`{"t":"ping","id":"p${sent++}"}`);
          };
          ws.on('message', () => {
            if (++got === perClient) resolve();
            else fill();
          });
          fill();
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = { us: Number(jsonField(await get('/cpu'), 'us')) };
  for (const ws of sockets) ws.terminate();
  child.kill();
  return {
    usPerMessage: used.us / (perClient * clients),
    kibPerConnection: (idle.rss - before.rss) / clients / 1024,
    seconds,
  };
}

const [mode, kind] = process.argv.slice(2);
if (mode === 'serve') await serve(kind === 'ws' ? 'ws' : 'uws');
else {
  const { values } = parseArgs({
    options: { clients: { type: 'string', default: '200' }, messages: { type: 'string', default: '200000' } },
  });
  const clients = Number(values.clients);
  const messages = Number(values.messages);
  const rows: Record<string, Awaited<ReturnType<typeof drive>>> = {};
  for (const k of ['uws', 'ws', 'uws', 'ws'] as const) {
    const r = await drive(k, clients, messages);
    console.log(
      `${k}: ${r.usPerMessage.toFixed(2)} µs of server CPU per message (frame in + reply out), ${(messages / r.seconds).toFixed(0)} messages/s, ${r.kibPerConnection.toFixed(1)} KiB RSS per idle connection`,
    );
    rows[k] = r;
  }
  console.log(
    `ws / uws CPU per message: ${(rows.ws!.usPerMessage / rows.uws!.usPerMessage).toFixed(2)}× (second run of each)`,
  );
}
