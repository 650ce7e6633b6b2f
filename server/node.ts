/**
 * createNode builds one node from its parts (Redis connections, roles, transport) and returns
 * a handle with close(). Tests build several in one process the same way, on port 0.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { LiveConfig, type Role } from '../config/index.js';
import { assertRedisMode, connectRedis } from '../redis/index.js';
import { HuntStore, scriptParams, type ScriptParams, type Shard } from '../rooms/index.js';
import { errorReply, guardHttp, route, send, type HttpContext } from './http.js';
import { buildOpenApi } from './openapi.js';
import { RouteRegistry } from './route-registry.js';
import { GmAccounts } from './accounts.js';
import { Access } from './access.js';
import { parseTrustedProxies } from './client-address.js';
import { HuntError } from '../protocol/index.js';
import { NodeMetrics } from './metrics.js';
import { StorageWatch } from './storage-watch.js';
import { Listener } from './listener.js';
import { LoopLag } from './loop-lag.js';
import { installProbes } from './probes.js';
import { SHUTDOWN_PHASES, type NodeContext, type RoleSteps } from './roles/context.js';
import { startFrontRole } from './roles/front.js';
import { startShardRole } from './roles/shard.js';
import { startWorkerRole } from './roles/worker.js';
import {
  openTransport,
  type TlsFiles,
  type Transport,
  type TransportChoice,
  type TransportKind,
} from './transport/index.js';

/** The version of the API document: the contract's. */
const OPENAPI_VERSION = '1.2';

/** Longest one shutdown step may take before the node moves on to the next. */
const STEP_DEADLINE_MS = 2000;

export interface NodeOptions {
  redisUrl: string;
  /** 0 picks a free port. @default 8080 */
  port?: number;
  /** @default '0.0.0.0' */
  host?: string;
  /** @default ['front','shard','worker'] */
  roles?: readonly Role[];
  /** Key prefix for everything in Redis. @default 'hunt' */
  prefix?: string;
  /** The admin key (HUNT_GM_KEY or the generated `.data/gm-key`); game-master accounts have keys of their own. */
  gmKey: string;
  logger: Logger;
  /** Proxies whose X-Forwarded-For names the client: comma-separated IPs and CIDRs. @default '' (none) */
  trustedProxies?: string;
  /** Player token lifetime. @default 86400 */
  tokenTtlSeconds?: number;
  /** How often the retention sweep runs (deleted hunts purged again, ended hunts past retention deleted). @default 20000 */
  retentionSweepMs?: number;
  /** Shard lease time. @default 1500 */
  leaseMs?: number;
  /** Serve /metrics to loopback clients only. @default false */
  metricsLoopbackOnly?: boolean;
  /** Tile URL template for the console's maps, `none` for none. @default OpenStreetMap's */
  mapTiles?: string | undefined;
  /** Why this node is not ready beyond its own checks (the embedded redis-server down, say), or null. */
  readiness?: () => string | null;
  /** Native uWebSockets.js, its `ws` fallback, or the first that loads; or a transport opened already. @default 'auto' */
  transport?: TransportChoice | Transport;
  /** PEM files: serve HTTPS and WSS (the native transport only; elsewhere createNode throws). */
  tls?: TlsFiles;
}

export interface HuntNode {
  id: string;
  port: number;
  roles: readonly Role[];
  /** what serves HTTP and WebSockets: native uWebSockets.js or the ws fallback */
  transport: TransportKind;
  /** 'https' when the node serves TLS */
  scheme: 'http' | 'https';
  metrics: NodeMetrics;
  shard: Shard | undefined;
  config: LiveConfig;
  close(): Promise<void>;
}

export async function createNode(options: NodeOptions): Promise<HuntNode> {
  const id = `node-${randomBytes(4).toString('hex')}`;
  const roles = options.roles ?? ['front', 'shard', 'worker'];
  const prefix = options.prefix ?? 'hunt';
  const log = options.logger.child({ node: id });
  // first: a transport that cannot be had stops the node before it touches Redis
  const transport =
    typeof options.transport === 'object'
      ? options.transport
      : openTransport({
          choice: options.transport ?? 'auto',
          logger: log,
          ...(options.tls ? { tls: options.tls } : {}),
        });
  const metrics = new NodeMetrics();
  await assertRedisMode(options.redisUrl);
  const redis = connectRedis(options.redisUrl, {
    onError: (err) => log.warn({ err: err.message }, 'redis connection error'),
  });
  const config: LiveConfig = new LiveConfig({
    redis,
    prefix,
    nodeId: id,
    roles,
    logger: log,
    onApplied: async (name, version) => {
      metrics.configVersion.set({ name }, version);
      if (name === 'routing') await onRouting?.(version);
    },
  });
  // the same object until one of its sources changes, so a cache can tell whether params moved
  let made: { from: readonly unknown[]; params: ScriptParams } | undefined;
  const params = (): ScriptParams => {
    const from = [config.scoring, config.limits, config.fanout];
    if (!made || from.some((v, i) => v !== made?.from[i]))
      made = { from, params: scriptParams(config.scoring, config.limits, config.fanout) };
    return made.params;
  };
  const store = new HuntStore({ redis, prefix, params, log, onDelta: () => metrics.deltas.inc() });
  /** set once a front role runs: moves its router to the epoch of a new routing version */
  let onRouting: ((version: number) => Promise<void>) | undefined;
  /** set once a front role runs: why it cannot serve now */
  let frontProblem: (() => string | null) | undefined;
  await config.start();
  let closing = false;

  // every route registered through this app is recorded, for the OpenAPI document
  const registry = new RouteRegistry();
  const app = registry.wrap(transport.app);
  const accounts = new GmAccounts(redis, store.keys);
  await accounts.start();
  const access = new Access({ adminKey: options.gmKey, accounts, redis, keys: store.keys });
  const http: HttpContext = {
    app,
    logger: log,
    maxBodyBytes: () => config.limits.maxBodyBytes,
    closing: () => closing,
    access,
    routes: registry,
  };
  installProbes(http, {
    id,
    roles,
    redis,
    metrics,
    metricsLoopbackOnly: options.metricsLoopbackOnly ?? false,
    readiness: () => options.readiness?.() ?? frontProblem?.() ?? null,
  });

  const loopLag = new LoopLag((seconds) => metrics.loopLag.observe(seconds));
  loopLag.start();
  const storage = new StorageWatch({
    redis,
    highWater: () => config.storage.highWater,
    report: (ratio) => metrics.redisMemoryRatio.set({}, ratio),
    log,
  });
  await storage.start();
  const ctx: NodeContext = {
    id,
    roles,
    redisUrl: options.redisUrl,
    prefix,
    redis,
    log,
    metrics,
    config,
    store,
    params,
    app,
    http,
    loopLag,
    storage,
  };
  const roleSteps: RoleSteps[] = [];
  if (roles.includes('worker')) roleSteps.push(startWorkerRole(ctx));
  let shard: Shard | undefined;
  if (roles.includes('shard')) {
    const started = startShardRole(ctx, { leaseMs: options.leaseMs });
    shard = started.shard;
    roleSteps.push(started.steps);
  }
  if (roles.includes('front')) {
    const front = await startFrontRole(ctx, {
      access,
      trustedProxies: parseTrustedProxies(options.trustedProxies ?? ''),
      tokenTtlSeconds: options.tokenTtlSeconds,
      retentionSweepMs: options.retentionSweepMs,
      mapTiles: options.mapTiles,
      closing: () => closing,
    });
    onRouting = front.onRouting;
    frontProblem = front.problem;
    roleSteps.push(front.steps);
  }

  route(http, 'get', '/api/openapi.json', () => ({
    body: buildOpenApi(registry.routes, { version: OPENAPI_VERSION }),
  }));
  app.any(
    '/*',
    guardHttp(log, (res) => send(res, errorReply(new HuntError('NOT_FOUND'), log))),
  );

  const listener = new Listener({
    transport,
    options: { host: options.host ?? '0.0.0.0', port: options.port ?? 8080 },
    log,
    metrics,
  });
  const port = await listener.open();
  log.info({ port, roles, prefix, transport: transport.kind, scheme: transport.scheme }, 'node started');

  // Shutdown: stop accepting, then each phase across the roles (context.ts), then config and Redis.
  const steps: { name: string; run: () => Promise<void> | void }[] = [
    {
      name: 'stop accepting',
      run: () => {
        closing = true;
        listener.close();
      },
    },
    ...SHUTDOWN_PHASES.map((phase) => ({
      name: phase,
      run: async () => void (await Promise.all(roleSteps.map((r) => r[phase]?.()))),
    })),
    { name: 'send waiting deltas', run: () => store.close() },
    { name: 'close config', run: () => config.close() },
    { name: 'stop memory watch', run: () => storage.stop() },
    { name: 'close redis', run: async () => void (await redis.quit()) },
    { name: 'stop loop-lag timer', run: () => loopLag.stop() },
    { name: 'close connections', run: () => transport.close() },
  ];

  let closed: Promise<void> | undefined;
  return {
    id,
    port,
    roles,
    transport: transport.kind,
    scheme: transport.scheme,
    metrics,
    shard,
    config,
    close: () =>
      (closed ??= (async () => {
        for (const step of steps) {
          const started = performance.now();
          let timer: NodeJS.Timeout | undefined;
          try {
            // each step has a deadline: a dependency that hangs (a queue on a reconnecting Redis) cannot hold the rest
            const late = new Promise<'late'>(
              (resolve) => (timer = setTimeout(() => resolve('late'), STEP_DEADLINE_MS)),
            );
            if ((await Promise.race([Promise.resolve(step.run()).then(() => 'done' as const), late])) === 'late')
              log.warn({ step: step.name, ms: STEP_DEADLINE_MS }, 'shutdown step overran its deadline; going on');
          } catch (err) {
            log.warn({ err, step: step.name }, 'shutdown step failed');
          } finally {
            clearTimeout(timer);
          }
          log.debug({ step: step.name, ms: Math.round(performance.now() - started) }, 'shutdown step done');
        }
        log.info('node stopped');
      })()),
  };
}
