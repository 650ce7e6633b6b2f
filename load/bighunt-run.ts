/**
 * One size of the big-hunt benchmark: N players in one hunt on the engine, then the same bots on
 * no-op uWS servers (one per front) broadcasting the engine's own deltas again (each at its
 * offset into the counted window, of its bytes, every server at once); between them, a
 * reconnect storm of half the players on the engine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { freePort } from '../redis/index.js';
import { BotFleet } from './bighunt-fleet.js';
import { bigHunt, joinPlayers, read, type Engine, type Proc, type Reading } from './bighunt-setup.js';
import type { BigBotOrders, OpenedReport, PlayedReport } from './bighunt-wire.js';
import { percentile } from './load-stats.js';
import { cpuSeconds, histogramQuantile } from './metrics-reader.js';
import type { BenchSetup } from './processes.js';

export interface Schedule {
  /** counted seconds of play */
  seconds: number;
  /** seconds of the same play first, not counted */
  warmupS: number;
  moveEveryS: number;
  scoreEveryS: number;
  /** clients per bot process that parse every frame */
  sample: number;
  /** a storm's clients say they left off this many seconds before the end of play */
  awayS: number;
}

/** Figures from the same bots over one window, on the engine or on the no-op servers. */
export interface Play {
  bytesPerClientPerSec: number;
  framesPerClientPerSec: number;
  /** per frame type, on the sampled clients */
  byType: Record<string, { bytesPerClientPerSec: number; framesPerClientPerSec: number; meanBytes: number }>;
  /** `deltas`: how many broadcasts the samples are of (each sampled client reads every one) */
  delta: { p50: number | null; p99: number | null; samples: number; deltas: number };
  you: { p50: number | null; p99: number | null; samples: number; missing: number };
  gaps: number;
  movesSent: number;
  answersSent: number;
  /** the sampled clients' answers meant for the window: sent, answered with a result, refused */
  sampledAnswers: { sent: number; results: number; refused: number };
  errors: Record<string, number>;
  closed: Record<string, number>;
  botCores: number;
}

export interface SizeResult {
  players: number;
  botProcesses: number;
  /** registrations (`POST .../players` with the GM key, 48 at a time over every front) */
  joinsPerSec: number;
  /** every socket opened at once: from the first open to the last first frame */
  sockets: { opened: number; failed: number; spanMs: number; perSec: number; p99Ms: number | null };
  engine: Play & {
    /**
     * whether the engine did the work: ≥ 95 % of the moves sent applied, ≥ 95 % of the sampled
     * answers answered with a result, no socket closed by the server; `why` says what fell short.
     * Where it shed work its CPU per player is cheaper than the work costs: not a figure to compare.
     */
    keptUp: { ok: boolean; why: string };
    /** each front's event-loop delay over the window, p99 and p99.9, ms (a loop past limits.maxLoopLagMs sheds) */
    loopLagMs: { p99: number[]; p999: number[] };
    movesApplied: number;
    /** CPU µs per player per second, and cores, by role */
    cpuUsPerPlayerSec: { fronts: number; shards: number; redis: number; engine: number };
    cores: { fronts: number; shards: number; redis: number; bots: number };
    shardMoves: number[];
    /**
     * CPU µs per player per second of each shard process: the one holding the hunt's own
     * partition also applies every answer (answers are not spread), so the busiest bounds a hunt
     */
    shardCpuUsPerPlayerSec: number[];
    /** each shard process's share of the moves applied, % */
    shardShares: number[];
  };
  noop: Play & { lbPerSec: number; lbBytes: number; cpuUsPerPlayerSec: number; cores: number };
  /**
   * the whole machine over the engine's window, in cores: busy in processes, of which other
   * processes than the engine's and the bots'; in interrupts (loopback traffic); stolen by the
   * hypervisor; and the load average
   */
  machine: { busyCores: number; othersCores: number; interruptCores: number; stealCores: number; loadAvg1: number };
  storm: {
    /** the seq the reconnecting clients gave (`since`), and the hunt's seq then */
    since: number;
    seq: number;
    reconnecting: number;
    reconnected: number;
    spanMs: number;
    p50Ms: number | null;
    p99Ms: number | null;
    redisOutBytes: number;
    redisInBytes: number;
    /** Redis's bytes out over the same time while nothing happened (what the storm's figure includes anyway) */
    quietOutBytes: number;
    outPerPlayer: number;
    inPerPlayer: number;
  };
}

const at = (t: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const merge = (maps: Record<string, number>[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const m of maps) for (const [k, v] of Object.entries(m)) out[k] = (out[k] ?? 0) + v;
  return out;
};

/** Splits the URLs over bot processes (client i to process i mod procs). */
function shares(urls: string[], procs: number, s: Schedule, key: BigBotOrders['key'], openAt: number): BigBotOrders[] {
  return Array.from({ length: procs }, (_, p) => {
    const mine = urls.filter((_, i) => i % procs === p);
    return {
      urls: mine,
      openAt,
      sample: Math.min(s.sample, mine.length),
      moveEveryMs: s.moveEveryS * 1000,
      scoreEveryMs: s.scoreEveryS * 1000,
      awayS: s.awayS,
      key,
    };
  }).filter((o) => o.urls.length > 0);
}

function sockets(opened: OpenedReport[]): SizeResult['sockets'] {
  const n = sum(opened.map((o) => o.opened));
  const spanMs = Math.max(...opened.map((o) => o.to)) - Math.min(...opened.map((o) => o.from));
  return {
    opened: n,
    failed: sum(opened.map((o) => o.failed)),
    spanMs,
    perSec: (n * 1000) / Math.max(1, spanMs),
    p99Ms: percentile(
      opened.flatMap((o) => o.connectMs),
      99,
    ),
  };
}

function play(reports: PlayedReport[], s: Schedule): Play {
  const clients = sum(reports.map((r) => r.clients));
  const sampled = sum(reports.map((r) => r.sampled));
  const bytes = merge(reports.map((r) => r.sampledBytes));
  const frames = merge(reports.map((r) => r.sampledFrames));
  const perClientSec = (x: number, n: number): number => x / Math.max(1, n) / s.seconds;
  const deltaMs = reports.flatMap((r) => r.deltaMs);
  const youMs = reports.flatMap((r) => r.youMs);
  return {
    bytesPerClientPerSec: perClientSec(sum(reports.map((r) => r.bytes)), clients),
    framesPerClientPerSec: perClientSec(sum(reports.map((r) => r.frames)), clients),
    byType: Object.fromEntries(
      Object.keys(frames).map((t) => [
        t,
        {
          bytesPerClientPerSec: perClientSec(bytes[t] ?? 0, sampled),
          framesPerClientPerSec: perClientSec(frames[t] ?? 0, sampled),
          meanBytes: (bytes[t] ?? 0) / Math.max(1, frames[t] ?? 0),
        },
      ]),
    ),
    delta: {
      p50: percentile(deltaMs, 50),
      p99: percentile(deltaMs, 99),
      samples: deltaMs.length,
      deltas: deltasOf(reports).length,
    },
    you: {
      p50: percentile(youMs, 50),
      p99: percentile(youMs, 99),
      samples: youMs.length,
      missing: sum(reports.map((r) => r.youMissing)),
    },
    gaps: sum(reports.map((r) => r.gaps)),
    movesSent: sum(reports.map((r) => r.moves)),
    answersSent: sum(reports.map((r) => r.answers)),
    sampledAnswers: {
      sent: sum(reports.map((r) => r.sampledAnswers.sent)),
      results: sum(reports.map((r) => r.sampledAnswers.results)),
      refused: sum(reports.map((r) => r.sampledAnswers.refused)),
    },
    errors: merge(reports.map((r) => r.errors)),
    closed: merge(reports.map((r) => r.closed)),
    botCores: sum(reports.map((r) => r.cpuSeconds)) / s.seconds,
  };
}

/** A quantile of a front's event-loop delay between two scrapes, ms. */
function lagMs(
  before: Reading['frontMetrics'][number] | undefined,
  after: Reading['frontMetrics'][number],
  q: number,
): number {
  return histogramQuantile(before ?? new Map(), after, 'hunt_event_loop_lag_seconds', q) * 1000;
}

function keptUp(p: Play, movesApplied: number, shed: Record<string, number>): { ok: boolean; why: string } {
  const short: string[] = [];
  if (movesApplied < 0.95 * p.movesSent) short.push(`applied ${movesApplied} of ${p.movesSent} moves`);
  const a = p.sampledAnswers;
  if (a.results < 0.95 * a.sent)
    short.push(`answered ${a.results} of ${a.sent} sampled answers (${a.refused} refused)`);
  const closes = sum(Object.values(p.closed));
  if (closes > 0) short.push(`closed ${closes} sockets`);
  const causes = Object.entries(shed).filter(([, n]) => n > 0);
  if (short.length > 0 && causes.length > 0)
    short.push(`the fronts shed by ${causes.map(([cause, n]) => `${cause} ${n}`).join(', ')}`);
  return { ok: short.length === 0, why: short.join(', ') || 'every move applied, every answer answered' };
}

/** The deltas the sampled clients counted, each once, in seq order: [seq, ts, bytes]. */
function deltasOf(reports: PlayedReport[]): [number, number, number][] {
  const bySeq = new Map<number, [number, number, number]>();
  for (const r of reports) for (const d of r.deltas) if (!bySeq.has(d[0])) bySeq.set(d[0], d);
  return [...bySeq.values()].sort((a, b) => a[0] - b[0]);
}

/**
 * Plays the schedule on an open fleet; `readAround` is called at the start and the end of the
 * counted window, and `starting` is told when the counted part begins (epoch ms), before play starts.
 */
async function playWindow<T>(
  fleet: BotFleet,
  s: Schedule,
  readAround: () => Promise<T>,
  starting: (from: number) => Promise<void> = () => Promise.resolve(),
): Promise<{ reports: PlayedReport[]; before: T; after: T; from: number }> {
  const startAt = Date.now() + 1000;
  const from = startAt + s.warmupS * 1000;
  await starting(from);
  const before = at(from).then(readAround);
  const after = at(from + s.seconds * 1000).then(readAround);
  const reports = await fleet.play(startAt, s.warmupS, s.seconds);
  return { reports, before: await before, after: await after, from };
}

export async function runSize(
  setup: BenchSetup,
  engine: Engine,
  redis: Redis,
  n: number,
  botProcs: number,
  s: Schedule,
): Promise<SizeResult> {
  // ---- the engine
  const hunt = await bigHunt(engine.gms[0]!, `big hunt ${n}`, n);
  const joined = await joinPlayers(engine, hunt.id, n, `p${n}-`);
  const opening = await BotFleet.open(shares(joined.urls, botProcs, s, hunt.key, Date.now() + 1500));
  const fleet = opening.fleet;
  let engineWindow: { reports: PlayedReport[]; before: Reading; after: Reading; from: number };
  let storm: SizeResult['storm'];
  try {
    engineWindow = await playWindow(fleet, s, () => read(engine, redis));
    // ---- the storm: half the players reconnect with since=<last seq>, on a quiet hunt
    await new Promise((r) => setTimeout(r, 1000));
    const q0 = await read(engine, redis);
    await new Promise((r) => setTimeout(r, 2000));
    const q1 = await read(engine, redis);
    const stormed = await fleet.storm(Date.now() + 200, 60_000 + n * 5);
    const s1 = await read(engine, redis);
    const reconnecting = sum(stormed.map((r) => r.reconnecting));
    const spanMs = Math.max(...stormed.map((r) => r.to)) - Math.min(...stormed.map((r) => r.from));
    const ms = stormed.flatMap((r) => r.ms);
    storm = {
      since: Math.min(...stormed.map((r) => r.since)),
      seq: Math.max(...engineWindow.reports.map((r) => r.lastSeq)),
      reconnecting,
      reconnected: sum(stormed.map((r) => r.reconnected)),
      spanMs,
      p50Ms: percentile(ms, 50),
      p99Ms: percentile(ms, 99),
      redisOutBytes: s1.redisOut - q1.redisOut,
      redisInBytes: s1.redisIn - q1.redisIn,
      quietOutBytes: ((q1.redisOut - q0.redisOut) * (s1.at - q1.at)) / Math.max(1, q1.at - q0.at),
      outPerPlayer: (s1.redisOut - q1.redisOut) / Math.max(1, reconnecting),
      inPerPlayer: (s1.redisIn - q1.redisIn) / Math.max(1, reconnecting),
    };
  } finally {
    await fleet.end();
  }
  const { reports, before, after } = engineWindow;
  const enginePlay = play(reports, s);
  const shardMoves = after.shardMoves.map((m, i) => m - (before.shardMoves[i] ?? 0));
  const movesApplied = sum(shardMoves);
  const loadAvg1 = loadavg()[0] ?? NaN;
  const perPlayerSec = (cpu: number): number => (cpu / (n * s.seconds)) * 1e6;
  const cpu = {
    fronts: after.fronts - before.fronts,
    shards: after.shards - before.shards,
    redis: after.redis - before.redis,
  };

  // ---- the ceiling: no-op servers, one per front, broadcasting the engine's own deltas again:
  // each at the same offset into the counted window and of the same bytes, all servers together
  const lb = enginePlay.byType.lb;
  const lbPerSec = lb?.framesPerClientPerSec ?? 0;
  const lbBytes = Math.round(lb?.meanBytes ?? 0);
  const replayDir = mkdtempSync(join(tmpdir(), 'bighunt-replay-'));
  const replayFile = join(replayDir, 'deltas.json');
  const replay = deltasOf(reports).map(([, ts, bytes]) => [ts - engineWindow.from, bytes]);
  writeFileSync(replayFile, JSON.stringify(replay));
  const noops: Proc[] = [];
  for (let i = 0; i < engine.fronts.length; i++)
    noops.push(
      await setup.start(['load/noop-server.ts', String(await freePort()), '0', String(lbBytes), 'you', replayFile]),
    );
  let noopPlay: Play;
  let noopCpu: number;
  try {
    const urls = Array.from({ length: n }, (_, i) => `ws://127.0.0.1:${noops[i % noops.length]!.port}/ws`);
    const noopFleet = await BotFleet.open(shares(urls, botProcs, s, hunt.key, Date.now() + 1500));
    try {
      const cpuOf = (): Promise<number> => Promise.resolve(sum(noops.map((p) => cpuSeconds(p.proc.pid ?? 0))));
      const replayFrom = async (from: number): Promise<void> => {
        // warm-up has no deltas on the no-op: the replay is of the engine's counted window only
        for (const res of await Promise.all(noops.map((p) => fetch(`http://127.0.0.1:${p.port}/replay?from=${from}`))))
          if (!res.ok) throw new Error(`no-op replay refused: ${res.status} ${await res.text()}`);
      };
      const w = await playWindow(noopFleet.fleet, s, cpuOf, replayFrom);
      noopPlay = play(w.reports, s);
      noopCpu = w.after - w.before;
    } finally {
      await noopFleet.fleet.end();
    }
  } finally {
    for (const p of noops) p.proc.kill('SIGTERM');
    rmSync(replayDir, { recursive: true, force: true });
  }

  return {
    players: n,
    botProcesses: opening.opened.length,
    joinsPerSec: (n * 1000) / Math.max(1, joined.ms),
    sockets: sockets(opening.opened),
    engine: {
      ...enginePlay,
      loopLagMs: {
        p99: after.frontMetrics.map((m, i) => lagMs(before.frontMetrics[i], m, 0.99)),
        p999: after.frontMetrics.map((m, i) => lagMs(before.frontMetrics[i], m, 0.999)),
      },
      keptUp: keptUp(
        enginePlay,
        movesApplied,
        Object.fromEntries(
          Object.entries(after.shedCauses).map(([cause, n]) => [cause, n - (before.shedCauses[cause] ?? 0)]),
        ),
      ),
      movesApplied,
      cpuUsPerPlayerSec: {
        fronts: perPlayerSec(cpu.fronts),
        shards: perPlayerSec(cpu.shards),
        redis: perPlayerSec(cpu.redis),
        engine: perPlayerSec(cpu.fronts + cpu.shards + cpu.redis),
      },
      cores: {
        fronts: cpu.fronts / s.seconds,
        shards: cpu.shards / s.seconds,
        redis: cpu.redis / s.seconds,
        bots: enginePlay.botCores,
      },
      shardMoves,
      shardCpuUsPerPlayerSec: after.shardCpu.map((c, i) => perPlayerSec(c - (before.shardCpu[i] ?? 0))),
      shardShares: shardMoves.map((m) => (100 * m) / Math.max(1, movesApplied)),
    },
    noop: {
      ...noopPlay,
      lbPerSec,
      lbBytes,
      cpuUsPerPlayerSec: perPlayerSec(noopCpu),
      cores: noopCpu / s.seconds,
    },
    machine: {
      busyCores: (after.machine.processes - before.machine.processes) / s.seconds,
      othersCores: Math.max(
        0,
        (after.machine.processes - before.machine.processes - cpu.fronts - cpu.shards - cpu.redis) / s.seconds -
          enginePlay.botCores,
      ),
      interruptCores: (after.machine.interrupts - before.machine.interrupts) / s.seconds,
      stealCores: (after.machine.steal - before.machine.steal) / s.seconds,
      loadAvg1,
    },
    storm,
  };
}
