/**
 * Every kind of client message, declared once (like colyseus `onMessage(type, schema, handler)`):
 * the schema the edge validates it with, its lane, the metric label it is counted under, and
 * for kinds a shard applies, how it becomes a stream event and how a shard checks such an
 * event. Everything that lists kinds derives from this table: `ClientMessage`,
 * `CLIENT_MESSAGE_TYPES`, the gateway's counters, the stats, the stream conversion and
 * checks (`rooms/events.ts`). The shard's Lua dispatches on the same names
 * (`rooms/lua/apply-answers.lua`, `KINDS`) and refuses any other. Adding a kind: see
 * docs/adding-a-message.md.
 */
import { z } from 'zod';

import { isWellFormed } from './input.js';
import { text } from './messages.js';

const requestId = text(64).min(1);
const entityId = text(64).min(1);

/**
 * Where an accepted message goes: `front` kinds are answered by the front node and never
 * streamed; `moves` and `answers` are the shard's two lanes (moves apply as soon as they are
 * read, folded; answers, hints and the like in stream order, each request id once).
 */
export type Lane = 'front' | 'moves' | 'answers';

/** The part every stream event shares: kind, hunt and player (bound from the token). */
export interface EventHead {
  k: string;
  h: string;
  p: string;
}
/** `n`: how many moves of this player the front folded into this one (the last position wins). */
export interface MoveEvent extends EventHead {
  k: 'move';
  lat: number;
  lng: number;
  n?: number;
}
/**
 * `correct` is set by the shard from the verdict; `dead` when verification failed for good;
 * `judged` when the puzzle is judged by a game master (a `free` puzzle: `answer` is the submission).
 */
export interface AnswerEvent extends EventHead {
  k: 'answer';
  id: string;
  puzzle: string;
  answer: string;
  correct?: boolean;
  dead?: string;
  judged?: boolean;
}
export interface HintEvent extends EventHead {
  k: 'hint';
  id: string;
  puzzle: string;
}
/** A player's message to the game masters. */
export interface HelpEvent extends EventHead {
  k: 'help';
  id: string;
  text: string;
}

/** Longest `help` text, in UTF-16 units. */
export const HELP_TEXT_MAX = 500;

/** The most moves one stream event may stand for; a front folds far fewer between two writes. */
export const MAX_FOLDED = 1_000_000;

/** A field of a stream event that is a non-empty well-formed string of at most `max` units. */
export const isText = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max && isWellFormed(v);
const isCoord = (v: unknown, limit: number): v is number =>
  typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= limit;

/** A kind the front node answers itself. */
interface FrontKind<M> {
  schema: z.ZodType<M>;
  lane: 'front';
  /** `type` label of hunt_events_received_total and hunt_events_shed_total */
  label: string;
}
/** A kind a shard applies: its stream event, and the check a shard runs on one it reads. */
interface StreamedKind<M, E extends EventHead> {
  schema: z.ZodType<M>;
  lane: 'moves' | 'answers';
  /** `type` label of hunt_events_received_total, _shed_total and _applied_total */
  label: string;
  /** the stream event of a validated message, bound to the token's hunt and player */
  toEvent: (hunt: string, player: string, msg: M) => E;
  /**
   * True when the fields of an event of this kind (head checked already) can be applied. The
   * front validated the message already; this guards the shard against entries written by
   * older or foreign writers.
   */
  check: (e: Record<string, unknown>) => boolean;
}

const front = <M>(k: FrontKind<M>): FrontKind<M> => k;
const streamed = <M, E extends EventHead>(k: StreamedKind<M, E>): StreamedKind<M, E> => k;

export const MESSAGE_KINDS = {
  answer: streamed({
    schema: z.object({ t: z.literal('answer'), id: requestId, puzzle: entityId, answer: text(2048) }),
    lane: 'answers',
    label: 'answer',
    toEvent: (h, p, m): AnswerEvent => ({ k: 'answer', h, p, id: m.id, puzzle: m.puzzle, answer: m.answer }),
    // the answer text is emptied once verified (it stays out of Redis), so it may be empty here
    check: (e) =>
      isText(e.id, 64) &&
      isText(e.puzzle, 64) &&
      typeof e.answer === 'string' &&
      e.answer.length <= 4096 &&
      isWellFormed(e.answer),
  }),
  hint: streamed({
    schema: z.object({ t: z.literal('hint'), id: requestId, puzzle: entityId }),
    lane: 'answers',
    label: 'hint',
    toEvent: (h, p, m): HintEvent => ({ k: 'hint', h, p, id: m.id, puzzle: m.puzzle }),
    check: (e) => isText(e.id, 64) && isText(e.puzzle, 64),
  }),
  move: streamed({
    schema: z.object({
      t: z.literal('move'),
      lat: z.number().finite().min(-90).max(90),
      lng: z.number().finite().min(-180).max(180),
    }),
    lane: 'moves',
    label: 'move',
    // the hot path (server/frames.ts readMoveInto, EventRouter.move) writes the same event without this
    toEvent: (h, p, m): MoveEvent => ({ k: 'move', h, p, lat: m.lat, lng: m.lng }),
    check: (e) =>
      isCoord(e.lat, 90) &&
      isCoord(e.lng, 180) &&
      (e.n === undefined || (typeof e.n === 'number' && Number.isInteger(e.n) && e.n >= 1 && e.n <= MAX_FOLDED)),
  }),
  /**
   * A message to the game masters: kept in the hunt's message log and sent to the consoles
   * live; answered `{"t":"ack","id"}` (once per request id, like answers).
   */
  help: streamed({
    schema: z.object({ t: z.literal('help'), id: requestId, text: text(HELP_TEXT_MAX).min(1) }),
    lane: 'answers',
    label: 'help',
    toEvent: (h, p, m): HelpEvent => ({ k: 'help', h, p, id: m.id, text: m.text }),
    check: (e) => isText(e.id, 64) && isText(e.text, HELP_TEXT_MAX),
  }),
  ping: front({ schema: z.object({ t: z.literal('ping'), id: requestId }), lane: 'front', label: 'ping' }),
  /** Asks for a fresh token before this one expires (an open socket is closed 4001 at expiry). */
  renew: front({ schema: z.object({ t: z.literal('renew'), id: requestId }), lane: 'front', label: 'renew' }),
};

type Kinds = typeof MESSAGE_KINDS;
export type ClientMessageType = keyof Kinds;
/** Every message a client may send, as validated. */
export type ClientMessage = { [K in ClientMessageType]: MessageOf<K> }[ClientMessageType];
export type MessageOf<K extends ClientMessageType> = z.infer<Kinds[K]['schema']>;
/** Kinds a shard applies (the others are answered by the front node). */
export type StreamedType = {
  [K in ClientMessageType]: Kinds[K] extends { toEvent: unknown } ? K : never;
}[ClientMessageType];
/** Client messages that become stream events. */
export type GameMessage = MessageOf<StreamedType>;
/** An event as it travels in a room stream entry (field `e`, a JSON array), from front to shard. */
export type StreamEvent = { [K in StreamedType]: ReturnType<Kinds[K]['toEvent']> }[StreamedType];
/** Kinds the front node answers itself. */
export type FrontType = Exclude<ClientMessageType, StreamedType>;
export type FrontMessage = MessageOf<FrontType>;

export type AnswerMessage = MessageOf<'answer'>;
export type HintMessage = MessageOf<'hint'>;
export type MoveMessage = MessageOf<'move'>;
export type HelpMessage = MessageOf<'help'>;

export const CLIENT_MESSAGE_TYPES: readonly ClientMessageType[] =
  Object.keys(MESSAGE_KINDS).filter(isClientMessageType);

export function isClientMessageType(t: unknown): t is ClientMessageType {
  return typeof t === 'string' && Object.hasOwn(MESSAGE_KINDS, t);
}

/** True for the kinds a shard applies. */
export function isStreamedType(t: unknown): t is StreamedType {
  return isClientMessageType(t) && MESSAGE_KINDS[t].lane !== 'front';
}

/** One value per kind, e.g. a metric counter bound to each kind's label. */
export function perKind<T>(make: (type: ClientMessageType) => T): Record<ClientMessageType, T> {
  const out: Partial<Record<ClientMessageType, T>> = {};
  for (const t of CLIENT_MESSAGE_TYPES) out[t] = make(t);
  return out as Record<ClientMessageType, T>;
}

export type ParsedMessage = { success: true; data: ClientMessage } | { success: false; error: z.ZodError | null };

/**
 * Validates a client message with its kind's schema. An unknown `t` fails with `error` null
 * (the caller answers UNKNOWN_MESSAGE); a known one with its schema's issues.
 */
export function parseClientMessage(raw: unknown): ParsedMessage {
  const t = typeof raw === 'object' && raw !== null && 't' in raw ? raw.t : undefined;
  if (!isClientMessageType(t)) return { success: false, error: null };
  const parsed = MESSAGE_KINDS[t].schema.safeParse(raw);
  return parsed.success ? { success: true, data: parsed.data } : { success: false, error: parsed.error };
}

/** Whether a message is answered by the front node or applied by a shard. */
export function isGameMessage(msg: ClientMessage): msg is GameMessage {
  return MESSAGE_KINDS[msg.t].lane !== 'front';
}
