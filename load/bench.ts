/**
 * The benchmark: starts a private redis-server, a hunt node and a no-op uWS server as child
 * processes, drives them with the same WebSocket bots, and prints what it measured.
 *   npm run bench -- [--clients 200] [--seconds 8] [--answers-per-second 200]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { HuntHttpClient } from '../client/index.js';
import { freePort, startEmbeddedRedis } from '../server/embedded-redis.js';
import { blast, closeBots, connectBots, paced, quantile, timeReplies, type Bot } from './bots.js';
import { cpuSeconds, histogramQuantile, scrape, value } from './metrics-reader.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '8' },
    'answers-per-second': { type: 'string', default: '200' },
    'paced-rate': { type: 'string', default: '20000' },
  },
});
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const ANSWER_RATE = Number(values['answers-per-second']);
const PACED_RATE = Number(values['paced-rate']);
const ROOT = new URL('..', import.meta.url).pathname;
const GM_KEY = 'bench-gm-key-0123456789';

function child(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (?:http:\/\/localhost:)?(\d+)/.exec(out);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${out}`)));
  });
}

const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
const ms = (seconds: number): string => `${fmt(seconds * 1000, 2)} ms`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-bench-'));
  const redis = await startEmbeddedRedis({ dir });
  const redisPid = Number((await import('node:child_process')).execSync(`pgrep -f "redis-server 127.0.0.1:${redis.port}"`).toString().trim().split('\n')[0]);
  const procs: ChildProcess[] = [];
  try {
    console.log(`benchmark: ${CLIENTS} clients, ${SECONDS} s per phase, one bot process, everything on this machine`);
    // 1. the ceiling: a no-op uWS server, same bots
    const noop = await child(['load/noop-server.ts', String(await freePort())]);
    procs.push(noop.proc);
    const noopBots = await connectBots(Array.from({ length: CLIENTS }, () => `ws://127.0.0.1:${noop.port}/ws`));
    const c0 = Number(await (await fetch(`http://127.0.0.1:${noop.port}/count`)).text());
    const cpuNoop0 = cpuSeconds(noop.proc.pid!);
    await blast(noopBots, SECONDS);
    await new Promise((r) => setTimeout(r, 300));
    const c1 = Number(await (await fetch(`http://127.0.0.1:${noop.port}/count`)).text());
    const ceiling = (c1 - c0) / SECONDS;
    const noopCpuPerM = ((cpuSeconds(noop.proc.pid!) - cpuNoop0) / (c1 - c0)) * 1e6;
    closeBots(noopBots);
    noop.proc.kill();
    console.log(`\nceiling (no-op uWebSockets.js, same bots): ${fmt(ceiling)} moves/s, ${fmt(noopCpuPerM, 2)} CPU-s per million`);

    // 2. the hunt node
    const node = await child(['server/cli.ts', 'start', '--port', String(await freePort()), '--host', '127.0.0.1', '--redis', redis.url], { HUNT_GM_KEY: GM_KEY });
    procs.push(node.proc);
    const base = `http://127.0.0.1:${node.port}`;
    const gm = new HuntHttpClient(base, GM_KEY);
    const { id } = await gm.createHunt({ name: 'bench', template: 'starter' });
    await gm.waitReady(id);
    await gm.lifecycle(id, 'launch');
    const { answers } = await gm.answers(id);
    const players = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => gm.join(id, `bot${i}`)));
    const bots = await connectBots(players.map((p) => `ws://127.0.0.1:${node.port}/ws?token=${p.token}`));
    await new Promise((r) => setTimeout(r, 500));

    // 2a. ingest at full speed
    const m0 = await scrape(base);
    const cpu0 = { node: cpuSeconds(node.proc.pid!), redis: cpuSeconds(redisPid) };
    const written = await blast(bots, SECONDS);
    const m1 = await scrape(base);
    const drainStart = Date.now();
    let m2 = m1;
    while (value(m2, 'hunt_events_applied_total{type="move"}') < value(m2, 'hunt_events_received_total{type="move"}') && Date.now() - drainStart < 60_000) {
      await new Promise((r) => setTimeout(r, 100));
      m2 = await scrape(base);
    }
    const drainMs = Date.now() - drainStart;
    const cpu1 = { node: cpuSeconds(node.proc.pid!), redis: cpuSeconds(redisPid) };
    const accepted = value(m1, 'hunt_events_received_total{type="move"}') - value(m0, 'hunt_events_received_total{type="move"}');
    const appliedInWindow = value(m1, 'hunt_events_applied_total{type="move"}') - value(m0, 'hunt_events_applied_total{type="move"}');
    const appliedTotal = value(m2, 'hunt_events_applied_total{type="move"}') - value(m0, 'hunt_events_applied_total{type="move"}');
    console.log(`\ningest, full speed (front + shard + worker in one node, redis-server AOF everysec):`);
    console.log(`  written by bots  ${fmt(written / SECONDS)} moves/s`);
    console.log(`  accepted (front) ${fmt(accepted / SECONDS)} moves/s   = ${fmt((accepted / SECONDS / ceiling) * 100, 1)} % of the ceiling`);
    console.log(`  applied (shard)  ${fmt(appliedInWindow / SECONDS)} moves/s in the window; all ${fmt(appliedTotal)} applied ${drainMs} ms after the bots stopped`);
    console.log(`  accept→apply     p50 ${ms(histogramQuantile(m0, m2, 'hunt_event_apply_seconds', 0.5))}  p99 ${ms(histogramQuantile(m0, m2, 'hunt_event_apply_seconds', 0.99))}`);
    console.log(`  CPU-s per million moves: node ${fmt(((cpu1.node - cpu0.node) / appliedTotal) * 1e6, 2)}, redis ${fmt(((cpu1.redis - cpu0.redis) / appliedTotal) * 1e6, 2)}`);

    // 2b. paced moves plus answers and pings: round trips
    const rtts: number[] = [];
    const pings: number[] = [];
    timeReplies(bots, rtts);
    let answerN = 0;
    const p0 = await scrape(base);
    const pacedCpu0 = { node: cpuSeconds(node.proc.pid!), redis: cpuSeconds(redisPid) };
    const answerEvery = Math.max(1, Math.round(1000 / ANSWER_RATE));
    const pingBots = bots.slice(0, 1);
    const pingTimes = new Map<string, number>();
    pingBots[0]?.ws.on('message', (d: Buffer) => {
      const msg = JSON.parse(d.toString()) as { t: string; id?: string };
      if (msg.t === 'pong' && msg.id) {
        const t = pingTimes.get(msg.id);
        if (t !== undefined) pings.push(performance.now() - t);
      }
    });
    const pinger = setInterval(() => {
      const pid = `ping${pingTimes.size}`;
      pingTimes.set(pid, performance.now());
      pingBots[0]?.ws.send(JSON.stringify({ t: 'ping', id: pid }));
    }, 20);
    const { sent } = await paced(
      bots,
      PACED_RATE,
      SECONDS,
      (bot: Bot, i: number) => {
        const aid = `ans${answerN++}`;
        bot.pending.set(aid, performance.now());
        const puzzle = `p${(i % 3) + 1}`;
        const right = i % 4 === 0 ? (answers.find((a) => a.puzzle === puzzle)?.answer ?? '') : `wrong ${i}`;
        return JSON.stringify({ t: 'answer', id: aid, puzzle, answer: right });
      },
      answerEvery,
    );
    clearInterval(pinger);
    await new Promise((r) => setTimeout(r, 1000));
    const p1 = await scrape(base);
    const pacedCpu1 = { node: cpuSeconds(node.proc.pid!), redis: cpuSeconds(redisPid) };
    const pacedApplied = value(p1, 'hunt_events_applied_total{type="move"}') - value(p0, 'hunt_events_applied_total{type="move"}');
    console.log(`\npaced: ${fmt(sent / SECONDS)} moves/s offered plus ${fmt(answerN / SECONDS)} answers/s and a ping every 20 ms:`);
    console.log(`  applied          ${fmt(pacedApplied)} of ${fmt(sent)} moves`);
    console.log(`  accept→apply     p50 ${ms(histogramQuantile(p0, p1, 'hunt_event_apply_seconds', 0.5))}  p99 ${ms(histogramQuantile(p0, p1, 'hunt_event_apply_seconds', 0.99))}`);
    console.log(`  answer round trip (bots) p50 ${fmt(quantile(rtts, 0.5), 2)} ms  p99 ${fmt(quantile(rtts, 0.99), 2)} ms  (${rtts.length} answers)`);
    console.log(`  answer received→result sent (server) p50 ${ms(histogramQuantile(p0, p1, 'hunt_answer_result_seconds', 0.5))}  p99 ${ms(histogramQuantile(p0, p1, 'hunt_answer_result_seconds', 0.99))}`);
    console.log(`  ping round trip p50 ${fmt(quantile(pings, 0.5), 2)} ms  p99 ${fmt(quantile(pings, 0.99), 2)} ms`);
    console.log(`  CPU-s per million moves: node ${fmt(((pacedCpu1.node - pacedCpu0.node) / pacedApplied) * 1e6, 2)}, redis ${fmt(((pacedCpu1.redis - pacedCpu0.redis) / pacedApplied) * 1e6, 2)}`);
    closeBots(bots);

    // 3. autocannon over HTTP
    const token = players[0]?.token ?? '';
    const events = JSON.stringify({ events: Array.from({ length: 10 }, (_, i) => ({ t: 'move', lat: i, lng: i })) });
    for (const scenario of [
      { title: 'POST /api/events (10 moves per request)', method: 'POST' as const, path: '/api/events', body: events, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      { title: `GET /api/hunts/:id/leaderboard?limit=10`, method: 'GET' as const, path: `/api/hunts/${id}/leaderboard?limit=10`, headers: {} },
    ]) {
      const r = await autocannon({ url: `${base}${scenario.path}`, method: scenario.method, headers: scenario.headers, ...(scenario.body ? { body: scenario.body } : {}), connections: 50, duration: Math.max(3, Math.round(SECONDS / 2)) });
      console.log(`\nautocannon ${scenario.title}: ${fmt(r.requests.average)} req/s, latency p50 ${r.latency.p50} ms p99 ${r.latency.p99} ms, ${r.non2xx} non-2xx, ${r.errors} errors`);
    }
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
