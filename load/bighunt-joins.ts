/**
 * Joins, engine against ceiling: N registered players of one hunt open their sockets at once,
 * spread over the fronts, from every bot process at the same moment; the time from the first
 * open to the last socket's first frame (its welcome), beside the same bots opening as many
 * sockets on no-op uWS servers, one per front, that greet each socket with one small frame.
 */
import { freePort } from '../redis/index.js';
import { BotFleet } from './bighunt-fleet.js';
import { bigHunt, joinPlayers, type Engine, type Proc } from './bighunt-setup.js';
import type { BigBotOrders, OpenedReport } from './bighunt-wire.js';
import { percentile } from './load-stats.js';
import type { BenchSetup } from './processes.js';

export interface JoinsResult {
  players: number;
  engineMs: number;
  noopMs: number;
  /** engine over no-op: the goal is ≤ 2 */
  ratio: number;
  engineP99Ms: number | null;
  noopP99Ms: number | null;
  failed: { engine: number; noop: number };
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

export async function joinsRace(
  setup: BenchSetup,
  engine: Engine,
  players: number,
  botProcs: number,
): Promise<JoinsResult> {
  const noops: Proc[] = [];
  for (let i = 0; i < engine.fronts.length; i++)
    noops.push(await setup.start(['load/noop-server.ts', String(await freePort())]));
  let noop: OpenedReport[];
  try {
    noop = await openAll(
      Array.from({ length: players }, (_, i) => `ws://127.0.0.1:${noops[i % noops.length]!.port}/ws`),
      botProcs,
    );
  } finally {
    for (const p of noops) p.proc.kill('SIGTERM');
  }
  const hunt = await bigHunt(engine.gms[0]!, `joins ${players}`, players);
  const { urls } = await joinPlayers(engine, hunt.id, players, 'j-');
  const eng = await openAll(urls, botProcs);
  const engineMs = span(eng);
  const noopMs = span(noop);
  const failed = (o: OpenedReport[]): number => o.reduce((s, r) => s + r.failed, 0);
  return {
    players,
    engineMs,
    noopMs,
    ratio: engineMs / Math.max(1, noopMs),
    engineP99Ms: percentile(
      eng.flatMap((o) => o.connectMs),
      99,
    ),
    noopP99Ms: percentile(
      noop.flatMap((o) => o.connectMs),
      99,
    ),
    failed: { engine: failed(eng), noop: failed(noop) },
  };
}
