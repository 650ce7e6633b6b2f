/**
 * One big hunt (issue 23, part 7): one hunt at 1,000, 10,000 and the largest size this machine
 * holds, on three front processes and four shard processes sharing one redis-server, every
 * player moving every 5 s and scoring (a right answer) every 10 s, from bots in several processes.
 * Per size: bytes and frames each client receives per second; delta lateness (from its `ts`) and
 * `you` lateness (from the scoring answer's intended send time), beside the same bots on no-op
 * uWS servers that broadcast the engine's own deltas again (same moments, same bytes); CPU per
 * player per second of fronts, shards and Redis; each shard process's share of the moves; Redis
 * bytes read in a reconnect storm of half the players; joins per second. Before the sizes,
 * 2,000 players open their sockets at once, engine against no-op. A table on screen and
 * bench-results/bighunt-<date>.json.
 *
 *   npm run bench:bighunt -- [--sizes 1000,10000,max|none] [--seconds 90] [--warmup 5] [--bots 3]
 *     [--move-every 5] [--score-every 10] [--joins 2000] [--out file.json] [--quick]
 *
 * `max` is the largest size that both the open files and two cores allow, from the figures this
 * run measured at the size before it; the reason is printed. `--quick` (for the test) runs 50 and
 * 100 players for a few seconds.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { joinsRace, type JoinsResult } from './bighunt-joins.js';
import { fmt, judge, table } from './bighunt-report.js';
import { runSize, type Schedule, type SizeResult } from './bighunt-run.js';
import { FILES_RESERVE, openFilesBound, startEngine } from './bighunt-setup.js';
import { withBench } from './processes.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    bots: { type: 'string', default: '3' },
    'move-every': { type: 'string', default: '5' },
    'score-every': { type: 'string' },
    joins: { type: 'string' },
    sample: { type: 'string', default: '100' },
    away: { type: 'string' },
    out: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});
const QUICK = values.quick;
const FRONTS = 3;
const SHARDS = 4;
const GM_KEY = 'bighunt-gm-key-0123456789';
const ROOT = new URL('..', import.meta.url).pathname;
/** the share of the machine's cores the largest size may take (bots included), measured at the size before */
const CPU_BUDGET = 0.9;
/** seconds that joining and connecting the largest size may take, from the rates measured before it */
const SETUP_BUDGET_S = 150;

const positive = (name: string, text: string): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a number above 0, not "${text}"`);
  return n;
};
/** `--sizes none`: the joins race only */
const sizesArg = values.sizes ?? (QUICK ? '50,100' : '1000,10000,max');
const sizes = sizesArg === 'none' ? [] : sizesArg.split(',').map((s) => s.trim());
for (const s of sizes) if (s !== 'max') positive('sizes', s);
const schedule: Schedule = {
  seconds: positive('seconds', values.seconds ?? (QUICK ? '4' : '90')),
  warmupS: Number(values.warmup ?? (QUICK ? '2' : '5')),
  moveEveryS: positive('move-every', values['move-every']),
  scoreEveryS: positive('score-every', values['score-every'] ?? (QUICK ? '2' : '10')),
  sample: positive('sample', values.sample),
  awayS: Number(values.away ?? (QUICK ? '1' : '5')),
};
const JOINS = Number(values.joins ?? (QUICK ? '100' : '2000'));
const MIN_BOTS = positive('bots', values.bots);

/**
 * The largest size both the open files and two cores allow, judged on the size measured before
 * it: none above it when the engine did not keep up there (it shed moves or answers: a larger
 * size would only measure the machine's saturation, and shed work looks cheap); else the players that fit in `CPU_BUDGET` of the cores left after what
 * other processes on the machine took, at the CPU per player (engine, Redis and bots) measured.
 */
function largest(prev: SizeResult, files: { players: number; why: string }): { players: number; why: string } {
  const cores = cpus().length;
  const e = prev.engine;
  // the loopback traffic's interrupts grow with the players: ours; other processes and steal are not
  const ours = e.cores.fronts + e.cores.shards + e.cores.redis + e.cores.bots + prev.machine.interruptCores;
  const others = prev.machine.othersCores + prev.machine.stealCores;
  const cpuBound = e.keptUp.ok
    ? Math.floor((prev.players * Math.max(0, CPU_BUDGET * cores - others)) / Math.max(1e-9, ours))
    : prev.players;
  const setupS = prev.players / prev.joinsPerSec + prev.players / prev.sockets.perSec;
  const timeBound = Math.floor((SETUP_BUDGET_S * prev.players) / Math.max(1e-9, setupS));
  const players = Math.floor(Math.min(files.players, cpuBound, timeBound) / 500) * 500;
  const why = [
    `open files: ${fmt(files.players)} (${files.why})`,
    !e.keptUp.ok
      ? `two cores: ${fmt(cpuBound)} (at ${fmt(prev.players)} the engine did not keep up: ${e.keptUp.why})`
      : `two cores: ${fmt(cpuBound)} (at ${fmt(prev.players)} the engine, Redis, bots and their loopback interrupts used ${fmt(ours, 2)} cores, other processes and steal ${fmt(others, 2)}; ${CPU_BUDGET * 100} % of ${cores} cores at the same cost per player)`,
    `time: ${fmt(timeBound)} (joining and connecting within ${SETUP_BUDGET_S} s at the rates measured at ${fmt(prev.players)})`,
  ].join('; ');
  return { players, why };
}

async function main(): Promise<void> {
  const commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
  const date = new Date().toISOString();
  const machine = cpus()[0]?.model ?? 'unknown';
  const files = openFilesBound(FRONTS);
  const botsFor = (n: number): number => Math.max(MIN_BOTS, Math.ceil(n / Math.max(1, files.players / FRONTS)));
  const results: SizeResult[] = [];
  let joins: JoinsResult | null = null;
  let chosen: { players: number; why: string } | null = null;
  const numeric = sizes.filter((s) => s !== 'max').map(Number);
  console.log(
    `one big hunt on ${machine} (${cpus().length} cores), commit ${commit}, ${date}: ${FRONTS} front processes, ${SHARDS} shard processes, one redis-server, bots in ${MIN_BOTS}+ processes (their CPU shown)`,
  );
  console.log(
    `every player moves every ${schedule.moveEveryS} s and scores every ${schedule.scoreEveryS} s; ${schedule.warmupS} s of play first, then ${schedule.seconds} s counted; ${schedule.sample} sampled clients per bot process parse every frame`,
  );
  console.log(`open files bound: ${fmt(files.players)} players (${files.why})\n`);

  await withBench('bighunt', async (setup) => {
    const engine = await startEngine(setup, GM_KEY, {
      fronts: FRONTS,
      shards: SHARDS,
      maxPlayers: Math.max(files.players, ...numeric, JOINS),
    });
    const redis = new Redis(setup.redis.url);
    try {
      if (JOINS > 0) {
        joins = await joinsRace(setup, engine, JOINS, MIN_BOTS);
        console.log(
          `joins: ${fmt(JOINS)} players open their sockets at once: engine ${fmt(joins.engineMs)} ms, no-op ${fmt(joins.noopMs)} ms → ${fmt(joins.ratio, 2)}× (goal ≤ 2×); ` +
            `no-op greeting with the welcome's ${fmt(joins.welcomeBytes)} bytes ${fmt(joins.noopSameBytesMs)} ms → ${fmt(joins.ratioSameBytes, 2)}×; ` +
            `engine CPU fronts / shards / Redis ${fmt(joins.engineCpuS.fronts, 2)} / ${fmt(joins.engineCpuS.shards, 2)} / ${fmt(joins.engineCpuS.redis, 2)} s; ` +
            `failed ${joins.failed.engine} / ${joins.failed.noop} / ${joins.failed.noopSameBytes}\n`,
        );
      }
      for (const size of sizes) {
        let n: number;
        if (size === 'max') {
          const prev = results.at(-1);
          if (!prev) throw new Error('--sizes: max needs a measured size before it');
          chosen = largest(prev, files);
          console.log(`largest size: ${fmt(chosen.players)} players = the least of ${chosen.why}`);
          if (chosen.players <= prev.players * 1.1) {
            console.log(
              `  no size well above ${fmt(prev.players)} fits: the largest measured is ${fmt(prev.players)}\n`,
            );
            continue;
          }
          n = chosen.players;
        } else n = Number(size);
        const started = Date.now();
        console.log(`${fmt(n)} players: joining, connecting, playing, storming, then the no-op...`);
        const r = await runSize(setup, engine, redis, n, botsFor(n), schedule);
        results.push(r);
        console.log(`  done in ${fmt((Date.now() - started) / 1000)} s\n`);
      }
    } finally {
      redis.disconnect();
    }
  });

  const goals = judge(results, joins, SHARDS);
  console.log(`\n${table(results)}\n`);
  console.log('goals (this run only):');
  for (const g of goals)
    console.log(`  ${g.met === null ? 'NOT SHOWN' : g.met ? 'met   ' : 'MISSED'}  ${g.goal}: ${g.shown}`);

  const file = values.out ?? join(ROOT, 'bench-results', `bighunt-${date.replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(file), { recursive: true });
  const report = {
    bench: 'bighunt',
    machine,
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    commit,
    date,
    command: `npm run bench:bighunt -- ${process.argv.slice(2).join(' ')}`.trim(),
    fronts: FRONTS,
    shardProcesses: SHARDS,
    schedule,
    openFiles: { players: files.players, why: files.why, reservePerProcess: FILES_RESERVE },
    largest: chosen,
    joins,
    sizes: results,
    goals,
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwritten to ${file}`);
}

await main();
process.exit(0);
