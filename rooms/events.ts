import { isWellFormed, type GameMessage } from '../protocol/index.js';

/** Events as they travel in a room stream entry (field `e`, a JSON array), from front to shard. */
export type StreamEvent =
  /** `n`: how many moves of this player the front folded into this one (the last position wins) */
  | { k: 'move'; h: string; p: string; lat: number; lng: number; n?: number }
  /** `correct` is set by the shard from the verdict; `dead` when verification failed for good */
  | { k: 'answer'; h: string; p: string; id: string; puzzle: string; answer: string; correct?: boolean; dead?: string }
  | { k: 'hint'; h: string; p: string; id: string; puzzle: string };

/** The most moves one stream event may stand for; a front folds far fewer between two writes. */
export const MAX_FOLDED = 1_000_000;

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max && isWellFormed(v);
const isCoord = (v: unknown, limit: number): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= limit;

/**
 * Why a stream event cannot be applied, or null. The front validates every event already;
 * this guards the shard against entries written by older or foreign writers.
 */
export function eventProblem(ev: unknown): string | null {
  if (typeof ev !== 'object' || ev === null) return 'not an object';
  const e = ev as Record<string, unknown>;
  if (!isText(e.h, 64) || !isText(e.p, 64)) return 'bad hunt or player';
  switch (e.k) {
    case 'move':
      return isCoord(e.lat, 90) && isCoord(e.lng, 180) && (e.n === undefined || (Number.isInteger(e.n) && (e.n as number) >= 1 && (e.n as number) <= MAX_FOLDED)) ? null : 'bad move';
    case 'answer':
      return isText(e.id, 64) && isText(e.puzzle, 64) && typeof e.answer === 'string' && e.answer.length <= 4096 && isWellFormed(e.answer) ? null : 'bad answer';
    case 'hint':
      return isText(e.id, 64) && isText(e.puzzle, 64) ? null : 'bad hint';
    default:
      return 'unknown kind';
  }
}

/** Fields of one stream entry: the accepting node, when it accepted, the events. */
export function entryFields(node: string, acceptedAt: number, events: readonly StreamEvent[]): string[] {
  return ['n', node, 'ts', String(acceptedAt), 'e', JSON.stringify(events)];
}

/** A validated client message as the stream carries it, bound to the token's hunt and player. */
export function toStreamEvent(hunt: string, player: string, msg: GameMessage): StreamEvent {
  switch (msg.t) {
    case 'move':
      return { k: 'move', h: hunt, p: player, lat: msg.lat, lng: msg.lng };
    case 'answer':
      return { k: 'answer', h: hunt, p: player, id: msg.id, puzzle: msg.puzzle, answer: msg.answer };
    case 'hint':
      return { k: 'hint', h: hunt, p: player, id: msg.id, puzzle: msg.puzzle };
  }
}
