/**
 * The benchmark: the engine against its ceiling, in one run, on this machine.
 *
 * - The ceiling is a no-op uWebSockets.js server (load/noop-server.ts). It is driven flat out
 *   by 1, 2, 3... bot processes until one more process raises its rate by less than 5 %, or the
 *   no-op's own ping p99 passes 100 ms (it has fallen behind: its rate then grows only by reading
 *   a backlog in bigger batches), or 6 processes: the best rate before that is the ceiling, and
 *   that many bot processes drive everything after.
 * - Paced workloads (200 clients, and 5,000 clients at 5 moves/s each): every client sends moves
 *   on a fixed schedule and a ping every 100 ms; ping round trips count from the intended send
 *   time (no coordinated omission); percentiles come from the raw samples. Each rate runs
 *   against the no-op server and against the engine (one node with every role and its own
 *   redis-server), and reports CPU-s per million moves of the server processes, of the bots,
 *   and Redis's own CPU per move (its main thread, INFO cpu).
 * - "Sustained" is the highest rate that passes with every lower rate passing (applied ≥ 98 %
 *   of sent, ping p99 ≤ 3× the ceiling's at that rate and ≤ 50 ms).
 * - Joins: 2,000 clients open their sockets to one hunt; the time until every one has its first
 *   message, engine against no-op.
 * - Flat out: the engine driven like the ceiling; its applied rate, ping p99 and event-loop delay.
 *
 * Prints a table and writes bench-results/<date>.json with the machine, the commit and the date.
 *   npm run bench -- [--seconds 6] [--rates 10000,25000,50000] [--quick]
 *   npm run bench -- --only answers|joins|flat|paced[,...] [--bots 2]   (some parts, in the usual order; --bots skips the ceiling search)
 *   npm run bench -- --cluster [--seconds 6] [--rates 20000]   (scale-out: load/scale-bench.ts)
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { HuntHttpClient } from '../client/index.js';
import { isOneOf } from '../protocol/index.js';
import { freePort } from '../redis/index.js';
import { drive } from './bot-pool.js';
import { cpuSeconds, histogramQuantile, redisCpuUsec, scrape, value } from './metrics-reader.js';
import { withBench } from './processes.js';
import { scaleBench } from './scale-bench.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '6' },
    rates: { type: 'string', default: '10000,25000,50000' },
    quick: { type: 'boolean', default: false },
    cluster: { type: 'boolean', default: false },
    only: { type: 'string' },
    bots: { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
/**
 * Seconds of each paced schedule sent first and not counted, by the same bot processes: a fresh
 * bot process runs its loop cold for a few hundred ms (the slowest answers of a run, against the
 * no-op server too, were all in its first 200 ms), and a fresh engine meets its answer path cold.
 */
const PACED_WARMUP_S = 1;
const ANSWERS_WARMUP_S = 2;
const PARTS = ['paced', 'answers', 'joins', 'flat'] as const;
/** The ceiling search adds bot processes while the no-op keeps its own ping p99 within this (the flat-out goal)... */
const NOOP_PING_LIMIT_MS = 100;
/** ...and never past this many. */
const MAX_BOT_PROCESSES = 6;
type Part = (typeof PARTS)[number];
const only = values.only?.split(',');
for (const part of only ?? [])
  if (!isOneOf(PARTS, part)) throw new Error(`--only takes one or more of ${PARTS.join(', ')}, comma-separated`);
const runs = (part: Part): boolean => only === undefined || only.includes(part);
const RATES = values.rates.split(',').map(Number);
const GM_KEY = 'bench-gm-key-0123456789';
const ROOT = new URL('..', import.meta.url).pathname;

/** Resolves at epoch ms `t`. */
const at = (t: number): Promise<void> => new Promise((res) => setTimeout(res, Math.max(0, t - Date.now())));

const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';

function percentile(samples: number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

async function noopCount(port: number): Promise<number> {
  return Number(await (await fetch(`http://127.0.0.1:${port}/count`)).text());
}

/** The no-op server's event-loop delay p99 (ms, raw samples) since the last call. */
async function noopLag(port: number): Promise<number> {
  return Number(await (await fetch(`http://127.0.0.1:${port}/lag`)).text());
}

/** One flat-out drive of the no-op server; CPU in cores. */
interface NoopFlat {
  processes: number;
  rate: number;
  serverCpu: number;
  botCpu: number;
  pingP99Ms: number;
  loopP99Ms: number;
}

interface Row {
  workload: string;
  rate: number;
  server: 'noop' | 'engine';
  sentPerSec: number;
  appliedPerSec: number;
  pingP50: number;
  pingP99: number;
  pingLost: number;
  serverCpuPerMillion: number;
  botCpuPerMillion: number;
  redisUsecPerMove?: number;
  errors: Record<string, number>;
}

async function main(): Promise<void> {
  const results: {
    machine: string;
    cores: number;
    memGiB: number;
    commit: string;
    date: string;
    rows: Row[];
    ceiling: ({ ladder: NoopFlat[] } & Record<string, unknown>) | null;
    answers?: unknown;
    joins: unknown;
    flatOut: unknown;
    sustained: unknown;
  } = {
    machine: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    commit: execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim(),
    date: new Date().toISOString(),
    rows: [],
    ceiling: null,
    joins: null,
    flatOut: null,
    sustained: null,
  };
  console.log(`benchmark on ${results.machine} (${results.cores} cores), commit ${results.commit}, ${results.date}`);
  console.log('every figure below is from this run; bots run in their own processes, their CPU is shown\n');

  await withBench('bench', async ({ redis, start }) => {
    const redisClient = new Redis(redis.url);
    // ---- the ceiling: add bot processes until the no-op server's rate stops rising
    const noop = await start(['load/noop-server.ts', String(await freePort())]);
    const noopUrls = (n: number): string[] => Array.from({ length: n }, () => `ws://127.0.0.1:${noop.port}/ws`);
    /** The no-op driven flat out by `procs` bot processes for 3 s: the ceiling search's step, and the flat-out comparison. */
    const noopFlat = async (procs: number): Promise<NoopFlat> => {
      const c0 = await noopCount(noop.port);
      const cpu0 = cpuSeconds(noop.proc.pid!);
      await noopLag(noop.port); // starts the server's delay samples afresh
      const r = await drive(procs, noopUrls(200), { mode: 'blast', seconds: 3, movesPerSecond: 0, pingEveryMs: 100 });
      const rate = ((await noopCount(noop.port)) - c0) / 3;
      const serverCpu = (cpuSeconds(noop.proc.pid!) - cpu0) / 3;
      return {
        processes: procs,
        rate,
        serverCpu,
        botCpu: r.cpuSeconds / 3,
        pingP99Ms: percentile(r.pings, 0.99),
        loopP99Ms: await noopLag(noop.port),
      };
    };
    let botProcs = Number(values.bots ?? 0);
    if (botProcs > 0) console.log(`ceiling search skipped: ${botProcs} bot process(es) as asked (--bots)\n`);
    else {
      console.log('ceiling (no-op uWebSockets.js server, flat out, 200 clients):');
      console.log('  bot processes   moves/s   server CPU   bots CPU   ping p99   loop delay p99');
      let procs = 1;
      let best = 0;
      let stoppedBecause = '';
      const ladder: NoopFlat[] = [];
      for (;;) {
        const step = await noopFlat(procs);
        ladder.push(step);
        console.log(
          `  ${String(procs).padStart(13)}   ${fmt(step.rate).padStart(7)}   ${fmt(step.serverCpu * 100).padStart(8)} %   ${fmt(step.botCpu * 100).padStart(6)} %   ${fmt(step.pingP99Ms).padStart(5)} ms   ${fmt(step.loopP99Ms, 1).padStart(9)} ms`,
        );
        const rate = step.rate;
        // past the point where the no-op itself falls behind, its rate grows only by reading bigger
        // batches of a backlog, and more bot processes on the box only take CPU from the servers
        if (procs > 1 && step.pingP99Ms > NOOP_PING_LIMIT_MS) {
          stoppedBecause = `with ${procs} the no-op's own ping p99 passed ${NOOP_PING_LIMIT_MS} ms`;
          break;
        }
        if (rate < best * 1.05) {
          stoppedBecause = 'one more raised it by under 5 %';
          break;
        }
        best = Math.max(best, rate);
        procs++;
        if (procs > MAX_BOT_PROCESSES) {
          stoppedBecause = `the search stops at ${MAX_BOT_PROCESSES} processes`;
          break;
        }
      }
      botProcs = Math.max(1, procs - 1);
      results.ceiling = { ladder, movesPerSec: best, botProcesses: botProcs, stoppedBecause };
      console.log(`  ceiling ${fmt(best)} moves/s with ${botProcs} bot process(es); ${stoppedBecause}\n`);
    }

    // ---- the engine: one node with every role, on the embedded-style redis of this run
    const node = await start(
      ['server/cli.ts', 'start', '--port', String(await freePort()), '--host', '127.0.0.1', '--redis', redis.url],
      { HUNT_GM_KEY: GM_KEY },
    );
    const base = `http://127.0.0.1:${node.port}`;
    const gm = new HuntHttpClient(base, GM_KEY);
    const limits = await gm.request<{ version: number; value: Record<string, unknown> }>('GET', '/api/configs/limits');
    await gm.request('PUT', '/api/configs/limits', {
      value: { ...limits.value, messagesPerSecond: 100_000, burst: 100_000, answersPerMinutePerPuzzle: 100_000 },
      expectedVersion: limits.version,
    });
    await new Promise((r) => setTimeout(r, 1500));
    const huntWith = async (players: number): Promise<string[]> => {
      const { id } = await gm.createHunt({
        name: `bench ${players}`,
        puzzles: [{ type: 'cipher', difficulty: 'easy' }],
      });
      await gm.waitReady(id);
      await gm.lifecycle(id, 'launch');
      const tokens: string[] = [];
      for (let i = 0; i < players; i += 100) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(100, players - i) }, (_, k) => gm.join(id, `bot${i + k}`)),
        );
        tokens.push(...batch.map((b) => `ws://127.0.0.1:${node.port}/ws?token=${b.token}`));
      }
      return tokens;
    };
    const workloads = [
      { name: '200 clients', clients: 200, urls: await huntWith(200), pingEveryMs: 100 },
      // slow clients ping once a second, as a phone keeping its socket alive might: a ping every 100 ms
      // from 5,000 clients (50,000 pings/s, twice the moves) takes the bots past what two cores hold
      // and the figure would then be the bots' (the no-op's own ping p50 went past 100 ms)
      ...(values.quick || !runs('paced')
        ? []
        : [
            {
              name: '5,000 clients × 5/s',
              clients: 5000,
              urls: await huntWith(5000),
              fixedRate: 25_000,
              pingEveryMs: 1000,
            },
          ]),
    ];
    const applied = async (): Promise<number> => value(await scrape(base), 'hunt_events_applied_total{type="move"}');

    const sustained: Record<string, number> = {};
    for (const w of runs('paced') ? workloads : []) {
      console.log(
        `paced, ${w.name} (a ping every ${w.pingEveryMs === 1000 ? 's' : `${w.pingEveryMs} ms`} per client; ${SECONDS} s a step):`,
      );
      console.log(
        '  rate       server   sent/s    applied/s   ping p50   ping p99   lost   server CPU-s/M   bots CPU-s/M   redis CPU µs/move',
      );
      const rates = 'fixedRate' in w && w.fixedRate ? [w.fixedRate] : RATES;
      let allPassed = true;
      sustained[w.name] = 0;
      for (const rate of rates) {
        const perClient = rate / w.clients;
        const rows: Row[] = [];
        for (const server of ['noop', 'engine'] as const) {
          const urls = server === 'noop' ? noopUrls(w.clients) : w.urls;
          const pid = server === 'noop' ? noop.proc.pid! : node.proc.pid!;
          // CPU, Redis time and moves counted from the end of the warm-up to 1.5 s after the
          // schedule's end (the bots' wait for late pongs and more): opening the sockets, each
          // client's welcome and the warm-up are left out for both servers (joins are measured on
          // their own below); the engine's folded warm-up moves applied after it count against it
          const snapshot = async (): Promise<{ cpu: number; n: number; u: number }> => ({
            cpu: cpuSeconds(pid) + (server === 'engine' ? cpuSeconds(redis.pid) : 0),
            n: server === 'noop' ? await noopCount(noop.port) : await applied(),
            u: server === 'engine' ? await redisCpuUsec(redisClient) : 0,
          });
          const startAt = Date.now() + 1500 + urls.length;
          const from = startAt + PACED_WARMUP_S * 1000;
          // the engine's applied count from before the warm-up: some of its moves are applied after
          // it ends (the shard folds moves up to 500 ms), so they are taken off by count instead
          const zero = at(startAt - 200).then(() => (server === 'engine' ? applied() : 0));
          const first = at(from).then(snapshot);
          const last = at(from + SECONDS * 1000 + 1500).then(snapshot);
          const r = await drive(
            botProcs,
            urls,
            {
              mode: 'paced',
              seconds: SECONDS,
              warmupSeconds: PACED_WARMUP_S,
              movesPerSecond: perClient,
              pingEveryMs: w.pingEveryMs,
            },
            startAt,
          );
          const [nZero, { cpu: cpu0, n: n0, u: u0 }, { cpu: cpu1, n: n1, u: u1 }] = await Promise.all([
            zero,
            first,
            last,
          ]);
          // the no-op counts pings too; the engine counts applied moves only (a warm-up move it
          // refused would count against it here, never for it)
          const moves = server === 'noop' ? Math.min(r.moves, n1 - n0) : n1 - nZero - (r.warmupMoves ?? 0);
          const row: Row = {
            workload: w.name,
            rate,
            server,
            sentPerSec: r.moves / SECONDS,
            appliedPerSec: moves / SECONDS,
            pingP50: percentile(r.pings, 0.5),
            pingP99: percentile(r.pings, 0.99),
            pingLost: r.lostPings,
            serverCpuPerMillion: ((cpu1 - cpu0) / Math.max(1, r.moves)) * 1e6,
            botCpuPerMillion: (r.cpuSeconds / Math.max(1, r.moves)) * 1e6,
            ...(server === 'engine' ? { redisUsecPerMove: (u1 - u0) / Math.max(1, moves) } : {}),
            errors: r.errors,
          };
          rows.push(row);
          results.rows.push(row);
          console.log(
            `  ${fmt(rate).padEnd(9)}  ${server.padEnd(6)}  ${fmt(row.sentPerSec).padStart(7)}  ${fmt(row.appliedPerSec).padStart(9)}   ${fmt(row.pingP50, 1).padStart(6)} ms  ${fmt(row.pingP99, 1).padStart(6)} ms  ${String(row.pingLost).padStart(5)}   ${fmt(row.serverCpuPerMillion, 2).padStart(14)}   ${fmt(row.botCpuPerMillion, 2).padStart(12)}   ${row.redisUsecPerMove === undefined ? '' : fmt(row.redisUsecPerMove, 2).padStart(13)}`,
          );
        }
        const [n, e] = rows;
        if (!n || !e) throw new Error(`paced at ${fmt(rate)}: a row per server was expected, ${rows.length} came`);
        const pass =
          e.appliedPerSec >= e.sentPerSec * 0.98 && e.pingP99 <= Math.max(3 * n.pingP99, 1) && e.pingP99 <= 50;
        console.log(
          `  → engine/ceiling: CPU ${fmt(e.serverCpuPerMillion / n.serverCpuPerMillion, 2)}× (goal ≤ 2×), ping p99 ${fmt(e.pingP99 / n.pingP99, 2)}× (goal ≤ 3×), redis ${fmt(e.redisUsecPerMove ?? NaN, 2)} µs/move (goal ≤ 3): ${pass ? 'pass' : 'FAIL'}`,
        );
        allPassed &&= pass;
        if (allPassed) sustained[w.name] = rate;
      }
      console.log(`  sustained (this rate and every lower one pass): ${fmt(sustained[w.name] ?? 0)} moves/s\n`);
    }
    results.sustained = sustained;

    // ---- answers beside moves: 2,000 answers/s beside 25,000 moves/s, verified as by default (auto: in the shard for cheap types) and all through the queue
    const answerRows: Record<string, unknown>[] = [];
    const answerLoad = {
      mode: 'paced',
      seconds: SECONDS,
      warmupSeconds: ANSWERS_WARMUP_S,
      movesPerSecond: 25_000 / 200,
      pingEveryMs: 100,
      answersPerSecond: 2000,
    } as const;
    if (runs('answers')) {
      console.log(
        `answers: 2,000 answers/s beside 25,000 moves/s from 200 clients, round trip from the intended send time (each run's first ${ANSWERS_WARMUP_S} s of the same load, from the same bots, not counted):`,
      );
      // the floor: the no-op server answers every answer at once
      const r = await drive(botProcs, noopUrls(200), answerLoad);
      const row = {
        verifyIn: 'noop',
        answered: r.answers?.length ?? 0,
        lost: r.lostAnswers ?? 0,
        p50: percentile(r.answers ?? [], 0.5),
        p99: percentile(r.answers ?? [], 0.99),
        pingP99: percentile(r.pings, 0.99),
        botCores: r.cpuSeconds / SECONDS,
      };
      answerRows.push(row);
      console.log(
        `  no-op server (floor): p50 ${fmt(row.p50, 1)} ms, p99 ${fmt(row.p99, 1)} ms, ${fmt(row.answered)} answered; ping p99 ${fmt(row.pingP99, 1)} ms; bots ${fmt(row.botCores * 100)} % of a core`,
      );
    }
    for (const verifyIn of runs('answers') ? (['auto', 'queue'] as const) : []) {
      const routing = await gm.request<{ version: number; value: Record<string, unknown> }>(
        'GET',
        '/api/configs/routing',
      );
      if (routing.value.verifyIn !== verifyIn) {
        await gm.request('PUT', '/api/configs/routing', {
          value: { ...routing.value, verifyIn },
          expectedVersion: routing.version,
        });
        await new Promise((r) => setTimeout(r, 3000)); // a routing write starts a new epoch; let the old one drain
      }
      // a process meets the answer path cold here (code not yet optimised, caches empty): the
      // warm-up runs it first, as a running server is; CPU and the front's histogram count after it
      const startAt = Date.now() + 1500 + 200;
      const serverCpuNow = (): number => cpuSeconds(node.proc.pid!) + cpuSeconds(redis.pid);
      const measured = at(startAt + ANSWERS_WARMUP_S * 1000).then(async () => ({
        cpu: serverCpuNow(),
        metrics: await scrape(base),
      }));
      const r = await drive(botProcs, workloads[0]!.urls, answerLoad, startAt);
      const { cpu: cpu0, metrics: before } = await measured;
      const serverCpu = serverCpuNow() - cpu0;
      const after = await scrape(base);
      // inside the front: frame received to result sent (bucketed, so only a guide to where the time goes)
      const inside = (q: number): number => histogramQuantile(before, after, 'hunt_answer_result_seconds', q) * 1000;
      const row = {
        verifyIn,
        answered: r.answers?.length ?? 0,
        lost: r.lostAnswers ?? 0,
        p50: percentile(r.answers ?? [], 0.5),
        p99: percentile(r.answers ?? [], 0.99),
        pingP99: percentile(r.pings, 0.99),
        frontP50: inside(0.5),
        frontP99: inside(0.99),
        serverCores: serverCpu / SECONDS,
        botCores: r.cpuSeconds / SECONDS,
      };
      answerRows.push(row);
      console.log(
        `  verifyIn ${verifyIn.padEnd(5)}: p50 ${fmt(row.p50, 1)} ms, p99 ${fmt(row.p99, 1)} ms (goal ≤ 5 / ≤ 25), ${fmt(row.answered)} answered, ${row.lost} unanswered; ping p99 ${fmt(row.pingP99, 1)} ms`,
      );
      console.log(
        `    inside the front (received → result sent, bucketed): p50 ${fmt(row.frontP50, 1)} ms, p99 ${fmt(row.frontP99, 1)} ms; CPU: server ${fmt(row.serverCores * 100)} %, bots ${fmt(row.botCores * 100)} % of a core`,
      );
    }
    results.answers = answerRows;
    console.log('');

    // ---- joins: 2,000 clients to one hunt, time until each has its first message
    if (runs('joins')) {
      const joinUrls = await huntWith(2000);
      // server CPU per join (sockets opened, greeted and closed), beside the time: which of the two a ratio comes from
      // every bot process starts opening at startAt (after its own start-up): CPU is counted from there
      const joinRun = async (
        urls: string[],
        serverCpu: () => number,
      ): Promise<{ report: Awaited<ReturnType<typeof drive>>; cpuMs: number }> => {
        const startAt = Date.now() + 1500;
        let cpu0 = serverCpu();
        const mark = setTimeout(() => (cpu0 = serverCpu()), startAt - Date.now());
        const report = await drive(
          botProcs,
          urls,
          { mode: 'connect', seconds: 0, movesPerSecond: 0, pingEveryMs: 0 },
          startAt,
        );
        clearTimeout(mark);
        return { report, cpuMs: (serverCpu() - cpu0) * 1000 };
      };
      const { report: noopJoin, cpuMs: noopCpuMs } = await joinRun(noopUrls(2000), () => cpuSeconds(noop.proc.pid!));
      const { report: engineJoin, cpuMs: engineCpuMs } = await joinRun(
        joinUrls,
        () => cpuSeconds(node.proc.pid!) + cpuSeconds(redis.pid),
      );
      const spanOf = (r: typeof noopJoin): number => (r.connectSpan ? r.connectSpan.to - r.connectSpan.from : NaN);
      const noopMs = spanOf(noopJoin);
      const engineMs = spanOf(engineJoin);
      const lastNoop = Math.max(...noopJoin.connectMs);
      const lastEngine = Math.max(...engineJoin.connectMs);
      results.joins = {
        clients: 2000,
        noopMs,
        engineMs,
        ratio: engineMs / noopMs,
        slowestNoopMs: lastNoop,
        slowestEngineMs: lastEngine,
        noopCpuMs,
        engineCpuMs,
        noopP50Ms: percentile(noopJoin.connectMs, 0.5),
        engineP50Ms: percentile(engineJoin.connectMs, 0.5),
        botCpuMs: { noop: noopJoin.cpuSeconds * 1000, engine: engineJoin.cpuSeconds * 1000 },
      };
      console.log(
        `joins: 2,000 clients to one hunt (${botProcs} bot processes opening 200 at a time), until every one has its first message: engine ${fmt(engineMs)} ms, no-op ${fmt(noopMs)} ms → ${fmt(engineMs / noopMs, 2)}× (goal ≤ 2×)`,
      );
      console.log(
        `  one socket's own wait (open → first message): slowest ${fmt(lastEngine)} vs ${fmt(lastNoop)} ms (${fmt(lastEngine / lastNoop, 2)}×), p50 ${fmt(percentile(engineJoin.connectMs, 0.5))} vs ${fmt(percentile(noopJoin.connectMs, 0.5))} ms; CPU: server ${fmt(engineCpuMs)} vs ${fmt(noopCpuMs)} ms (node + redis vs no-op), bots ${fmt(engineJoin.cpuSeconds * 1000)} vs ${fmt(noopJoin.cpuSeconds * 1000)} ms\n`,
      );
    }

    // ---- flat out: the engine driven like the ceiling
    if (runs('flat')) {
      const lag0 = await scrape(base);
      const n0 = await applied();
      const flat = await drive(botProcs, workloads[0]!.urls, {
        mode: 'blast',
        seconds: 5,
        movesPerSecond: 0,
        pingEveryMs: 100,
      });
      await new Promise((r) => setTimeout(r, 1000));
      const lag1 = await scrape(base);
      const appliedRate = ((await applied()) - n0) / 5;
      const shed =
        Object.entries(flat.errors)
          .map(([k, v]) => `${k} ${fmt(v)}`)
          .join(', ') || 'none';
      // the no-op at the same number of bot processes: the ceiling search's step, or one drive now (--bots)
      const noopSame = results.ceiling?.ladder.find((l) => l.processes === botProcs) ?? (await noopFlat(botProcs));
      const lagP99 = histogramQuantile(lag0, lag1, 'hunt_event_loop_lag_seconds', 0.99);
      const pingP99 = percentile(flat.pings, 0.99);
      results.flatOut = {
        sentPerSec: flat.moves / 5,
        appliedPerSec: appliedRate,
        shed: flat.errors,
        loopLagP99s: lagP99,
        pingP99Ms: pingP99,
        noop: noopSame,
      };
      // compared with the best rate the engine applied in full while paced (whatever its latency)
      const bestPaced = Math.max(
        0,
        ...results.rows
          .filter(
            (r) => r.server === 'engine' && r.workload === '200 clients' && r.appliedPerSec >= r.sentPerSec * 0.98,
          )
          .map((r) => r.appliedPerSec),
      );
      const share =
        bestPaced > 0
          ? `${fmt((appliedRate / bestPaced) * 100)} % of the best paced rate applied in full, ${fmt(bestPaced)}/s; goal ≥ 80 %`
          : 'no paced rate in this run to compare with';
      console.log(
        `flat out (200 clients, ${botProcs} bot processes, 5 s): sent ${fmt(flat.moves / 5)}/s, applied ${fmt(appliedRate)}/s (${share}), refusals: ${shed}, ping p99 ${fmt(pingP99)} ms (goal ≤ 100; no-op flat out ${fmt(noopSame.pingP99Ms)} ms), event-loop delay p99 ${fmt(lagP99 * 1000, 1)} ms (bucketed; goal ≤ 50; the no-op's own ${fmt(noopSame.loopP99Ms, 1)} ms)`,
      );
    }
    redisClient.disconnect();
  });

  mkdirSync(`${ROOT}bench-results`, { recursive: true });
  const file = `${ROOT}bench-results/${results.date.replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten to ${file}`);
  process.exit(0);
}

if (values.cluster)
  await scaleBench({
    seconds: SECONDS,
    rate: values.rates === '10000,25000,50000' ? 20_000 : RATES[0]!,
    shardCounts: [1, 2, 3],
  });
else await main();
