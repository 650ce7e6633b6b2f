import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;

/** A Lua script run by SHA, loaded on first NOSCRIPT. */
export class LuaScript {
  readonly sha: string;
  constructor(readonly name: string, readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
        return redis.eval(this.source, keys.length, ...keys, ...args);
      }
      throw err;
    }
  }
}

/** Closes a subscriber connection this part created: its listeners first, then QUIT (or a hard disconnect). */
export async function closeSubscriber(conn: Redis): Promise<void> {
  conn.removeAllListeners('message');
  try {
    await conn.quit();
  } catch {
    conn.disconnect();
  }
}
