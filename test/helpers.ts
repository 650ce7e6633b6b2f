/** Test helpers: nodes in this process on port 0, child-process nodes, fresh prefixes, polling. */
import { spawn, type ChildProcess } from 'node:child_process';
import pino, { type Logger } from 'pino';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { HuntHttpClient } from '../client/index.js';
import type { Role } from '../config/index.js';
import { connectRedis, isCluster, type RedisClient } from '../redis/index.js';
import { DEFAULT_FANOUT, DEFAULT_LIMITS, DEFAULT_SCORING } from '../config/index.js';
import { HuntStore, Keys, partitionOf, scriptParams } from '../rooms/index.js';
import {
  createLogger,
  createNode,
  SERVER_NODE_FLAGS,
  TRANSPORT_CHOICES,
  type HuntNode,
  type TransportChoice,
} from '../server/index.js';

export const GM_KEY = 'test-gm-key-0123456789';
export const ROOT = new URL('..', import.meta.url).pathname;

export function redisUrl(): string {
  return inject('redisUrl');
}

/**
 * The transport of the nodes tests build: HUNT_TRANSPORT when set (`ws` runs a suite on the
 * fallback), else `auto`, as production.
 */
export function testTransport(): TransportChoice {
  const t = process.env.HUNT_TRANSPORT;
  return (TRANSPORT_CHOICES as readonly string[]).includes(t ?? '') ? (t as TransportChoice) : 'auto';
}

export function freshPrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** A hunt store on `redis` under a fresh prefix, with the shipped config and a silent log. */
export function storeUnderFreshPrefix(redis: RedisClient): {
  prefix: string;
  keys: Keys;
  store: HuntStore;
  log: Logger;
} {
  const prefix = freshPrefix();
  const log = pino({ level: 'silent' });
  const params = () => scriptParams(DEFAULT_SCORING, DEFAULT_LIMITS, DEFAULT_FANOUT);
  const store = new HuntStore({ redis, prefix, params, log, onDelta: () => undefined });
  return { prefix, keys: new Keys(prefix), store, log };
}

export interface Cluster {
  prefix: string;
  redis: RedisClient;
  nodes: HuntNode[];
  url(i?: number): string;
  gm(i?: number): HuntHttpClient;
  /** another node; `transport` overrides the cluster's */
  add(roles?: Role[], transport?: TransportChoice): Promise<HuntNode>;
  close(): Promise<void>;
}

/** Nodes sharing one Redis and one prefix, built the way production builds them. */
export async function startCluster(
  roles: Role[][] = [['front', 'shard', 'worker']],
  opts: {
    leaseMs?: number;
    tokenTtlSeconds?: number;
    redisUrl?: string;
    logger?: Logger;
    transport?: TransportChoice;
    trustedProxies?: string;
    retentionSweepMs?: number;
  } = {},
): Promise<Cluster> {
  const prefix = freshPrefix();
  const url = opts.redisUrl ?? redisUrl();
  const redis = connectRedis(url);
  const logger = opts.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const nodes: HuntNode[] = [];
  const cluster: Cluster = {
    prefix,
    redis,
    nodes,
    url: (i = 0) => `http://127.0.0.1:${nodes[i]?.port ?? 0}`,
    gm: (i = 0) => new HuntHttpClient(cluster.url(i), GM_KEY),
    add: async (r = ['front', 'shard', 'worker'], transport = opts.transport ?? testTransport()) => {
      const node = await createNode({
        redisUrl: url,
        port: 0,
        host: '127.0.0.1',
        roles: r,
        prefix,
        gmKey: GM_KEY,
        logger,
        transport,
        ...(opts.leaseMs ? { leaseMs: opts.leaseMs } : {}),
        ...(opts.tokenTtlSeconds ? { tokenTtlSeconds: opts.tokenTtlSeconds } : {}),
        ...(opts.trustedProxies ? { trustedProxies: opts.trustedProxies } : {}),
        ...(opts.retentionSweepMs ? { retentionSweepMs: opts.retentionSweepMs } : {}),
      });
      nodes.push(node);
      return node;
    },
    close: async () => {
      await Promise.all(nodes.map((n) => n.close()));
      await deletePrefix(redis, prefix);
      await redis.quit();
    },
  };
  for (const r of roles) await cluster.add(r);
  return cluster;
}

/** The stream a hunt's events go to now, by the routing the first node applies. */
export function streamOf(c: Cluster, hunt: string): string {
  const node = c.nodes[0];
  if (!node) throw new Error('no node');
  const epoch = node.config.versions().routing ?? 1;
  return new Keys(c.prefix).stream(epoch, partitionOf(hunt, node.config.routing.partitions));
}

/** Deletes a test's keys: on a cluster, from every master, one key at a time (keys of many slots). */
export async function deletePrefix(redis: RedisClient, prefix: string): Promise<void> {
  const servers = isCluster(redis) ? redis.nodes('master') : [redis];
  for (const server of servers) {
    for (const pattern of [`${prefix}:*`, `{${prefix}:q*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        await Promise.all(keys.map((k) => server.unlink(k)));
      } while (cursor !== '0');
    }
  }
}

/** Polls until `check` returns a value other than undefined, or fails naming what it waited for. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A live hunt of cipher puzzles and its answer key. */
export async function liveHunt(
  gm: HuntHttpClient,
  puzzles = 3,
  seed = 'fixed',
): Promise<{ id: string; answers: Map<string, string> }> {
  const { id } = await gm.createHunt({
    name: 'test hunt',
    puzzles: Array.from({ length: puzzles }, (_, i) => ({
      type: 'cipher' as const,
      difficulty: (['easy', 'medium', 'hard'] as const)[i % 3] ?? 'easy',
    })),
    seed,
  });
  const view = await gm.waitReady(id);
  if (view.status !== 'ready') throw new Error(`hunt ${id} is ${view.status}`);
  await gm.lifecycle(id, 'launch');
  const { answers } = await gm.answers(id);
  return { id, answers: new Map(answers.map((a) => [a.puzzle, a.answer])) };
}

/**
 * A `hunt start` child process (for kill -9); resolves once it prints its listening line.
 * `openFiles`: its open-file limits, soft and hard, set by `prlimit` before it starts.
 */
export function spawnNode(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  openFiles?: { soft: number; hard: number },
): { child: ChildProcess; ready: Promise<void>; output: () => string } {
  const command = [process.execPath, ...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/cli.ts', 'start', ...args];
  // prlimit execs the command: the child's pid is the node's
  if (openFiles) command.unshift('prlimit', `--nofile=${openFiles.soft}:${openFiles.hard}`);
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (out.includes('listening on')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`node exited with ${code} before it was ready: ${out}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, output: () => out };
}

/** Merges `patch` into a named config and waits until every node of the cluster applies it. */
export async function setConfig(c: Cluster, name: string, patch: Record<string, unknown>): Promise<number> {
  const cur = await c.gm().request<{ version: number; value: Record<string, unknown> }>('GET', `/api/configs/${name}`);
  // forced: tests set values that would stop an ordinary game on purpose (config/guard-rails.ts)
  const { version } = await c.gm().request<{ version: number }>('PUT', `/api/configs/${name}`, {
    value: { ...cur.value, ...patch },
    expectedVersion: cur.version,
    force: true,
  });
  await until(`every node on ${name} v${version}`, () =>
    c.nodes.every((n) => (n.config.versions()[name] ?? 0) >= version) ? true : undefined,
  );
  return version;
}

/** Puts named configs back to the given values where they differ (for afterEach), waiting until every node applies them. */
export async function restoreConfigs(c: Cluster, values: Record<string, unknown>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    const cur = await c.gm().request<{ value: unknown }>('GET', `/api/configs/${name}`);
    if (JSON.stringify(cur.value) !== JSON.stringify(value)) await setConfig(c, name, value as Record<string, unknown>);
  }
}

/**
 * The hunt's seq once every change waiting for its fan-out tick has gone out in a delta
 * (joins, departures and adjustments of one tick share one delta).
 */
export async function settledSeq(c: Cluster, hunt: string): Promise<number> {
  await until('the waiting changes out in a delta', async () =>
    (await c.redis.scard(`${c.prefix}:{h:${hunt}}:dirty`)) === 0 ? true : undefined,
  );
  return (await c.gm().leaderboard(hunt, 1)).seq;
}

/** The value of one sample in Prometheus text (`name` with its labels, e.g. `x_total{queue="verify"}`); 0 when absent. */
export function metricValue(text: string, sample: string): number {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${sample} `)) return Number(line.slice(sample.length + 1));
  }
  return 0;
}

/** A logger whose records are kept in memory as parsed JSON, for tests that assert on log fields. */
export function recordingLogger(): { logger: Logger; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const destination = {
    write(line: string): void {
      const parsed: unknown = JSON.parse(line);
      if (parsed && typeof parsed === 'object') records.push(parsed as Record<string, unknown>);
    },
  };
  return { logger: createLogger('info', { destination }), records };
}
