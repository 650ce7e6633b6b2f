/**
 * Every connection the engine opens, from REDIS_URL: one redis-server or a Redis Cluster,
 * the rest of the code does not care which. The main connection has a deadline on every
 * command and every Lua script defined before its first command. It does not auto-pipeline:
 * on a busy node the commands of one tick are few (an XADD, a script, an XACK), and ioredis's
 * per-batch pipeline cost more CPU than the socket writes it saved (1 to 8 commands a tick:
 * 93–141 µs of node CPU per batch auto-pipelined, 49–97 written one by one; in four A/B pairs
 * of `npm run bench -- --only answers`, p99 12, 10, 52 and 13 ms against 20, 18, 24 and 44,
 * and in one pair of `--only paced`, 10.5 against 14.4 CPU-s per million moves at 25,000/s).
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { defineScripts, type RedisClient } from './script.js';
import { slotOf } from './slot.js';
import { parseRedisUrl, type RedisTarget } from './url.js';

export interface ConnectOptions {
  /** told of connection errors (ioredis reconnects by itself) */
  onError?: (err: Error) => void;
  /** @default 10000 */
  commandTimeoutMs?: number;
}

/** Options every connection to one server shares: credentials, TLS, database. */
function serverOptions(t: RedisTarget): RedisOptions {
  return {
    ...(t.username ? { username: t.username } : {}),
    ...(t.password !== undefined ? { password: t.password } : {}),
    ...(t.tls ? { tls: {} } : {}),
    ...(t.cluster ? {} : { db: t.db }),
  };
}

function clusterOptions(t: RedisTarget, redisOptions: RedisOptions, extra: ClusterOptions = {}): ClusterOptions {
  return {
    redisOptions: { ...serverOptions(t), ...redisOptions },
    // reads and writes go to masters: a replica may be behind what was acknowledged
    scaleReads: 'master',
    // a failover moves slots: follow MOVED at once and refresh the map soon after
    slotsRefreshTimeout: 2000,
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 100,
    ...extra,
  };
}

export function isCluster(redis: RedisClient): redis is Cluster {
  return 'isCluster' in redis && redis.isCluster === true;
}

export function connectRedis(url: string, opts: ConnectOptions = {}): RedisClient {
  const t = parseRedisUrl(url);
  const base: RedisOptions = { maxRetriesPerRequest: 20, commandTimeout: opts.commandTimeoutMs ?? 10_000 };
  // the blocking stream reads (500 ms) stay well inside the command deadline
  const redis: RedisClient = t.cluster
    ? new Cluster(t.nodes, clusterOptions(t, base, { enableAutoPipelining: false, maxRedirections: 32 }))
    : new Redis({ ...t.nodes[0]!, ...serverOptions(t), ...base, enableAutoPipelining: false });
  if (opts.onError) redis.on('error', opts.onError);
  defineScripts(redis);
  return redis;
}

/**
 * A connection for subscribing: to hunt channels with SSUBSCRIBE (sharded pub/sub, one
 * connection per master on a cluster) and to the config channel with SUBSCRIBE.
 */
export function subscriberOf(redis: RedisClient): RedisClient {
  return isCluster(redis)
    ? redis.duplicate(undefined, { shardedSubscribers: true, enableAutoPipelining: false })
    : redis.duplicate({ enableAutoPipelining: false });
}

/**
 * What BullMQ is given: options for one server (it opens and closes its own connections),
 * or a Cluster it shares and duplicates for its blocking reads. `close` after the queues and
 * workers built on it are closed.
 */
export interface QueueConnection {
  connection: RedisOptions | Cluster;
  close(): Promise<void>;
}

export function queueConnection(url: string): QueueConnection {
  const t = parseRedisUrl(url);
  if (!t.cluster)
    return {
      connection: { ...t.nodes[0]!, ...serverOptions(t), maxRetriesPerRequest: null },
      close: async () => undefined,
    };
  const cluster = new Cluster(t.nodes, clusterOptions(t, { maxRetriesPerRequest: null }));
  cluster.on('error', () => undefined); // BullMQ reports errors through its own objects
  return {
    connection: cluster,
    close: async () => {
      await cluster.quit().catch(() => cluster.disconnect());
    },
  };
}

/** A plain connection to one server of the target (the one named, or the first seed), not auto-pipelined. */
export function connectOne(url: string, node?: { host: string; port: number }, extra: RedisOptions = {}): Redis {
  const t = parseRedisUrl(url);
  return new Redis({ ...(node ?? t.nodes[0]!), ...serverOptions(t), ...extra });
}

/**
 * A connection of its own for one key's blocking reads: on one server a duplicate, on a
 * cluster a plain connection to the master that holds the key's slot now (not a whole second
 * cluster client). When the slot moves (a failover), its commands fail and the owner opens
 * another one.
 */
export function connectionForKey(redis: RedisClient, key: string, extra: RedisOptions = {}): Redis {
  if (!isCluster(redis)) return redis.duplicate({ enableAutoPipelining: false, ...extra });
  const owner = redis.slots[slotOf(key)]?.[0];
  if (!owner) throw new Error(`no master is known for the slot of ${key} yet`);
  const colon = owner.lastIndexOf(':');
  const { enableAutoPipelining: _auto, ...shared } = redis.options.redisOptions ?? {};
  return new Redis({
    ...shared,
    host: owner.slice(0, colon),
    port: Number(owner.slice(colon + 1)),
    enableAutoPipelining: false,
    ...extra,
  });
}

/**
 * WAIT on the connection that serves `key` (on a cluster, its master): how many replicas
 * acknowledged every write made there so far, within `timeoutMs`.
 */
export async function waitForReplicas(
  redis: RedisClient,
  key: string,
  replicas: number,
  timeoutMs: number,
): Promise<number> {
  const res = await redis.pipeline().exists(key).wait(replicas, timeoutMs).exec();
  const waited = res?.[1];
  if (!waited) throw new Error('WAIT returned no reply');
  if (waited[0]) throw waited[0];
  return Number(waited[1]);
}
