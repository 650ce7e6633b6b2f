/**
 * Replies to players go to the fronts that hold their sockets, not to every front of the hunt:
 * each front subscribes, for each hunt it serves, to its own reply channel in the hunt's slot
 * (`Keys.replyChannel`, on the same sharded subscriber as the hunt's channel), and the shards'
 * scripts publish a reply there for each node the player's socket record names
 * (rooms/lua/includes/reply.lua). A front's cost of replies so follows its own players'
 * answers, not the hunt's.
 */
import type { Keys } from '../rooms/index.js';

/** Whether a reply found a socket of its player (or team) on this node: the label of hunt_replies_received_total. */
export type ReplyHeld = 'yes' | 'no';

/** One front node's reply channels, one per hunt. */
export class ReplyChannels {
  constructor(
    private readonly keys: Keys,
    /** this node's id, as socket ids (`<node>.<n>`) and stream entries (`n`) name it */
    readonly node: string,
  ) {}

  /** This node's reply channel of a hunt. */
  of(hunt: string): string {
    return this.keys.replyChannel(hunt, this.node);
  }

  /** The hunt of one of this node's reply channels, or undefined. */
  huntOf(channel: string): string | undefined {
    return this.keys.huntOfReplyChannel(channel, this.node);
  }
}
