/**
 * The big-hunt benchmark's engine and hunts: three front processes and four shard processes on
 * one private redis-server, a hunt of code puzzles for N players, the players joined over every
 * front, and the readings taken around a window (CPU of each process, each shard's applied
 * moves, Redis's network bytes). Also the open-file bound on the largest size.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { HuntHttpClient } from '../client/index.js';
import type { EmbeddedRedis } from '../redis/index.js';
import { cpuSeconds, scrape, value, type Samples } from './metrics-reader.js';
import type { BenchSetup } from './processes.js';

export interface Proc {
  proc: ChildProcess;
  port: number;
}

export interface Engine {
  fronts: Proc[];
  shards: Proc[];
  redis: EmbeddedRedis;
  /** one client per front, with the GM key */
  gms: HuntHttpClient[];
}

/** Puzzles per hunt: a player scores by answering the next one, so this bounds the scores a player can make. */
export const PUZZLES = 200;

/**
 * Starts the fronts (the first also runs the worker role, idle here: code puzzles need no
 * generation) and the shard processes, lifts the per-address socket cap (every bot connects from
 * 127.0.0.1) and spreads one hunt's moves over every partition (`routing.movePartitions`, as an
 * operator sets it for a big hunt). Every other setting stays at its default.
 */
export async function startEngine(
  setup: BenchSetup,
  gmKey: string,
  o: { fronts: number; shards: number; maxPlayers: number },
): Promise<Engine> {
  const fronts: Proc[] = [];
  for (let i = 0; i < o.fronts; i++) fronts.push(await setup.node(i === 0 ? 'front,worker' : 'front', gmKey));
  const shards: Proc[] = [];
  for (let i = 0; i < o.shards; i++) shards.push(await setup.node('shard', gmKey));
  const gms = fronts.map((f) => new HuntHttpClient(`http://127.0.0.1:${f.port}`, gmKey));
  const gm = gms[0]!;
  const set = async (name: string, patch: (cur: Record<string, unknown>) => Record<string, unknown>): Promise<void> => {
    const cur = await gm.request<{ version: number; value: Record<string, unknown> }>('GET', `/api/configs/${name}`);
    await gm.request('PUT', `/api/configs/${name}`, {
      value: { ...cur.value, ...patch(cur.value) },
      expectedVersion: cur.version,
    });
  };
  await set('limits', () => ({ socketsPerAddress: o.maxPlayers * 2 + 100 }));
  // one hunt's moves over every partition, so every shard process takes a share (where the engine
  // has the field; an engine without it refuses the unknown field, and keeps one partition per hunt)
  await set('routing', (cur) => ({ movePartitions: cur.partitions })).catch((err: unknown) =>
    console.log(
      `routing.movePartitions not set (${err instanceof Error ? err.message : String(err)}): one shard process per hunt`,
    ),
  );
  await new Promise((r) => setTimeout(r, 2500)); // every node applies it; shard leases settle
  return { fronts, shards, redis: setup.redis, gms };
}

/** A live hunt of `PUZZLES` code puzzles for `players`, and its answer key in order. */
export async function bigHunt(
  gm: HuntHttpClient,
  name: string,
  players: number,
): Promise<{ id: string; key: { puzzle: string; answer: string }[] }> {
  const puzzles = Array.from({ length: PUZZLES }, (_, i) => ({
    type: 'code',
    title: `Checkpoint ${i + 1}`,
    prompt: 'Type the code on the sign.',
    points: 10,
    code: `CODE${String(i).padStart(4, '0')}`,
  }));
  const { id } = await gm.request<{ id: string }>('POST', '/api/hunts', {
    name,
    puzzles,
    maxPlayers: players + 10,
  });
  await gm.waitReady(id, 60_000);
  await gm.lifecycle(id, 'launch');
  const key = (await gm.answers(id)).answers.map((a) => ({ puzzle: a.puzzle, answer: a.answer }));
  return { id, key };
}

/**
 * Joins `n` players over every front (a GM-keyed join is not limited per address), 48 at a time;
 * player i is joined through, and later connects to, front i mod fronts. Returns their socket URLs
 * and the joins per second.
 */
export async function joinPlayers(
  engine: Engine,
  hunt: string,
  n: number,
  prefix: string,
): Promise<{ urls: string[]; ms: number }> {
  const urls: string[] = new Array(n);
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: Math.min(48, n) }, async () => {
      for (let i = next++; i < n; i = next++) {
        const f = i % engine.fronts.length;
        const j = await engine.gms[f]!.join(hunt, `${prefix}${i}`);
        urls[i] = `ws://127.0.0.1:${engine.fronts[f]!.port}/ws?token=${j.token}`;
      }
    }),
  );
  return { urls, ms: Date.now() - started };
}

export interface Reading {
  at: number;
  /** CPU seconds so far, summed per role */
  fronts: number;
  shards: number;
  redis: number;
  /** moves applied so far, per shard process */
  shardMoves: number[];
  /** CPU seconds so far, per shard process */
  shardCpu: number[];
  redisOut: number;
  redisIn: number;
  /** events the fronts refused with OVERLOADED so far, by the limit past (hunt_events_shed_cause_total) */
  shedCauses: Record<string, number>;
  /** each front's metrics as scraped (for histograms over a window: the event-loop delay) */
  frontMetrics: Samples[];
  /** CPU seconds of the whole machine so far (every process, ours or not) */
  machine: MachineCpu;
}

export interface MachineCpu {
  /** in processes (user, nice, system): ours and others' */
  processes: number;
  /** in the kernel's interrupt handlers (irq, softirq): loopback traffic lands here, not in any process */
  interrupts: number;
  /** taken by the hypervisor for other guests (steal): cores this box did not get */
  steal: number;
}

/** CPU seconds of the whole machine so far, from the first line of /proc/stat. */
export function machineCpu(): MachineCpu {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
    return { processes: (user + nice + system) / 100, interrupts: (irq + softirq) / 100, steal: steal / 100 };
  } catch {
    return { processes: NaN, interrupts: NaN, steal: NaN };
  }
}

async function redisNet(r: Redis): Promise<{ out: number; in: number }> {
  const stats = await r.info('stats');
  const field = (name: string): number => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(stats)?.[1] ?? NaN);
  return { out: field('total_net_output_bytes'), in: field('total_net_input_bytes') };
}

/** Reads every figure that is taken as a difference around a window. */
export async function read(engine: Engine, redis: Redis): Promise<Reading> {
  const at = Date.now();
  const cpu = (ps: Proc[]): number => ps.reduce((s, p) => s + cpuSeconds(p.proc.pid ?? 0), 0);
  const [net, shardMoves, frontSamples] = await Promise.all([
    redisNet(redis),
    Promise.all(
      engine.shards.map(async (s) =>
        value(await scrape(`http://127.0.0.1:${s.port}`), 'hunt_events_applied_total{type="move"}'),
      ),
    ),
    Promise.all(engine.fronts.map((f) => scrape(`http://127.0.0.1:${f.port}`))),
  ]);
  const shedCauses: Record<string, number> = {};
  for (const cause of ['queued', 'backlog', 'lag'])
    shedCauses[cause] = frontSamples.reduce(
      (s, m) => s + value(m, `hunt_events_shed_cause_total{cause="${cause}"}`),
      0,
    );
  return {
    at,
    fronts: cpu(engine.fronts),
    shards: cpu(engine.shards),
    shardCpu: engine.shards.map((p) => cpuSeconds(p.proc.pid ?? 0)),
    redis: cpuSeconds(engine.redis.pid),
    shardMoves,
    redisOut: net.out,
    redisIn: net.in,
    shedCauses,
    frontMetrics: frontSamples,
    machine: machineCpu(),
  };
}

/** The hard open-file limit of this process (what a child may raise its soft limit to), or null. */
function hardOpenFiles(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const hard = line?.slice('Max open files'.length).trim().split(/\s+/)[1];
    if (hard === 'unlimited') return Infinity;
    const n = Number(hard);
    return Number.isFinite(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** Local ports for outgoing connections (loopback: each front's port has its own set). */
function ephemeralPorts(): number {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return lo !== undefined && hi !== undefined && hi >= lo ? hi - lo + 1 : 28_232;
  } catch {
    return 28_232;
  }
}

/** Files a process keeps besides its sockets to players (Redis connections, listeners, logs), with room. */
export const FILES_RESERVE = 1000;

/**
 * The largest hunt the open files allow: each front holds at most its hard limit less a reserve,
 * a front's port takes at most the ephemeral range of client ports, and each bot process holds
 * at most its hard limit less a reserve (the benchmark adds bot processes to stay under it).
 */
export function openFilesBound(fronts: number): { players: number; why: string } {
  const hard = hardOpenFiles() ?? 1024;
  const perFront = Math.min(hard - FILES_RESERVE, ephemeralPorts());
  return {
    players: Math.max(0, perFront * fronts),
    why: `${fronts} fronts × min(hard open-file limit ${hard} − ${FILES_RESERVE} reserved, ${ephemeralPorts()} client ports per front port)`,
  };
}
