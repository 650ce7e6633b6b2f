/**
 * Fan-out and connection benchmark: N clients in one hunt each receive every leaderboard
 * delta; how late (from the delta's `ts` to the bot reading it), with gaps counted, beside the
 * same bots on a no-op uWebSockets.js server that publishes the same rate (the ceiling). Also the
 * front node's memory per idle connection.
 *   npm run bench:fanout -- [--clients 2000,10000] [--seconds 8] [--rate 20]
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { HuntHttpClient } from '../client/index.js';
import { freePort } from '../redis/index.js';
import { quantile } from './bots.js';
import { rssBytes, withBench } from './processes.js';

const { values } = parseArgs({ options: { clients: { type: 'string', default: '2000,10000' }, seconds: { type: 'string', default: '8' }, rate: { type: 'string', default: '20' } } });
const SIZES = values.clients.split(',').map(Number);
const SECONDS = Number(values.seconds);
const RATE = Number(values.rate);
const SAMPLED = 200;
const GM_KEY = 'fanout-gm-key-0123456789';



interface Listener {
  lat: number[];
  gaps: number;
  received: number;
}

/** Opens sockets in waves; the first SAMPLED parse every delta and record its lateness and gaps. */
async function connect(urls: string[], listener: Listener): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < urls.length; i += 500) {
    const wave = await Promise.all(
      urls.slice(i, i + 500).map(
        (url, k) =>
          new Promise<WebSocket>((resolve, reject) => {
            const ws = new WebSocket(url, { perMessageDeflate: false });
            const sampled = i + k < SAMPLED;
            let last = 0;
            ws.on('message', (data: Buffer) => {
              listener.received++;
              if (!sampled) return;
              const msg = JSON.parse(data.toString()) as { t: string; seq?: number; ts?: number };
              if (msg.t === 'welcome' && msg.seq !== undefined) last = msg.seq;
              if (msg.t !== 'lb' || msg.seq === undefined || msg.ts === undefined) return;
              listener.lat.push(Date.now() - msg.ts);
              if (last > 0 && msg.seq !== last + 1) listener.gaps++;
              last = msg.seq;
            });
            ws.once('open', () => resolve(ws));
            ws.once('error', reject);
          }),
      ),
    );
    sockets.push(...wave);
  }
  return sockets;
}

async function main(): Promise<void> {

  const fmt = (n: number, d = 1): string => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  await withBench('fanout', async ({ start, huntNodes }) => {
    const { front } = await huntNodes(GM_KEY);
    const base = `http://127.0.0.1:${front.port}`;
    const gm = new HuntHttpClient(base, GM_KEY);
    console.log(`fan-out: one hunt, ${RATE} deltas/s for ${SECONDS} s, lateness from the delta's ts to a bot reading it (${SAMPLED} sampled clients), one bot process`);
    console.log(`  clients   no-op p50 / p99 ms   hunt p50 / p99 ms   p99 ratio   deltas per sampled client   gaps   front memory per idle connection`);
    for (const n of SIZES) {
      // the ceiling: the no-op server publishing the same rate
      const noop = await start(['load/noop-server.ts', String(await freePort()), String(RATE)]);
      const ceiling: Listener = { lat: [], gaps: 0, received: 0 };
      const noopSockets = await connect(Array.from({ length: n }, () => `ws://127.0.0.1:${noop.port}/ws`), ceiling);
      ceiling.lat.length = 0;
      await new Promise((r) => setTimeout(r, SECONDS * 1000));
      noopSockets.forEach((s) => s.terminate());
      noop.proc.kill();

      // the hunt
      const { id } = await gm.createHunt({ name: `fanout ${n}`, puzzles: [{ type: 'cipher', difficulty: 'easy' }, { type: 'cipher', difficulty: 'medium' }, { type: 'cipher', difficulty: 'hard' }] });
      await gm.waitReady(id);
      await gm.lifecycle(id, 'launch');
      const tokens: string[] = [];
      for (let i = 0; i < n; i += 100) tokens.push(...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, k) => gm.join(id, `fan${i + k}`)))).map((j) => j.token));
      const scorer = await gm.join(id, 'scorer');
      await new Promise((r) => setTimeout(r, 1000));
      const before = rssBytes(front.proc.pid!);
      const listener: Listener = { lat: [], gaps: 0, received: 0 };
      const sockets = await connect(tokens.map((t) => `ws://127.0.0.1:${front.port}/ws?token=${t}`), listener);
      await new Promise((r) => setTimeout(r, 3000));
      const perConnection = (rssBytes(front.proc.pid!) - before) / n;
      listener.lat.length = 0;
      const started = Date.now();
      let sent = 0;
      while (Date.now() - started < SECONDS * 1000) {
        await gm.request('POST', `/api/hunts/${id}/players/${scorer.player}/adjust`, { points: 1, reason: 'fan-out' });
        sent++;
        const next = started + (sent * 1000) / RATE;
        await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
      }
      await new Promise((r) => setTimeout(r, 1000));
      sockets.forEach((s) => s.terminate());
      const noopP99 = quantile(ceiling.lat, 0.99);
      const p99 = quantile(listener.lat, 0.99);
      console.log(
        `  ${String(n).padStart(7)}   ${`${fmt(quantile(ceiling.lat, 0.5))} / ${fmt(noopP99)}`.padStart(18)}   ${`${fmt(quantile(listener.lat, 0.5))} / ${fmt(p99)}`.padStart(17)}   ${fmt(p99 / Math.max(noopP99, 1), 2).padStart(9)}   ${`${fmt(listener.lat.length / SAMPLED, 1)} of ${sent}`.padStart(24)}   ${String(listener.gaps).padStart(4)}   ${fmt(perConnection / 1024, 2)} KiB`,
      );
    }
    console.log('  goal: p99 within 1.2× of the no-op server and ≤ 50 ms at 10,000 clients; ≤ 4 KiB per idle connection');
  });
}

await main();
process.exit(0);
