/** The main connection of a node: auto-pipelined, with a deadline on every command and every Lua script defined before its first command. */
import { Redis } from 'ioredis';
import { defineScripts } from './script.js';

export interface ConnectOptions {
  /** told of connection errors (ioredis reconnects by itself) */
  onError?: (err: Error) => void;
  /** @default 10000 */
  commandTimeoutMs?: number;
}

export function connectRedis(url: string, opts: ConnectOptions = {}): Redis {
  // the blocking stream reads (500 ms) stay well inside the command deadline
  const redis = new Redis(url, { enableAutoPipelining: true, maxRetriesPerRequest: 20, commandTimeout: opts.commandTimeoutMs ?? 10_000 });
  if (opts.onError) redis.on('error', opts.onError);
  defineScripts(redis);
  return redis;
}
