/**
 * Answers not yet acknowledged, kept in localStorage with their request ids: an answer typed
 * while the connection is down (or the page reloaded before the reply) is sent when the socket
 * is back, with the same id, so the server counts it once however often it is sent.
 */
import type { ServerMessage } from '../../../protocol/messages.js';
import { isRecord } from '../../../protocol/input.js';
import { state } from './state.js';

export interface PendingAnswer {
  id: string;
  puzzle: string;
  answer: string;
  at: number;
}

/** Most answers kept waiting; older ones are dropped first. */
const MAX_PENDING = 50;
/** How long one send waits for its reply before the next reconnect tries again. */
const REPLY_WAIT_MS = 10 * 60_000;

const inFlight = new Set<string>();
let onReply: (item: PendingAnswer, reply: ServerMessage) => void = () => undefined;

function storageKey(): string {
  return `hunt-outbox:${state.session?.hunt ?? ''}:${state.session?.player ?? ''}`;
}

function isPending(v: unknown): v is PendingAnswer {
  return (
    isRecord(v) &&
    typeof v.id === 'string' &&
    typeof v.puzzle === 'string' &&
    typeof v.answer === 'string' &&
    typeof v.at === 'number'
  );
}

export function pending(): PendingAnswer[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(storageKey()) ?? '[]');
    return Array.isArray(list) ? list.filter(isPending) : [];
  } catch {
    return [];
  }
}

function save(list: PendingAnswer[]): void {
  if (list.length) localStorage.setItem(storageKey(), JSON.stringify(list.slice(-MAX_PENDING)));
  else localStorage.removeItem(storageKey());
}

/** What to do with each reply (set once by the answers module). */
export function onOutboxReply(fn: (item: PendingAnswer, reply: ServerMessage) => void): void {
  onReply = fn;
}

/** Keeps an answer and sends it (now, or once the socket is open). */
export function post(puzzle: string, answer: string): PendingAnswer | null {
  const conn = state.conn;
  if (!conn) return null;
  const item = { id: conn.nextId('a'), puzzle, answer, at: Date.now() };
  save([...pending(), item]);
  send(item);
  return item;
}

function send(item: PendingAnswer): void {
  const conn = state.conn;
  if (!conn) return;
  if (inFlight.has(item.id)) {
    // sent before, maybe into a socket that died: again, with the same id
    conn.send({ t: 'answer', id: item.id, puzzle: item.puzzle, answer: item.answer });
    return;
  }
  inFlight.add(item.id);
  conn.request({ t: 'answer', id: item.id, puzzle: item.puzzle, answer: item.answer }, REPLY_WAIT_MS).then(
    (reply) => {
      inFlight.delete(item.id);
      // an overloaded node kept nothing: the answer stays for the next try
      if (reply.t === 'error' && reply.code === 'OVERLOADED')
        return void setTimeout(() => send(item), reply.retryAfterMs ?? 1000);
      save(pending().filter((x) => x.id !== item.id));
      onReply(item, reply);
    },
    () => inFlight.delete(item.id),
  );
}

/** Sends everything waiting; called whenever the socket opens. */
export function flushOutbox(): void {
  for (const item of pending()) send(item);
}
