/**
 * Joins, engine against ceiling: N registered players of one hunt open their sockets at once,
 * spread over the fronts, from every bot process at the same moment; the time from the first
 * open to the last socket's first frame (its welcome), beside the same bots opening as many
 * sockets on no-op uWS servers, one per front, twice: greeting each socket with one small
 * frame, and with a frame of the engine's welcome's mean size (the bytes every player of this
 * hunt must receive, 200 puzzles, whatever the server).
 */
import { freePort } from '../redis/index.js';
import { BotFleet } from './bighunt-fleet.js';
import { bigHunt, joinPlayers, type Engine, type Proc } from './bighunt-setup.js';
import type { BigBotOrders, OpenedReport } from './bighunt-wire.js';
import { percentile } from './load-stats.js';
import { cpuSeconds } from './metrics-reader.js';
import type { BenchSetup } from './processes.js';

export interface JoinsResult {
  players: number;
  engineMs: number;
  /** the no-op greeting with one small frame */
  noopMs: number;
  /** engine over no-op (small greeting): the goal is ≤ 2 */
  ratio: number;
  /** the engine's welcome, mean bytes */
  welcomeBytes: number;
  /** the no-op greeting with a frame of `welcomeBytes` */
  noopSameBytesMs: number;
  /** engine over no-op (same bytes) */
  ratioSameBytes: number;
  engineP99Ms: number | null;
  noopP99Ms: number | null;
  failed: { engine: number; noop: number; noopSameBytes: number };
  /** CPU seconds during the engine's race: fronts, shards, Redis (bots: the fleet's own) */
  engineCpuS: { fronts: number; shards: number; redis: number };
}

const span = (opened: OpenedReport[]): number =>
  Math.max(...opened.map((o) => o.to)) - Math.min(...opened.map((o) => o.from));

async function openAll(urls: string[], procs: number): Promise<OpenedReport[]> {
  const openAt = Date.now() + 1500;
  const orders: BigBotOrders[] = Array.from({ length: procs }, (_, p) => ({
    urls: urls.filter((_, i) => i % procs === p),
    openAt,
    sample: 0,
    moveEveryMs: 5000,
    scoreEveryMs: 10_000,
    awayS: 0,
    key: [],
  })).filter((o) => o.urls.length > 0);
  const { fleet, opened } = await BotFleet.open(orders);
  await fleet.end();
  return opened;
}

/** The same bots on one no-op server per front, greeting with `greetBytes` (0: one small frame). */
async function noopRace(
  setup: BenchSetup,
  fronts: number,
  players: number,
  botProcs: number,
  greetBytes: number,
): Promise<OpenedReport[]> {
  const noops: Proc[] = [];
  const env = greetBytes > 0 ? { HUNT_NOOP_GREET_BYTES: String(greetBytes) } : {};
  for (let i = 0; i < fronts; i++)
    noops.push(await setup.start(['load/noop-server.ts', String(await freePort())], env));
  try {
    return await openAll(
      Array.from({ length: players }, (_, i) => `ws://127.0.0.1:${noops[i % noops.length]!.port}/ws`),
      botProcs,
    );
  } finally {
    for (const p of noops) p.proc.kill('SIGTERM');
  }
}

export async function joinsRace(
  setup: BenchSetup,
  engine: Engine,
  players: number,
  botProcs: number,
): Promise<JoinsResult> {
  const noop = await noopRace(setup, engine.fronts.length, players, botProcs, 0);
  const hunt = await bigHunt(engine.gms[0]!, `joins ${players}`, players);
  const { urls } = await joinPlayers(engine, hunt.id, players, 'j-');
  const cpu = (procs: Proc[]): number => procs.reduce((s, p) => s + cpuSeconds(p.proc.pid ?? 0), 0);
  const before = { fronts: cpu(engine.fronts), shards: cpu(engine.shards), redis: cpuSeconds(engine.redis.pid) };
  const eng = await openAll(urls, botProcs);
  const engineCpuS = {
    fronts: cpu(engine.fronts) - before.fronts,
    shards: cpu(engine.shards) - before.shards,
    redis: cpuSeconds(engine.redis.pid) - before.redis,
  };
  const opened = eng.reduce((s, r) => s + r.opened, 0);
  const welcomeBytes = Math.round(eng.reduce((s, r) => s + r.firstBytes, 0) / Math.max(1, opened));
  const same = await noopRace(setup, engine.fronts.length, players, botProcs, welcomeBytes);
  const engineMs = span(eng);
  const noopMs = span(noop);
  const noopSameBytesMs = span(same);
  const failed = (o: OpenedReport[]): number => o.reduce((s, r) => s + r.failed, 0);
  return {
    players,
    engineMs,
    noopMs,
    ratio: engineMs / Math.max(1, noopMs),
    welcomeBytes,
    noopSameBytesMs,
    ratioSameBytes: engineMs / Math.max(1, noopSameBytesMs),
    engineP99Ms: percentile(
      eng.flatMap((o) => o.connectMs),
      99,
    ),
    noopP99Ms: percentile(
      noop.flatMap((o) => o.connectMs),
      99,
    ),
    failed: { engine: failed(eng), noop: failed(noop), noopSameBytes: failed(same) },
    engineCpuS,
  };
}
