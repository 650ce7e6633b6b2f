/**
 * createNode builds one node from its parts (Redis connections, roles, uWS app) and returns
 * a handle with close(). Tests build several in one process the same way, on port 0.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { us_listen_socket } from 'uWebSockets.js';
import { HuntError } from '../protocol/index.js';
import { ConfigStore, LiveConfig, NODE_REPORT_STALE_MS, type Role } from '../config/index.js';
import { GenerationQueue, redisOptionsFromUrl, startGenerationWorker, startVerificationWorker, VerificationClient } from '../puzzles/index.js';
import { batchingVerifier, EpochRegistry, HuntScheduler, HuntStore, scriptParams, Shard, startScheduleWorker, type ScriptParams } from '../rooms/index.js';
import { installApi } from './api.js';
import { installConfigApi } from './config-api.js';
import { buildPages, servePages } from './pages.js';
import { installStatsApi } from './stats-api.js';
import { loadTokenSecret, TokenSigner } from './auth.js';
import { Fanout } from './fanout.js';
import { Gateway, huntTopic } from './gateway.js';
import { route, type HttpContext } from './http.js';
import { NodeMetrics } from './metrics.js';
import { EventRouter } from './router.js';
import { loadNativeUws } from './uws-native.js';

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
  gmKey: string;
  logger: Logger;
  /** Player token lifetime. @default 86400 */
  tokenTtlSeconds?: number;
  /** Shard lease time. @default 1500 */
  leaseMs?: number;
  /** Serve /metrics to loopback clients only. @default false */
  metricsLoopbackOnly?: boolean;
}

function isLoopback(address: string): boolean {
  return /^(::ffff:)?127\./.test(address) || address === '::1' || /^(0000:){7}0001$/.test(address);
}

export interface HuntNode {
  id: string;
  port: number;
  roles: readonly Role[];
  metrics: NodeMetrics;
  shard: Shard | undefined;
  config: LiveConfig;
  close(): Promise<void>;
}

export async function createNode(options: NodeOptions): Promise<HuntNode> {
  const uws = loadNativeUws();
  const id = `node-${randomBytes(4).toString('hex')}`;
  const roles = options.roles ?? ['front', 'shard', 'worker'];
  const prefix = options.prefix ?? 'hunt';
  const log = options.logger.child({ node: id });
  const metrics = new NodeMetrics();
  // every command has a deadline; the blocking stream reads (500 ms) stay well inside it
  const redis = new Redis(options.redisUrl, { enableAutoPipelining: true, maxRetriesPerRequest: 20, commandTimeout: 10_000 });
  redis.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'));
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
  const params = (): ScriptParams => scriptParams(config.scoring, config.limits, config.fanout);
  const store = new HuntStore(redis, prefix, params);
  const epochs = new EpochRegistry(redis, store.keys, new ConfigStore(redis, prefix));
  /** set once a router exists: moves it to the epoch of a new routing version */
  let onRouting: ((version: number) => Promise<void>) | undefined;
  await config.start();
  const queuePrefix = store.keys.queuePrefix;
  const steps: { name: string; run: () => Promise<void> | void }[] = [];
  let closing = false;

  const app = uws.App();
  const http: HttpContext = { app, logger: log, maxBodyBytes: () => config.limits.maxBodyBytes, closing: () => closing };
  route(http, 'get', '/healthz', () => ({ body: { status: 'ok' } }));
  route(http, 'get', '/readyz', async () => {
    try {
      await redis.ping();
      return { body: { status: 'ready', node: id, roles } };
    } catch {
      return { status: 503, body: { error: { code: 'NOT_READY', message: 'Redis does not answer' } } };
    }
  });
  route(http, 'get', '/metrics', (req) => {
    if (options.metricsLoopbackOnly && !isLoopback(req.remote)) throw new HuntError('FORBIDDEN', '/metrics answers loopback clients only on this node');
    return { text: metrics.render(), contentType: 'text/plain; version=0.0.4; charset=utf-8' };
  });

  let shard: Shard | undefined;
  let verifier: VerificationClient | undefined;
  const workers: { close(): Promise<void> }[] = [];
  let generation: GenerationQueue | undefined;
  let scheduler: HuntScheduler | undefined;
  let stats: { close(): Promise<void> } | undefined;
  let gateway: Gateway | undefined;
  let fanout: Fanout | undefined;
  let router: EventRouter | undefined;

  if (roles.includes('worker')) {
    workers.push(
      startScheduleWorker(redisOptionsFromUrl(options.redisUrl), queuePrefix, redis, store, log),
startGenerationWorker({
        redisUrl: options.redisUrl,
        prefix: queuePrefix,
        logger: log,
        points: () => config.scoring.points,
        store: async (hunt, puzzle) => void (await store.storePuzzle(hunt, puzzle)),
        fail: (hunt, reason) => store.failGeneration(hunt, reason),
      }),
      startVerificationWorker({
        redisUrl: options.redisUrl,
        prefix: queuePrefix,
        logger: log,
        solutions: (hunt) => store.solutions(hunt),
        onVerified: (correct, wrong) => {
          metrics.answersVerified.inc({ correct: 'true' }, correct);
          metrics.answersVerified.inc({ correct: 'false' }, wrong);
        },
      }),
    );
  }

  if (roles.includes('shard')) {
    const client = new VerificationClient(options.redisUrl, queuePrefix);
    verifier = client;
    shard = new Shard({
      redis,
      prefix,
      logger: log,
      // every partition of this shard shares one job per tick
      verify: batchingVerifier((items) => client.verify(items)),
      params,
      ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs, renewMs: Math.max(100, Math.floor(options.leaseMs / 4)) }),
      metrics: {
        applied: (kind, count) => count > 0 && metrics.eventsApplied.inc({ type: kind }, count),
        applyLatency: (seconds, count) => metrics.applySeconds.observe(seconds, count),
        delta: () => metrics.deltas.inc(),
        lag: (partition, entries) => metrics.streamLag.set({ shard: partition }, entries),
        poison: () => metrics.poisonEvents.inc(),
        deadLetters: (count) => metrics.deadLetters.inc({ queue: 'verify' }, count),
      },
    });
    shard.start();
  }

  if (roles.includes('front')) {
    const secret = await loadTokenSecret(redis, store.keys.tokenSecret);
    const signer = new TokenSigner(secret, options.tokenTtlSeconds ?? 24 * 3600);
    const start = { epoch: config.versions().routing ?? 1, shards: config.routing.shards };
    await epochs.register(start);
    const r = new EventRouter(redis, prefix, start, id, () => config.routing.batch, (err) => log.error({ err: err.message }, 'events not stored'));
    router = r;
    onRouting = async (version) => {
      const next = { epoch: version, shards: config.routing.shards };
      await epochs.register(next);
      await r.switchTo(next);
      log.info({ epoch: next.epoch, shards: next.shards }, 'routing epoch switched');
    };
    generation = new GenerationQueue(options.redisUrl, queuePrefix);
    scheduler = new HuntScheduler(redisOptionsFromUrl(options.redisUrl), queuePrefix, redis, store);
    const sink = {
      toHunt: (hunt: string, json: string) => void app.publish(huntTopic(hunt), json),
      toPlayer: (player: string, message: Record<string, unknown>) => gateway?.toPlayer(player, message),
      kick: (hunt: string, player: string) => gateway?.kick(hunt, player),
    };
    fanout = new Fanout(redis, store.keys, id, store, sink, log);
    await fanout.start();
    gateway = new Gateway({ app, store, router, fanout, signer, metrics, logger: log, limits: () => config.limits, topN: () => config.fanout.topN });
    gateway.install();
    installApi(http, { store, scheduler, generation, router, signer, metrics, gmKey: options.gmKey, config });
    installConfigApi(http, { config, gmKey: options.gmKey, staleMs: NODE_REPORT_STALE_MS });
    stats = installStatsApi(http, { nodeId: id, redis, redisUrl: options.redisUrl, prefix, queuePrefix, metrics, configs: config.store, gmKey: options.gmKey, staleMs: NODE_REPORT_STALE_MS });
    servePages(app, await buildPages(), () => closing);
  }

  app.any('/*', (res) => {
    res.cork(() => {
      res.writeStatus('404 Not Found').writeHeader('content-type', 'application/json; charset=utf-8').end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No such route' } }));
    });
  });

  const listenSocket = await new Promise<us_listen_socket>((resolve, reject) => {
    app.listen(options.host ?? '0.0.0.0', options.port ?? 8080, (socket) => (socket ? resolve(socket) : reject(new Error(`could not listen on port ${options.port ?? 8080}`))));
  });
  const port = uws.us_socket_local_port(listenSocket);
  log.info({ port, roles, prefix }, 'node started');

  // Shutdown order: stop accepting → stop reading streams → finish in-flight work → 1001 to clients → queues and Redis.
  steps.push(
    { name: 'stop accepting', run: () => { closing = true; uws.us_listen_socket_close(listenSocket); } },
    { name: 'stop shard', run: () => shard?.close() },
    { name: 'drain router', run: () => router?.drain() },
    { name: 'close workers', run: async () => void (await Promise.all(workers.map((w) => w.close()))) },
    { name: 'tell clients', run: () => gateway?.closeAll() },
    { name: 'close fanout', run: () => fanout?.close() },
    { name: 'close config', run: () => config.close() },
    { name: 'close queues', run: async () => { await generation?.close(); await scheduler?.close(); await verifier?.close(); await stats?.close(); } },
    { name: 'close redis', run: async () => void (await redis.quit()) },
  );

  let closed: Promise<void> | undefined;
  return {
    id,
    port,
    roles,
    metrics,
    shard,
    config,
    close: () =>
      (closed ??= (async () => {
        for (const step of steps) {
          try {
            await step.run();
          } catch (err) {
            log.warn({ err, step: step.name }, 'shutdown step failed');
          }
        }
        log.info('node stopped');
      })()),
  };
}
