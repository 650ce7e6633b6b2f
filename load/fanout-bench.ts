/**
 * Fan-out and connection benchmark: N clients in one hunt each receive every leaderboard
 * delta; how late (from the delta's `ts` to the bot reading it), with gaps counted, beside the
 * same bots on a no-op uWebSockets.js server that publishes the same rate (the ceiling). Also the
 * front node's memory per idle connection. Bots run in several processes (load/bot-worker.ts).
 *   npm run bench:fanout -- [--clients 2000,10000] [--seconds 8] [--rate 20] [--bots 3] [--messages]
 * With `--messages` (`npm run bench:messages`) a game master's broadcast message goes out beside
 * each delta, and its lateness (from its `ts`) is set against the deltas' in the same run: goal,
 * message p99 within 1.2× of the delta p99.
 */
import { parseArgs } from 'node:util';
import { HuntHttpClient } from '../client/index.js';
import { freePort } from '../redis/index.js';
import { drive } from './bot-pool.js';
import { rssBytes, withBench } from './processes.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '2000,10000' },
    seconds: { type: 'string', default: '8' },
    rate: { type: 'string', default: '20' },
    bots: { type: 'string', default: '3' },
    messages: { type: 'boolean', default: false },
  },
});
const MESSAGES = values.messages;
const SIZES = values.clients.split(',').map(Number);
const SECONDS = Number(values.seconds);
const RATE = Number(values.rate);
const BOTS = Number(values.bots);
/** clients per bot process that parse every delta (the rest only read) */
const SAMPLE = 100;
const GM_KEY = 'fanout-gm-key-0123456789';

const fmt = (n: number, d = 1): string => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

function percentile(samples: number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  await withBench('fanout', async ({ start, huntNodes }) => {
    const { front } = await huntNodes(GM_KEY);
    const base = `http://127.0.0.1:${front.port}`;
    const gm = new HuntHttpClient(base, GM_KEY);
    // every bot connects from 127.0.0.1: the per-address socket cap would refuse them (429)
    const limits = await gm.request<{ version: number; value: Record<string, unknown> }>('GET', '/api/configs/limits');
    await gm.request('PUT', '/api/configs/limits', {
      value: { ...limits.value, socketsPerAddress: Math.max(...SIZES) * 2 },
      expectedVersion: limits.version,
    });
    await new Promise((r) => setTimeout(r, 1500)); // the nodes apply it
    console.log(
      `fan-out: one hunt, ${RATE} deltas/s for ${SECONDS} s; lateness from the delta's ts to a bot reading it, on ${SAMPLE} sampled clients per bot process; ${BOTS} bot processes (their CPU shown)`,
    );
    console.log(
      `  clients   no-op p50 / p99 ms   hunt p50 / p99 ms   p99 ratio   deltas read per sampled client / adjustments sent   gaps   bots CPU   front memory per idle connection`,
    );
    for (const n of SIZES) {
      // the ceiling: the no-op server publishing the same rate to the same number of clients
      const noop = await start(['load/noop-server.ts', String(await freePort()), String(RATE)]);
      const ceiling = await drive(
        BOTS,
        Array.from({ length: n }, () => `ws://127.0.0.1:${noop.port}/ws`),
        { mode: 'listen', seconds: SECONDS, movesPerSecond: 0, pingEveryMs: 0, sample: SAMPLE },
      );
      noop.proc.kill();

      // the hunt
      const { id } = await gm.createHunt({
        name: `fanout ${n}`,
        puzzles: [{ type: 'cipher', difficulty: 'easy' }],
        maxPlayers: n + 10,
      });
      await gm.waitReady(id);
      await gm.lifecycle(id, 'launch');
      const urls: string[] = [];
      for (let i = 0; i < n; i += 100)
        urls.push(
          ...(
            await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, k) => gm.join(id, `fan${i + k}`)))
          ).map((j) => `ws://127.0.0.1:${front.port}/ws?token=${j.token}`),
        );
      const scorer = await gm.join(id, 'scorer');
      await new Promise((r) => setTimeout(r, 1000));
      const before = rssBytes(front.proc.pid!);
      const startAt = Date.now() + 3000 + n; // every socket open and idle by then
      const listening = drive(
        BOTS,
        urls,
        { mode: 'listen', seconds: SECONDS, movesPerSecond: 0, pingEveryMs: 0, sample: SAMPLE },
        startAt,
      );
      await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now() - 200)));
      const perConnection = (rssBytes(front.proc.pid!) - before) / n;
      let sent = 0;
      while (Date.now() < startAt + SECONDS * 1000) {
        const next = startAt + (sent * 1000) / RATE;
        await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
        await gm.request('POST', `/api/hunts/${id}/players/${scorer.player}/adjust`, { points: 1, reason: 'fan-out' });
        if (MESSAGES) await gm.request('POST', `/api/hunts/${id}/messages`, { text: `broadcast ${sent}` });
        sent++;
      }
      const hunt = await listening;
      const sampled = Math.min(n, SAMPLE * BOTS);
      const noopP99 = percentile(ceiling.lateness ?? [], 0.99);
      const p99 = percentile(hunt.lateness ?? [], 0.99);
      console.log(
        `  ${String(n).padStart(7)}   ${`${fmt(percentile(ceiling.lateness ?? [], 0.5))} / ${fmt(noopP99)}`.padStart(18)}   ${`${fmt(percentile(hunt.lateness ?? [], 0.5))} / ${fmt(p99)}`.padStart(17)}   ${fmt(p99 / Math.max(noopP99, 1), 2).padStart(9)}   ${`${fmt((hunt.deltas ?? 0) / sampled, 1)} / ${sent}`.padStart(37)}   ${String(hunt.gaps ?? 0).padStart(4)}   ${fmt((hunt.cpuSeconds / (SECONDS + 4)) * 100, 0).padStart(6)} %   ${fmt(perConnection / 1024, 2)} KiB`,
      );
      if (MESSAGES) {
        const m = hunt.messageLateness ?? [];
        const mp99 = percentile(m, 0.99);
        console.log(
          `  ${String(n).padStart(7)}   broadcast messages: p50 / p99 ${fmt(percentile(m, 0.5))} / ${fmt(mp99)} ms over ${m.length} receipts; delta p99 ${fmt(p99)} ms; message p99 / delta p99 ${fmt(mp99 / Math.max(p99, 1), 2)} (goal ≤ 1.2)`,
        );
      }
    }
    console.log(
      '  goal: p99 within 1.2× of the no-op server and ≤ 50 ms at 10,000 clients; ≤ 4 KiB per idle connection',
    );
  });
}

await main();
process.exit(0);
