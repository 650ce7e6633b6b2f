import type { ClientMessage } from '../protocol/index.js';

/** Events as they travel in a room stream entry (field `e`, a JSON array), from front to shard. */
export type StreamEvent =
  /** `n`: how many moves of this player the front folded into this one (the last position wins) */
  | { k: 'move'; h: string; p: string; lat: number; lng: number; n?: number }
  /** `correct` is set by the shard from the verdict; `dead` when verification failed for good */
  | { k: 'answer'; h: string; p: string; id: string; puzzle: string; answer: string; correct?: boolean; dead?: string }
  | { k: 'hint'; h: string; p: string; id: string; puzzle: string };

/** Fields of one stream entry: the accepting node, when it accepted, the events. */
export function entryFields(node: string, acceptedAt: number, events: readonly StreamEvent[]): string[] {
  return ['n', node, 'ts', String(acceptedAt), 'e', JSON.stringify(events)];
}

/** A validated client message as the stream carries it, bound to the token's hunt and player. */
export function toStreamEvent(hunt: string, player: string, msg: Exclude<ClientMessage, { t: 'ping' }>): StreamEvent {
  switch (msg.t) {
    case 'move':
      return { k: 'move', h: hunt, p: player, lat: msg.lat, lng: msg.lng };
    case 'answer':
      return { k: 'answer', h: hunt, p: player, id: msg.id, puzzle: msg.puzzle, answer: msg.answer };
    case 'hint':
      return { k: 'hint', h: hunt, p: player, id: msg.id, puzzle: msg.puzzle };
  }
}
