/** Redis for every part: connections, the Lua script loader, subscriber helpers, the embedded redis-server. */
export { redisOptionsFromUrl } from './options.js';
export { closeSubscriber } from './subscriber.js';
export { defineScripts, loadScript, type LoadedScript, type RedisClient } from './script.js';
export { startEmbeddedRedis, ensureRedisServer, freePort, type EmbeddedRedis } from './embedded.js';
export { connectRedis, type ConnectOptions } from './connect.js';
