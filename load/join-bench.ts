/**
 * Joins against one node: N players join one hunt at once, each by `POST /api/hunts/:id/players`
 * (no key: the path a player takes, its per-address limit lifted), then its socket, then its
 * `welcome`; beside the same client opening N sockets on a no-op uWS server that greets each with
 * one small frame, in the same run. Prints both times, their ratio, and the Redis commands the
 * joins cost (INFO commandstats: calls and µs by command).
 * Usage: npm run bench:joins -- [--players 2000] [--rounds 1] [--already 0]
 *   --already N: the hunt holds N players (joined with the key, no sockets) before the timed joins.
 *   HUNT_JOIN_PROFILE=<dir>: the node writes a CPU profile there (node --cpu-prof) when it stops.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { HuntHttpClient } from '../client/index.js';
import { freePort } from '../redis/index.js';
import { SERVER_NODE_FLAGS } from '../server/index.js';
import { withBench } from './processes.js';

const GM_KEY = 'join-bench-gm-key-0123456789';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Sockets opened this round: they stay open (players stay) until the round is measured. */
const open: WebSocket[] = [];

/** Opens a socket and resolves with the ms it took to hear its first frame. */
function firstFrame(url: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    open.push(ws);
    const timer = setTimeout(() => reject(new Error(`no first frame from ${url} in 60 s`)), 60_000);
    ws.once('message', () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/**
 * The joins' HTTP client: keep-alive connections, at most 64 (a player's browser makes one; the
 * bench's one process would spend more CPU opening 2,000 than the node spends serving them).
 */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.once('error', reject);
    req.end(body);
  });
}

function closeAll(): void {
  for (const ws of open.splice(0)) ws.terminate();
}

/** Time spent in each step, summed over the joins, ms. */
const steps = { http: 0, socket: 0 };

async function joinAndWelcome(base: string, hunt: string, name: string): Promise<void> {
  const t0 = performance.now();
  const { status, text } = await post(`${base}/api/hunts/${hunt}/players`, JSON.stringify({ name }));
  if (status !== 201) throw new Error(`join ${name}: ${status} ${text}`);
  const { token } = JSON.parse(text) as { token: string };
  steps.http += performance.now() - t0;
  steps.socket += await firstFrame(`${base.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`);
}

/** Runs n at once; the ms until the last is done, and the CPU ms this (client) process spent meanwhile. */
async function timed(n: number, one: (i: number) => Promise<unknown>): Promise<{ ms: number; clientCpuMs: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: n }, (_, i) => one(i)));
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, clientCpuMs: (used.user + used.system) / 1000 };
}

/** The commands that cost the most µs since the last reset. */
async function commandStats(redis: Redis): Promise<{ top: string[]; scripts: number }> {
  const info = await redis.info('commandstats');
  const rows: { name: string; calls: number; usec: number }[] = [];
  for (const line of info.split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line);
    if (m) rows.push({ name: m[1]!, calls: Number(m[2]), usec: Number(m[3]) });
  }
  rows.sort((a, b) => b.usec - a.usec);
  return {
    top: rows.slice(0, 8).map((r) => `${r.name} ${r.calls} calls ${(r.usec / 1000).toFixed(0)} ms`),
    scripts: rows.find((r) => r.name === 'evalsha')?.calls ?? 0,
  };
}

/** The node under `--cpu-prof` (not allowed in NODE_OPTIONS), as processes.ts starts one otherwise. */
function profiledNode(args: string[], dir: string): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, '--cpu-prof', `--cpu-prof-dir=${dir}`, 'dist/server/cli.js', ...args],
    {
      env: { ...process.env, LOG_LEVEL: 'warn', HUNT_GM_KEY: GM_KEY },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (?:http:\/\/localhost:)?(\d+)/.exec(out);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.once('exit', (code) => reject(new Error(`the node exited with ${code}: ${out}`)));
  });
}

/** CPU ms a process has used so far (utime + stime from /proc, 100 ticks a second). */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU ms Redis has used so far. */
async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const num = (name: string): number => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (num('used_cpu_user') + num('used_cpu_sys')) * 1000;
}

await withBench('joins', async (setup) => {
  const players = arg('players', 2000);
  /** players in the hunt before the timed joins (joined with the key, no sockets): a join's cost should not grow with it */
  const already = arg('already', 0);
  const rounds = arg('rounds', 1);
  const profileDir = process.env.HUNT_JOIN_PROFILE;
  const nodeArgs = [
    'start',
    '--roles',
    'front,shard,worker',
    '--port',
    String(await freePort()),
    '--host',
    '127.0.0.1',
    '--redis',
    setup.redis.url,
  ];
  const node = profileDir
    ? await profiledNode(nodeArgs, profileDir)
    : await setup.start(['server/cli.ts', ...nodeArgs], { HUNT_GM_KEY: GM_KEY });
  const base = `http://127.0.0.1:${node.port}`;
  const gm = new HuntHttpClient(base, GM_KEY);
  const limits = await gm.request<{ version: number; value: Record<string, unknown> }>('GET', '/api/configs/limits');
  await gm.request('PUT', '/api/configs/limits', {
    value: { ...limits.value, socketsPerAddress: players * 2 + 100, joinsPerMinutePerAddress: 1_000_000 },
    expectedVersion: limits.version,
  });
  const noop = await setup.start(['load/noop-server.ts', String(await freePort())]);
  const redis = new Redis(setup.redis.url);
  await new Promise((r) => setTimeout(r, 2500)); // the node applies the limits; leases settle
  try {
    for (let round = 1; round <= rounds; round++) {
      const noop_ = await timed(players, () => firstFrame(`ws://127.0.0.1:${noop.port}/ws`));
      const noopMs = noop_.ms;
      closeAll();
      const { id } = await gm.request<{ id: string }>('POST', '/api/hunts', {
        name: `joins ${round}`,
        puzzles: [{ type: 'code', title: 'Sign', prompt: 'The code on the sign', points: 10, code: 'CODE1' }],
        maxPlayers: already + players + 10,
      });
      await gm.waitReady(id, 60_000);
      await gm.lifecycle(id, 'launch');
      for (let i = 0; i < already; i += 200)
        await Promise.all(
          Array.from({ length: Math.min(200, already - i) }, (_, k) => gm.join(id, `before${round}-${i + k}`)),
        );
      await redis.config('RESETSTAT');
      if (process.env.HUNT_JOIN_SLOWLOG) {
        await redis.config('SET', 'slowlog-max-len', '200000');
        await redis.config('SET', 'slowlog-log-slower-than', '0');
        await redis.slowlog('RESET');
      }
      steps.http = steps.socket = 0;
      const [nodeCpu, redisCpu] = [cpuMsOf(node.proc.pid), await redisCpuMs(redis)];
      const engine = await timed(players, (i) => joinAndWelcome(base, id, `p${round}-${i}`));
      const engineMs = engine.ms;
      const [nodeCpuMs, redisCpuUsed] = [cpuMsOf(node.proc.pid) - nodeCpu, (await redisCpuMs(redis)) - redisCpu];
      closeAll();
      const stats = await commandStats(redis);
      console.log(
        `round ${round}: ${players} joins to a hunt of ${already} (HTTP join, socket, welcome) ${(engineMs / 1000).toFixed(2)} s; ` +
          `no-op uWS accepting ${players} sockets ${(noopMs / 1000).toFixed(2)} s; ` +
          `ratio ${(engineMs / noopMs).toFixed(1)}×; ${Math.round(players / (engineMs / 1000))} joins/s; ` +
          `${(stats.scripts / players).toFixed(2)} script calls per join`,
      );
      console.log(
        `  mean per join: HTTP join ${(steps.http / players).toFixed(0)} ms, socket to welcome ${(steps.socket / players).toFixed(0)} ms; ` +
          `CPU: node ${nodeCpuMs.toFixed(0)} ms, redis ${redisCpuUsed.toFixed(0)} ms, client ${engine.clientCpuMs.toFixed(0)} ms (no-op run: ${noop_.clientCpuMs.toFixed(0)} ms)`,
      );
      console.log(`  redis, most µs: ${stats.top.join('; ')}`);
      if (process.env.HUNT_JOIN_SLOWLOG) {
        await redis.config('SET', 'slowlog-log-slower-than', '10000');
        const entries = (await redis.slowlog('GET', '200000')) as [number, number, number, string[]][];
        const by = new Map<string, { calls: number; us: number }>();
        for (const [, , us, args] of entries) {
          const name =
            args[0] === 'evalsha' || args[0] === 'EVALSHA'
              ? `script ${args[2]} keys, last ${String(args[Number(args[2]) + 2])
                  .split(':')
                  .pop()}`
              : String(args[0]);
          const row = by.get(name) ?? { calls: 0, us: 0 };
          row.calls++;
          row.us += us;
          by.set(name, row);
        }
        for (const [name, r] of [...by].sort((a, b) => b[1].us - a[1].us).slice(0, 12))
          console.log(
            `    ${name}: ${r.calls} calls, ${(r.us / 1000).toFixed(1)} ms, ${(r.us / r.calls).toFixed(0)} µs each`,
          );
      }
    }
  } finally {
    redis.disconnect();
    agent.destroy();
    node.proc.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 1500));
  }
});
