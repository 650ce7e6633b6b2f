import type { RedisClient } from './script.js';

/** Closes a subscriber connection its owner created: its listeners first, then QUIT (or a hard disconnect). */
export async function closeSubscriber(conn: RedisClient): Promise<void> {
  conn.removeAllListeners('message');
  conn.removeAllListeners('smessage');
  try {
    await conn.quit();
  } catch {
    conn.disconnect();
  }
}
