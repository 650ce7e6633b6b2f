/**
 * A Redis Cluster on this machine, for tests and benchmarks: `masters` redis-server
 * processes with `replicas` replicas each, on free loopback ports, joined with
 * `redis-cli --cluster create`. No Docker: plain processes, stopped by `close`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { ensureRedisServer } from './embedded.js';
import { createServer } from 'node:net';

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
  /** starts a killed node again on its port and files: it rejoins the cluster (a crashed master comes back as a replica) */
  restart(port: number): void;
  /** waits until every node that runs agrees the cluster is ok (and, when asked, every master has its replicas online) */
  waitOk(timeoutMs?: number, replicasOnline?: boolean): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function portFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const srv = createServer();
    srv.once('error', () => resolvePort(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolvePort(true)));
  });
}

/** A port that is free, and whose cluster bus port (port + 10000) is free too. */
async function clusterPort(taken: number[]): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (taken.includes(port) || taken.includes(port - 10_000) || taken.includes(port + 10_000)) continue;
    if ((await portFree(port)) && (await portFree(port + 10_000))) return port;
  }
}

async function ask<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
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
  const argsOf = new Map<number, string[]>();
  const ports: number[] = [];
  for (let i = 0; i < masters * (1 + replicas); i++) {
    const port = await clusterPort(ports);
    ports.push(port);
    const nodeDir = join(dir, String(port));
    mkdirSync(nodeDir, { recursive: true });
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      nodeDir,
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-node-timeout',
      String(opts.nodeTimeoutMs ?? 2000),
      '--appendonly',
      opts.appendonly ? 'yes' : 'no',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
      '--protected-mode',
      'no',
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
    ];
    argsOf.set(port, args);
    children.set(port, spawn(binary, args, { stdio: 'ignore' }));
  }
  for (const port of ports) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ok = await ask(port, (r) => r.ping()).then(
        () => true,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`cluster node on port ${port} did not answer within 10 s`);
      await sleep(50);
    }
  }
  // whatever ends this process, the cluster goes with it
  const killAll = (): void => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', killAll);
  const created = spawnSync(
    cli,
    [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ],
    { encoding: 'utf8' },
  );
  if (created.status !== 0) {
    for (const c of children.values()) c.kill('SIGKILL');
    throw new Error(
      `redis-cli --cluster create failed: ${(created.stdout + created.stderr).trim().split('\n').slice(-3).join(' | ')}`,
    );
  }

  const role = async (port: number): Promise<'master' | 'replica' | 'down'> => {
    if (children.get(port)?.exitCode !== null || children.get(port)?.signalCode) return 'down';
    const info = await ask(port, (r) => r.info('replication')).catch(() => '');
    if (/role:master/.test(info)) return 'master';
    return /role:slave/.test(info) ? 'replica' : 'down';
  };
  const cluster: LocalCluster = {
    url: `redis+cluster://${ports
      .slice(0, masters)
      .map((p) => `127.0.0.1:${p}`)
      .join(',')}`,
    nodes: ports.map((port) => ({
      port,
      get pid() {
        return children.get(port)?.pid ?? 0;
      },
      role: () => role(port),
    })),
    masters: async () => {
      const roles = await Promise.all(ports.map(async (p) => [p, await role(p)] as const));
      return roles.filter(([, r]) => r === 'master').map(([p]) => p);
    },
    kill: (port) => void children.get(port)?.kill('SIGKILL'),
    restart: (port) => {
      const args = argsOf.get(port);
      if (!args) throw new Error(`no cluster node on port ${port}`);
      children.set(port, spawn(binary, args, { stdio: 'ignore' }));
    },
    waitOk: async (timeoutMs = 20_000, replicasOnline = false) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const live = (await Promise.all(ports.map(async (p) => ((await role(p)) === 'down' ? null : p)))).filter(
          (p): p is number => p !== null,
        );
        const states = await Promise.all(live.map((p) => ask(p, (r) => r.cluster('INFO')).catch(() => '')));
        const masterPorts = await cluster.masters();
        const synced =
          !replicasOnline ||
          (await Promise.all(masterPorts.map((p) => ask(p, (r) => r.info('replication')).catch(() => '')))).every(
            (info) => (info.match(/state=online/g) ?? []).length >= replicas,
          );
        if (states.every((s) => /cluster_state:ok/.test(s)) && masterPorts.length >= masters && synced) return;
        if (Date.now() > deadline) throw new Error(`the local cluster was not ok within ${timeoutMs} ms`);
        await sleep(100);
      }
    },
    close: async () => {
      process.off('exit', killAll);
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
  await cluster.waitOk(20_000, true);
  return cluster;
}
