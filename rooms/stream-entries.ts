/**
 * A read batch of one stream partition, taken apart: entries parsed, their events checked
 * against the table of kinds, and split by lane and hunt in stream order. Events no kind
 * accepts are set aside as poison before any script runs.
 */
import { MESSAGE_KINDS } from '../protocol/index.js';
import { eventProblem, huntOf, isStreamEvent, type AnswerEvent } from './events.js';
import type { ApplyItem } from './scripts.js';

/** One answer to check; the verifier answers with one verdict per item, in order. */
export interface VerifyItem {
  hunt: string;
  puzzle: string;
  answer: string;
}

/** A stream entry as XREADGROUP returns it: its id and its fields (null once the entry was trimmed). */
export type StreamEntry = [id: string, fields: string[] | null];

/** When events were accepted by a front: times and, beside each, how many events share it. */
export interface Accepted {
  ts: number[];
  count: number[];
}

export interface Split {
  /** events that cannot be applied at all, set aside before any script runs */
  poison: { hunt: string; node: string; ev: unknown; reason: string }[];
  moves: Map<string, ApplyItem[]>;
  answers: Map<string, ApplyItem[]>;
  verify: { ev: AnswerEvent; item: VerifyItem }[];
  moveAcceptedAt: Accepted;
  answerAcceptedAt: Accepted;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isEntry = (v: unknown): v is StreamEntry =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && (v[1] === null || isStrings(v[1]));

/** The entries of an XREADGROUP reply for one stream (none for a null reply); a reply of another shape throws. */
export function readEntries(reply: unknown): StreamEntry[] {
  if (reply === null) return [];
  const stream: unknown = Array.isArray(reply) ? reply[0] : undefined;
  const entries: unknown = Array.isArray(stream) ? stream[1] : undefined;
  if (!Array.isArray(entries) || !entries.every(isEntry))
    throw new Error(`XREADGROUP replied ${JSON.stringify(reply).slice(0, 200)}`);
  return entries;
}

/** The fields of one entry: the accepting node, when it accepted, the events (unchecked); null when unreadable. */
export function parseEntry(fields: string[] | null): { node: string; ts: number; events: unknown[] } | null {
  if (!fields) return null;
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  let events: unknown;
  try {
    events = JSON.parse(map.get('e') ?? 'null');
  } catch {
    return null;
  }
  if (!Array.isArray(events)) return null;
  return { node: map.get('n') ?? '', ts: Number(map.get('ts') ?? Date.now()), events };
}

function accept(into: Accepted, ts: number, count: number): void {
  const last = into.ts.length - 1;
  if (last >= 0 && into.ts[last] === ts) into.count[last]! += count;
  else {
    into.ts.push(ts);
    into.count.push(count);
  }
}

/**
 * Splits a read batch by lane and hunt, keeping stream order within each. Item ids are
 * `<epoch>-<entry id>` (the fences compare them); `unreadable` hears of entries that cannot
 * be parsed at all.
 */
export function splitEntries(entries: readonly StreamEntry[], epoch: number, unreadable: (id: string) => void): Split {
  const out: Split = {
    poison: [],
    moves: new Map(),
    answers: new Map(),
    verify: [],
    moveAcceptedAt: { ts: [], count: [] },
    answerAcceptedAt: { ts: [], count: [] },
  };
  for (const [id, fields] of entries) {
    const parsed = parseEntry(fields);
    if (!parsed) {
      unreadable(id);
      continue;
    }
    const sid = `${epoch}-${id}`;
    for (const raw of parsed.events) {
      if (!isStreamEvent(raw)) {
        out.poison.push({ hunt: huntOf(raw), node: parsed.node, ev: raw, reason: eventProblem(raw) ?? 'unreadable' });
        continue;
      }
      const ev = raw;
      const lane = MESSAGE_KINDS[ev.k].lane === 'moves' ? out.moves : out.answers;
      let items = lane.get(ev.h);
      if (!items) lane.set(ev.h, (items = []));
      let item = items.at(-1);
      if (!item || item.sid !== sid) items.push((item = { sid, n: parsed.node, ev: [] }));
      item.ev.push(ev);
      if (ev.k === 'move') accept(out.moveAcceptedAt, parsed.ts, ev.n ?? 1);
      else accept(out.answerAcceptedAt, parsed.ts, 1);
      if (ev.k === 'answer') out.verify.push({ ev, item: { hunt: ev.h, puzzle: ev.puzzle, answer: ev.answer } });
    }
  }
  return out;
}
