/**
 * Stream events, derived from the table of message kinds (`protocol/message-kinds.ts`): the
 * conversion a front applies to a validated message, and the checks a shard applies to what
 * it reads from a stream.
 */
import {
  isRecord,
  isText,
  isWellFormed,
  MESSAGE_KINDS,
  isStreamedType,
  type GameMessage,
  type MessageOf,
  type StreamedType,
  type StreamEvent,
} from '../protocol/index.js';

export { MAX_FOLDED, type StreamEvent, type MoveEvent, type AnswerEvent } from '../protocol/index.js';

/**
 * Why a stream event cannot be applied, or null: not an object, no readable hunt or player,
 * a kind the table does not hold (or one the front answers), or fields its kind's check refuses.
 */
export function eventProblem(ev: unknown): string | null {
  if (!isRecord(ev)) return 'not an object';
  if (!isText(ev.h, 64) || !isText(ev.p, 64)) return 'bad hunt or player';
  if (!isStreamedType(ev.k)) return 'unknown kind';
  return MESSAGE_KINDS[ev.k].check(ev) ? null : `bad ${ev.k}`;
}

/** True for an event a shard can apply (see `eventProblem` for why one cannot). */
export function isStreamEvent(ev: unknown): ev is StreamEvent {
  return eventProblem(ev) === null;
}

/** The event's hunt when it has a readable one (to file a dead letter under), else ''. */
export function huntOf(ev: unknown): string {
  return isRecord(ev) && typeof ev.h === 'string' && ev.h.length <= 64 && isWellFormed(ev.h) ? ev.h : '';
}

/** A string field of what may be an event (a dead letter names what it can), or undefined. */
export function stringField(ev: unknown, name: string): string | undefined {
  const v = isRecord(ev) ? ev[name] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** Fields of one stream entry: the accepting node, when it accepted, the events. */
export function entryFields(node: string, acceptedAt: number, events: readonly StreamEvent[]): string[] {
  return ['n', node, 'ts', String(acceptedAt), 'e', JSON.stringify(events)];
}

/** The streamed kinds of the table, each `toEvent` seen with its own message type (the key and the message correlate). */
const STREAMED: { [K in StreamedType]: { toEvent: (hunt: string, player: string, msg: MessageOf<K>) => StreamEvent } } =
  MESSAGE_KINDS;

/** A validated client message as the stream carries it, bound to the token's hunt and player. */
export function toStreamEvent(hunt: string, player: string, msg: GameMessage): StreamEvent {
  return convert(msg.t, hunt, player, msg);
}

function convert<K extends StreamedType>(t: K, hunt: string, player: string, msg: MessageOf<K>): StreamEvent {
  return STREAMED[t].toEvent(hunt, player, msg);
}
