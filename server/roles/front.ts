/** The front role: player WebSockets, the HTTP API, the event router, fan-out and the pages. */
import type { BlockList } from 'node:net';
import { ConfigStore, NODE_REPORT_STALE_MS } from '../../config/index.js';
import { GENERATION_QUEUE, GenerationQueue } from '../../puzzles/index.js';
import { EpochRegistry, HuntScheduler, MediaStore } from '../../rooms/index.js';
import type { Access } from '../access.js';
import { installApi } from '../api.js';
import { installGmApi } from '../gm-api.js';
import { JoinLimiter } from '../join-limit.js';
import { loadTokenSecret, TokenSigner } from '../auth.js';
import { installConfigApi } from '../config-api.js';
import { Admission } from '../admission.js';
import { Fanout } from '../fanout.js';
import { ReplyChannels, type ReplyHeld } from '../replies.js';
import { SocketRecords } from '../socket-records.js';
import { Gateway, huntTopic, teamTopic } from '../gateway.js';
import { GmLive } from '../gm-live.js';
import { installFieldApi } from '../field-api.js';
import { Presence } from '../presence.js';
import { Standings } from '../standings.js';
import { buildPages, servePages } from '../pages.js';
import { EventRouter } from '../router.js';
import { installStatsApi } from '../stats-api.js';
import { Senders } from '../senders.js';
import { installPuzzlesApi } from '../puzzles-api.js';
import { installSubmissionsApi } from '../submissions-api.js';
import { HuntDeletion } from '../hunt-deletion.js';
import { installHuntDeleteApi } from '../hunt-delete-api.js';
import type { NodeContext, RoleSteps } from './context.js';

export interface FrontRoleOptions {
  /** the key checks (admin key and game-master accounts) */
  access: Access;
  /** proxies whose X-Forwarded-For names the client */
  trustedProxies: BlockList;
  /** Player token lifetime. @default 86400 */
  tokenTtlSeconds?: number | undefined;
  /** Tile URL template for the console's maps. @default OpenStreetMap's */
  mapTiles?: string | undefined;
  /** true once the node is shutting down */
  closing: () => boolean;
  /** how often the retention sweep runs (deleted hunts purged again, ended ones past retention deleted). @default 20000 */
  retentionSweepMs?: number | undefined;
}

export interface FrontRole {
  steps: RoleSteps;
  /** why the front cannot serve now (its subscriber is down), or null */
  problem(): string | null;
  /** moves the router to the epoch of a new routing version */
  onRouting(version: number): Promise<void>;
}

export async function startFrontRole(ctx: NodeContext, opts: FrontRoleOptions): Promise<FrontRole> {
  const { app, config, store, log, metrics, redis } = ctx;
  const epochs = new EpochRegistry(redis, store.keys, new ConfigStore(redis, ctx.prefix));
  const secret = await loadTokenSecret(redis, store.keys.tokenSecret);
  const signer = new TokenSigner(secret, opts.tokenTtlSeconds ?? 24 * 3600);
  const start = {
    epoch: config.versions().routing ?? 1,
    partitions: config.routing.partitions,
    movePartitions: config.routing.movePartitions,
  };
  await epochs.register(start);
  const router = new EventRouter({
    redis,
    prefix: ctx.prefix,
    route: start,
    nodeId: ctx.id,
    batching: () => config.routing.batch,
    onError: (err) => log.error({ err: err.message }, 'events not stored'),
    durability: () => config.routing,
  });
  const admission = new Admission({ redis, router, lag: ctx.loopLag, limits: () => config.limits, log });
  admission.start();
  const senders = new Senders(() => config.limits);
  senders.start();
  const bytesSent = metrics.wsBytesSent.labels({});
  const generation = new GenerationQueue(ctx.redisUrl, store.keys.queuePrefix(GENERATION_QUEUE));
  const scheduler = new HuntScheduler(ctx.redisUrl, redis, store);
  let gateway: Gateway | undefined;
  let live: GmLive | undefined;
  const sink = {
    toHunt: (hunt: string, json: string) => {
      const topic = huntTopic(hunt);
      bytesSent.inc(Buffer.byteLength(json) * app.numSubscribers(topic));
      app.publish(topic, json);
    },
    toTeam: (hunt: string, team: string, json: string) => {
      const topic = teamTopic(hunt, team);
      bytesSent.inc(Buffer.byteLength(json) * app.numSubscribers(topic));
      app.publish(topic, json);
    },
    toPlayer: (player: string, message: Record<string, unknown>, except?: string) => {
      const held: ReplyHeld = gateway?.toPlayer(player, message, except) ? 'yes' : 'no';
      metrics.repliesReceived.inc({ held });
    },
    kick: (hunt: string, player: string) => gateway?.kick(hunt, player),
    drop: (sockets: readonly string[]) => gateway?.drop(sockets),
    toGms: (hunt: string, kind: 'help' | 'message', json: string) => live?.toGms(hunt, kind, json),
  };
  const standings = new Standings({
    store,
    log,
    send: (member, json) => gateway?.toStanding(member, json),
    onSeed: (entries) => {
      metrics.rankIndexSeeds.inc();
      metrics.rankIndexEntriesSeeded.inc({}, entries);
    },
  });
  const fanout = new Fanout({
    redis,
    keys: store.keys,
    store,
    sink,
    log,
    onReplay: (source, deltas) => {
      metrics.replayReads.inc({ source });
      metrics.replayDeltasRead.inc({}, deltas);
    },
    replies: new ReplyChannels(store.keys, ctx.id),
    onBoard: (hunt, at, values) => standings.onDelta(hunt, at, values),
  });
  const presence = new Presence(store, log);
  gateway = new Gateway({
    app,
    store,
    router,
    fanout,
    signer,
    metrics,
    admission,
    presence,
    standings,
    logger: log,
    limits: () => config.limits,
    topN: () => config.fanout.topN,
    senders,
    trustedProxies: opts.trustedProxies,
    nodeId: ctx.id,
    socketRecords: new SocketRecords({ redis, keys: store.keys, cap: () => config.limits.socketsPerPlayer, log }),
  });
  gateway.install();
  live = new GmLive({ app, store, fanout, access: opts.access, logger: log, closing: opts.closing });
  live.install();
  const joinLimiter = new JoinLimiter(redis, store.keys, () => config.limits.joinsPerMinutePerAddress);
  installApi(ctx.http, {
    store,
    scheduler,
    generation,
    router,
    signer,
    metrics,
    admission,
    senders,
    storage: ctx.storage,
    config,
    access: opts.access,
    joinLimiter,
    trustedProxies: opts.trustedProxies,
  });
  installGmApi(ctx.http, { access: opts.access, store });
  installConfigApi(ctx.http, { config, redis, staleMs: NODE_REPORT_STALE_MS });
  installPuzzlesApi(ctx.http, { store, scheduler, publicUrl: process.env.HUNT_PUBLIC_URL });
  installSubmissionsApi(ctx.http, {
    store,
    media: new MediaStore(process.env.HUNT_MEDIA_DIR),
    signer,
    metrics,
    storage: ctx.storage,
  });
  const stats = installStatsApi(ctx.http, {
    nodeId: ctx.id,
    redis,
    redisUrl: ctx.redisUrl,
    prefix: ctx.prefix,
    metrics,
    configs: config.store,
    staleMs: NODE_REPORT_STALE_MS,
  });
  installFieldApi(ctx.http, { store, scheduler });
  const deletion = new HuntDeletion({
    redis,
    store,
    scheduler,
    log,
    nodeId: ctx.id,
    retention: () => config.retention,
    forget: (id) => opts.access.forget(id),
    ...(opts.retentionSweepMs === undefined
      ? {}
      : { sweepMs: opts.retentionSweepMs, endedScanMs: opts.retentionSweepMs }),
  });
  deletion.start();
  installHuntDeleteApi(ctx.http, { deletion });
  servePages(app, await buildPages({ mapTiles: opts.mapTiles }), opts.closing, log);

  const g = gateway;
  const l = live;
  return {
    problem: () => fanout.problem(),
    onRouting: async (version) => {
      const next = {
        epoch: version,
        partitions: config.routing.partitions,
        movePartitions: config.routing.movePartitions,
      };
      await epochs.register(next);
      await router.switchTo(next);
      log.info({ epoch: next.epoch, partitions: next.partitions }, 'routing epoch switched');
    },
    steps: {
      drain: async () => {
        admission.stop();
        senders.stop();
        await router.drain();
      },
      tellClients: () => {
        g.closeAll();
        l.closeAll();
      },
      closeFanout: async () => {
        await presence.close();
        standings.close();
        await fanout.close();
      },
      closeQueues: async () => {
        await deletion.stop();
        await generation.close();
        await scheduler.close();
        await stats.close();
      },
    },
  };
}
