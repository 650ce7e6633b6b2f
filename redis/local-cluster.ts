/**
 * A Redis Cluster on this machine, for tests and benchmarks: `masters` redis-server
 * processes with `replicas` replicas each, on free loopback ports, joined with
 * `redis-cli --cluster create`. No Docker: plain processes, stopped by `close`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { ensureRedisServer, freePort } from './embedded.js';

export interface LocalClusterOptions {
  /** folder for the nodes' files; created if missing */
  dir: string;
  /** @default 3 */
  masters?: number;
  /** replicas per master. @default 1 */
  replicas?: number;
  /** how long a master may be unreachable before its replica takes over. @default 2000 */
  nodeTimeoutMs?: number;
  /** AOF with fsync every second on every node. @default false */
  appendonly?: boolean;
}

export interface LocalClusterNode {
  port: number;
  readonly pid: number;
  /** the node's role as the cluster sees it now */
  role(): Promise<'master' | 'replica' | 'down'>;
}

export interface LocalCluster {
  /** `redis+cluster://` with every master as a seed */
  url: string;
  nodes: LocalClusterNode[];
  /** the masters now, by port */
  masters(): Promise<number[]>;
  /** SIGKILL one node (a crashed master, say) */
  kill(port: number): void;
  /** waits until every node that runs agrees the cluster is ok */
  waitOk(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function ask<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

export async function startLocalCluster(opts: LocalClusterOptions): Promise<LocalCluster> {
  const binary = ensureRedisServer();
  const cli = spawnSync('sh', ['-c', 'command -v redis-cli'], { encoding: 'utf8' }).stdout.trim();
  if (!cli) throw new Error('redis-cli is not installed (Debian: apt-get install -y redis-tools)');
  const masters = opts.masters ?? 3;
  const replicas = opts.replicas ?? 1;
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const children = new Map<number, ChildProcess>();
  const ports: number[] = [];
  for (let i = 0; i < masters * (1 + replicas); i++) {
    const port = await freePort();
    ports.push(port);
    const nodeDir = join(dir, String(port));
    mkdirSync(nodeDir, { recursive: true });
    const args = [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', nodeDir, '--cluster-enabled', 'yes',
      '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(opts.nodeTimeoutMs ?? 2000),
      '--appendonly', opts.appendonly ? 'yes' : 'no', '--appendfsync', 'everysec', '--save', '',
      '--maxmemory-policy', 'noeviction', '--protected-mode', 'no', '--daemonize', 'no', '--loglevel', 'warning',
    ];
    const child = spawn(binary, args, { stdio: 'ignore' });
    children.set(port, child);
  }
  for (const port of ports) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ok = await ask(port, (r) => r.ping()).then(() => true, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`cluster node on port ${port} did not answer within 10 s`);
      await sleep(50);
    }
  }
  const created = spawnSync(cli, ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(replicas), '--cluster-yes'], { encoding: 'utf8' });
  if (created.status !== 0) {
    for (const c of children.values()) c.kill('SIGKILL');
    throw new Error(`redis-cli --cluster create failed: ${(created.stdout + created.stderr).trim().split('\n').slice(-3).join(' | ')}`);
  }

  const role = async (port: number): Promise<'master' | 'replica' | 'down'> => {
    if (children.get(port)?.exitCode !== null || children.get(port)?.signalCode) return 'down';
    const info = await ask(port, (r) => r.info('replication')).catch(() => '');
    if (/role:master/.test(info)) return 'master';
    return /role:slave/.test(info) ? 'replica' : 'down';
  };
  const cluster: LocalCluster = {
    url: `redis+cluster://${ports.slice(0, masters).map((p) => `127.0.0.1:${p}`).join(',')}`,
    nodes: ports.map((port) => ({ port, get pid() { return children.get(port)?.pid ?? 0; }, role: () => role(port) })),
    masters: async () => {
      const roles = await Promise.all(ports.map(async (p) => [p, await role(p)] as const));
      return roles.filter(([, r]) => r === 'master').map(([p]) => p);
    },
    kill: (port) => void children.get(port)?.kill('SIGKILL'),
    waitOk: async (timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const live = (await Promise.all(ports.map(async (p) => ((await role(p)) === 'down' ? null : p)))).filter((p): p is number => p !== null);
        const states = await Promise.all(live.map((p) => ask(p, (r) => r.cluster('INFO')).catch(() => '')));
        const masterCount = (await cluster.masters()).length;
        if (states.every((s) => /cluster_state:ok/.test(s)) && masterCount >= masters) return;
        if (Date.now() > deadline) throw new Error(`the local cluster was not ok within ${timeoutMs} ms`);
        await sleep(100);
      }
    },
    close: async () => {
      await Promise.all(
        [...children.values()].map(
          (c) =>
            new Promise<void>((done) => {
              if (c.exitCode !== null || c.signalCode) return done();
              c.once('exit', () => done());
              c.kill('SIGKILL');
            }),
        ),
      );
    },
  };
  await cluster.waitOk();
  return cluster;
}
