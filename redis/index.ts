/** Redis for every part: connections (one server or a cluster), the Lua script loader, subscriber helpers, the embedded redis-server. */
export { closeSubscriber } from './subscriber.js';
export { defineScripts, isReplyError, loadScript, type LoadedScript, type RedisClient } from './script.js';
export { startEmbeddedRedis, ensureRedisServer, freePort, type EmbeddedRedis } from './embedded.js';
export {
  connectionForKey,
  connectOne,
  connectRedis,
  waitForReplicas,
  isCluster,
  queueConnection,
  subscriberOf,
  type ConnectOptions,
  type QueueConnection,
} from './connect.js';
export { parseRedisUrl, redact, type RedisTarget } from './url.js';
export { goldenPoint, goldenTag, slotOf, spreadTag } from './slot.js';
export { startLocalCluster, type LocalCluster, type LocalClusterNode } from './local-cluster.js';
export { assertRedisMode, clusterProblem } from './mode.js';
export { fewestReplicas } from './replicas.js';
