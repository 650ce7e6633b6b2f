/**
 * This node's side of the per-player socket record (rooms/lua/player-sockets.lua), which caps a
 * player's sockets across nodes and tells the shards where to send the player's replies. The
 * opens and closes of one turn of the event loop are written together, one script call per hunt:
 * a burst of 2,000 joins costs a few calls, not 2,000. Written before the welcome of the same
 * turn is read (both on the node's one connection, in order), so a socket's record is in place
 * by the time its client hears `welcome`.
 */
import type { Logger } from 'pino';
import type { RedisClient } from '../redis/index.js';
import { playerSockets, SOCKET_CHANGES_MAX, type Keys, type SocketChange } from '../rooms/index.js';

/** What a SocketRecords is built from. */
export interface SocketRecordsDeps {
  redis: RedisClient;
  keys: Keys;
  /** limits.socketsPerPlayer in force now */
  cap: () => number;
  log: Logger;
}

export class SocketRecords {
  /** hunt -> changes waiting for the end of this turn, in order */
  private pending = new Map<string, SocketChange[]>();
  private tick: NodeJS.Immediate | undefined;

  private readonly redis: RedisClient;
  private readonly keys: Keys;
  private readonly cap: () => number;
  private readonly log: Logger;

  constructor(deps: SocketRecordsDeps) {
    this.redis = deps.redis;
    this.keys = deps.keys;
    this.cap = deps.cap;
    this.log = deps.log;
  }

  open(hunt: string, player: string, socket: string): void {
    this.add(hunt, { op: 'open', player, socket });
  }

  close(hunt: string, player: string, socket: string): void {
    this.add(hunt, { op: 'close', player, socket });
  }

  private add(hunt: string, change: SocketChange): void {
    let changes = this.pending.get(hunt);
    if (!changes) this.pending.set(hunt, (changes = []));
    changes.push(change);
    this.tick ??= setImmediate(() => this.write());
  }

  private write(): void {
    this.tick = undefined;
    const batches = this.pending;
    this.pending = new Map();
    const cap = this.cap();
    for (const [hunt, changes] of batches) {
      for (let i = 0; i < changes.length; i += SOCKET_CHANGES_MAX) {
        playerSockets(this.redis, this.keys, hunt, changes.slice(i, i + SOCKET_CHANGES_MAX), cap).catch(
          (err: unknown) => this.log.debug({ err, hunt, changes: changes.length }, 'sockets not recorded across nodes'),
        );
      }
    }
  }
}
