/** Child processes for the benchmarks: hunt nodes and the no-op server, each on loopback. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startEmbeddedRedis, type EmbeddedRedis } from '../redis/index.js';
import { SERVER_NODE_FLAGS } from '../server/index.js';

const ROOT = new URL('..', import.meta.url).pathname;

/**
 * Runs an entry; resolves with its port once it prints its listening line. Hunt nodes
 * (`server/cli.ts`) run as production runs them: `dist/server/cli.js` with no loader (the bench
 * scripts run `npm run build` first; `HUNT_BENCH_DIST` names another build folder, as a test
 * that builds into `.cache/` does); other entries run from TypeScript with tsx.
 * `HUNT_BENCH_PROFILE=<dir>`: each hunt node writes a CPU profile there when it stops.
 */
export function child(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ proc: ChildProcess; port: number }> {
  const node = args[0] === 'server/cli.ts';
  const cli = join(process.env.HUNT_BENCH_DIST ?? 'dist', 'server', 'cli.js');
  if (node && !existsSync(join(ROOT, cli)))
    throw new Error(`${cli} is missing: run npm run build (npm run bench does)`);
  const proc = spawn(
    process.execPath,
    node ? [...SERVER_NODE_FLAGS, ...profileFlags(), cli, ...args.slice(1)] : ['--import', 'tsx', ...args],
    { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
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

function profileFlags(): string[] {
  const dir = process.env.HUNT_BENCH_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Resident memory of a process, bytes. */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

export interface BenchSetup {
  redis: EmbeddedRedis;
  /** starts a child that is stopped when the run ends */
  start(args: string[], env?: NodeJS.ProcessEnv): Promise<{ proc: ChildProcess; port: number }>;
  /** a node with these roles (comma-separated) on this Redis, on loopback */
  node(roles: string, gmKey: string): Promise<{ proc: ChildProcess; port: number }>;
  /** a front node and a shard+worker node, as separate processes on this Redis */
  huntNodes(
    gmKey: string,
  ): Promise<{ front: { proc: ChildProcess; port: number }; back: { proc: ChildProcess; port: number } }>;
}

/** Runs a benchmark against a private redis-server (AOF everysec) in a temporary folder; stops everything after. */
export async function withBench(name: string, run: (setup: BenchSetup) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `hunt-${name}-`));
  const redis = await startEmbeddedRedis({ dir });
  const procs: ChildProcess[] = [];
  const start: BenchSetup['start'] = async (args, env) => {
    const c = await child(args, env);
    procs.push(c.proc);
    return c;
  };
  const node = async (roles: string, gmKey: string): Promise<{ proc: ChildProcess; port: number }> =>
    start(
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
        redis.url,
      ],
      { HUNT_GM_KEY: gmKey },
    );
  // whatever ends this process (a crash, Ctrl-C), the servers it started go with it
  const killAll = (): void => {
    for (const p of procs) p.kill('SIGKILL');
    if (redis.pid) process.kill(redis.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (): void => process.exit(130);
  process.once('exit', killAll);
  process.once('SIGINT', onSignal);
  try {
    await run({
      redis,
      start,
      node,
      huntNodes: async (gmKey) => ({ front: await node('front', gmKey), back: await node('shard,worker', gmKey) }),
    });
  } finally {
    process.off('exit', killAll);
    process.off('SIGINT', onSignal);
    for (const p of procs) p.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
