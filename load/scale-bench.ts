/**
 * The scale-out benchmark (`npm run bench -- --cluster`): how the work spreads, and what it
 * costs per process and per master, on one redis-server and on a Redis Cluster of 3 masters.
 *
 * For each Redis and 1, 2 and 3 shard processes: a front node (with the worker role), the shard
 * processes, 24 hunts of 10 players over 12 partitions, and every player moving on a fixed
 * schedule from bot processes. It reports per shard process the moves it applied, its CPU and
 * CPU-s per million moves, and per Redis server (master) the commands, CPU and µs of its main thread
 * per move. On two cores nothing can grow in absolute terms: the point is the spread and the
 * unit costs that size a deployment (docs/scaling.md).
 */
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { HuntHttpClient } from '../client/index.js';
import { freePort, startEmbeddedRedis, startLocalCluster } from '../redis/index.js';
import { drive } from './bot-pool.js';
import { cpuSeconds, redisCpuUsec, scrape, value } from './metrics-reader.js';
import { child } from './processes.js';

const GM_KEY = 'bench-gm-key-0123456789';
const ROOT = new URL('..', import.meta.url).pathname;
const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';

interface Server {
  port: number;
  pid: number;
}

async function serverStats(s: Server): Promise<{ commands: number; usec: number; cpu: number }> {
  const r = new Redis({ port: s.port, host: '127.0.0.1' });
  try {
    const [stats, usec] = await Promise.all([r.info('stats'), redisCpuUsec(r)]);
    return { commands: Number(/total_commands_processed:(\d+)/.exec(stats)?.[1] ?? 0), usec, cpu: cpuSeconds(s.pid) };
  } finally {
    r.disconnect();
  }
}

export async function scaleBench(opts: { seconds: number; rate: number; shardCounts: number[] }): Promise<void> {
  const results: Record<string, unknown>[] = [];
  const machine = cpus()[0]?.model ?? 'unknown';
  const commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
  console.log(
    `scale-out benchmark on ${machine} (${cpus().length} cores), commit ${commit}: ${fmt(opts.rate)} moves/s from 240 clients in 24 hunts, 12 partitions, ${opts.seconds} s per run\n`,
  );
  for (const target of ['one redis-server', 'cluster of 3 masters'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'hunt-scale-'));
    const cluster =
      target === 'one redis-server'
        ? undefined
        : await startLocalCluster({ dir, masters: 3, replicas: 0, appendonly: true });
    const single = cluster ? undefined : await startEmbeddedRedis({ dir });
    const url = cluster?.url ?? single!.url;
    const servers: Server[] = cluster
      ? (await cluster.masters()).map((port) => ({ port, pid: cluster.nodes.find((n) => n.port === port)!.pid }))
      : [{ port: single!.port, pid: single!.pid }];
    try {
      for (const shards of opts.shardCounts) {
        const prefix = `scale${shards}${Math.random().toString(36).slice(2, 6)}`;
        const procs: { proc: import('node:child_process').ChildProcess; port: number }[] = [];
        // whatever ends this process (a crash, Ctrl-C), the nodes it started go with it
        const killAll = (): void => procs.forEach((p) => p.proc.kill('SIGKILL'));
        process.once('exit', killAll);
        const node = async (
          roles: string,
        ): Promise<{ proc: import('node:child_process').ChildProcess; port: number }> => {
          const c = await child(
            [
              'server/cli.ts',
              'start',
              '--roles',
              roles,
              '--port',
              String(await freePort()),
              '--host',
              '127.0.0.1',
              '--redis',
              url,
              '--prefix',
              prefix,
            ],
            { HUNT_GM_KEY: GM_KEY },
          );
          procs.push(c);
          return c;
        };
        try {
          const front = await node('front,worker');
          const gm = new HuntHttpClient(`http://127.0.0.1:${front.port}`, GM_KEY);
          for (const [name, patch] of [
            ['limits', { messagesPerSecond: 100_000, burst: 100_000 }],
            ['routing', { partitions: 12 }],
          ] as const) {
            const cur = await gm.request<{ version: number; value: Record<string, unknown> }>(
              'GET',
              `/api/configs/${name}`,
            );
            await gm.request('PUT', `/api/configs/${name}`, {
              value: { ...cur.value, ...patch },
              expectedVersion: cur.version,
            });
          }
          const shardNodes = [];
          for (let i = 0; i < shards; i++) shardNodes.push(await node('shard'));
          await new Promise((r) => setTimeout(r, 2500)); // leases settle: every partition owned, shared fairly
          const urls: string[] = [];
          for (let h = 0; h < 24; h++) {
            const { id } = await gm.createHunt({
              name: `scale ${h}`,
              puzzles: [{ type: 'cipher', difficulty: 'easy' }],
            });
            await gm.waitReady(id);
            await gm.lifecycle(id, 'launch');
            const joined = await Promise.all(Array.from({ length: 10 }, (_, k) => gm.join(id, `bot${k}`)));
            urls.push(...joined.map((j) => `ws://127.0.0.1:${front.port}/ws?token=${j.token}`));
          }
          const applied = async (n: { port: number }): Promise<number> =>
            value(await scrape(`http://127.0.0.1:${n.port}`), 'hunt_events_applied_total{type="move"}');
          const before = await Promise.all(
            shardNodes.map(async (s) => ({ applied: await applied(s), cpu: cpuSeconds(s.proc.pid!) })),
          );
          const redisBefore = await Promise.all(servers.map(serverStats));
          const frontCpu0 = cpuSeconds(front.proc.pid!);
          const r = await drive(2, urls, {
            mode: 'paced',
            seconds: opts.seconds,
            movesPerSecond: opts.rate / urls.length,
            pingEveryMs: 200,
          });
          await new Promise((res) => setTimeout(res, 500)); // the last flushes land
          const after = await Promise.all(
            shardNodes.map(async (s) => ({ applied: await applied(s), cpu: cpuSeconds(s.proc.pid!) })),
          );
          const redisAfter = await Promise.all(servers.map(serverStats));
          const frontCpu = cpuSeconds(front.proc.pid!) - frontCpu0;
          const perShard = after.map((a, i) => ({
            moves: a.applied - before[i]!.applied,
            cpu: a.cpu - before[i]!.cpu,
          }));
          const total = perShard.reduce((s, p) => s + p.moves, 0);
          const perServer = redisAfter.map((a, i) => ({
            port: servers[i]!.port,
            commands: a.commands - redisBefore[i]!.commands,
            usec: a.usec - redisBefore[i]!.usec,
            cpu: a.cpu - redisBefore[i]!.cpu,
          }));
          console.log(
            `${target}, ${shards} shard process(es): sent ${fmt(r.moves / opts.seconds)}/s, applied ${fmt(total / opts.seconds)}/s; front (+worker) CPU ${fmt((frontCpu / opts.seconds) * 100)} %; bots CPU ${fmt((r.cpuSeconds / opts.seconds) * 100)} %`,
          );
          perShard.forEach((p, i) =>
            console.log(
              `  shard ${i + 1}: ${fmt(p.moves / opts.seconds).padStart(7)} moves/s (${fmt((100 * p.moves) / Math.max(1, total)).padStart(3)} %), CPU ${fmt((p.cpu / opts.seconds) * 100).padStart(3)} %, ${fmt((p.cpu / Math.max(1, p.moves)) * 1e6, 2)} CPU-s per million moves`,
            ),
          );
          perServer.forEach((s) =>
            console.log(
              `  redis :${s.port}: ${fmt(s.commands / opts.seconds).padStart(7)} commands/s, CPU ${fmt((s.cpu / opts.seconds) * 100).padStart(3)} %, ${fmt(s.usec / Math.max(1, total), 2)} µs of its main thread per move, ${fmt((s.cpu / Math.max(1, total)) * 1e6, 2)} CPU-s per million moves`,
            ),
          );
          results.push({
            target,
            shards,
            sentPerSec: r.moves / opts.seconds,
            appliedPerSec: total / opts.seconds,
            frontCpuPct: (frontCpu / opts.seconds) * 100,
            perShard,
            perServer,
            errors: r.errors,
          });
        } finally {
          process.off('exit', killAll);
          for (const p of procs) p.proc.kill('SIGTERM');
          await new Promise((res) => setTimeout(res, 800));
        }
      }
    } finally {
      await cluster?.close();
      await single?.close();
      rmSync(dir, { recursive: true, force: true });
    }
    console.log('');
  }
  mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
  const file = join(ROOT, 'bench-results', `scale-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      { machine, cores: cpus().length, commit, date: new Date().toISOString(), ...opts, results },
      null,
      2,
    ),
  );
  console.log(`results written to ${file}`);
}
