/**
 * A mission as the editor holds it while the game master writes: every field of every type,
 * so switching a mission's type keeps what was typed. `toInput` turns it into the exact body
 * the contract takes (only the fields of its type); `fromInput` reads a definition or template.
 */
import { DIFFICULTIES, PUZZLE_TYPES, type Difficulty } from '../../../protocol/constants.js';
import { isOneOf } from '../../../protocol/guards.js';
import { isRecord } from '../../../protocol/input.js';
import {
  AUTHORED_TYPES,
  isAuthoredType,
  type AuthoredPuzzleInput,
  type GeneratedPuzzleInput,
  type MissionLocation,
  type PuzzleInput,
} from '../../authored-client.js';

export const MISSION_TYPES = [...AUTHORED_TYPES, ...PUZZLE_TYPES] as const;

export const TYPE_LABEL: Record<string, string> = {
  text: 'Text answer',
  choice: 'Multiple choice',
  code: 'Code / QR',
  checkin: 'Check-in (GPS)',
  free: 'Free text (judged)',
  photo: 'Photo (judged)',
};

export interface MissionDraft {
  /** a local key that survives reordering */
  key: string;
  /** the puzzle's id: chosen in a definition, or the server's; absent means `p<position>` */
  id?: string;
  /** true once the mission exists in the hunt (so it is saved with PUT, removed with DELETE) */
  saved: boolean;
  type: string;
  title: string;
  prompt: string;
  points: number;
  hints: string[];
  answers: string[];
  options: string[];
  answer: number;
  code: string;
  difficulty: Difficulty;
  seed?: string;
  location: MissionLocation | null;
  /** the keys of the missions to solve first (turned into puzzle ids by `toInput`) */
  after: string[];
  opensAfterS: number | null;
  closesAfterS: number | null;
}

let counter = 0;

export function newDraft(type: string): MissionDraft {
  return {
    key: `m${++counter}`,
    saved: false,
    type,
    title: '',
    prompt: '',
    points: type === 'photo' || type === 'free' ? 150 : 100,
    hints: [],
    answers: [''],
    options: ['', ''],
    answer: 0,
    code: '',
    difficulty: 'medium',
    location: null,
    after: [],
    opensAfterS: null,
    closesAfterS: null,
  };
}

/**
 * The puzzle id a mission has or will have: its own once it exists, else `p<position>` (a new
 * hunt numbers its puzzles in the order they are given).
 */
export function refOf(list: readonly MissionDraft[], key: string): string | undefined {
  const i = list.findIndex((d) => d.key === key);
  return i < 0 ? undefined : (list[i]!.id ?? `p${i + 1}`);
}

/** Turns the ids in `after` (as a definition holds them) into the keys of `list`'s missions. */
export function resolveAfter(list: MissionDraft[]): void {
  for (const d of list)
    d.after = d.after
      .map((id) => list.find((o, i) => (o.id ?? `p${i + 1}`) === id)?.key ?? id)
      .filter((k) => k !== d.key);
}

/** The mission's body for the API: its type's fields only, `after` as puzzle ids. */
/** True for the body of a written mission (the kind a created hunt takes). */
export function isAuthoredInput(p: PuzzleInput): p is AuthoredPuzzleInput {
  return isAuthoredType(p.type);
}

export function toInput(d: MissionDraft, list: readonly MissionDraft[] = []): PuzzleInput {
  const after = d.after.map((k) => refOf(list, k)).filter((x): x is string => x !== undefined);
  const seq = {
    ...(d.id && !d.saved ? { id: d.id } : {}),
    ...(after.length ? { after } : {}),
    ...(d.opensAfterS !== null ? { opensAfterS: d.opensAfterS } : {}),
    ...(d.closesAfterS !== null ? { closesAfterS: d.closesAfterS } : {}),
  };
  if (!isAuthoredType(d.type)) {
    const g: GeneratedPuzzleInput = { type: d.type, difficulty: d.difficulty, ...seq };
    if (d.title.trim()) g.title = d.title.trim();
    if (d.seed) g.seed = d.seed;
    if (d.location) g.location = { ...d.location };
    return g;
  }
  const p: AuthoredPuzzleInput = {
    type: d.type,
    title: d.title.trim(),
    prompt: d.prompt.trim(),
    points: d.points,
    ...seq,
  };
  const hints = d.hints.map((x) => x.trim()).filter(Boolean);
  if (hints.length) p.hints = hints;
  if (d.location) p.location = { ...d.location };
  if (d.type === 'text') p.answers = d.answers.map((x) => x.trim()).filter(Boolean);
  if (d.type === 'choice') {
    p.options = d.options.map((x) => x.trim());
    p.answer = d.answer;
  }
  if (d.type === 'code') p.code = d.code.trim();
  return p;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Reads one puzzle of a definition or template (unknown shapes are read as far as they go). */
export function fromInput(raw: unknown): MissionDraft {
  const o: Record<string, unknown> = isRecord(raw) ? raw : {};
  const type = isOneOf(MISSION_TYPES, o.type) ? o.type : 'text';
  const d = newDraft(type);
  if (typeof o.id === 'string') d.id = o.id;
  if (typeof o.title === 'string') d.title = o.title;
  // a prompt is text as written; the player-facing form {text, options} is read too
  const prompt = o.prompt;
  if (typeof prompt === 'string') d.prompt = prompt;
  else if (isRecord(prompt) && typeof prompt.text === 'string') d.prompt = prompt.text;
  d.points = num(o.points) ?? d.points;
  d.hints = strings(o.hints);
  if (strings(o.answers).length) d.answers = strings(o.answers);
  if (strings(o.options).length) d.options = strings(o.options);
  d.answer = num(o.answer) ?? 0;
  if (typeof o.code === 'string') d.code = o.code;
  if (isOneOf(DIFFICULTIES, o.difficulty)) d.difficulty = o.difficulty;
  if (typeof o.seed === 'string') d.seed = o.seed;
  const loc = isRecord(o.location) ? o.location : {};
  const [lat, lng] = [num(loc.lat), num(loc.lng)];
  if (lat !== null && lng !== null) d.location = { lat, lng, radius: num(loc.radius) ?? 30 };
  d.after = strings(o.after);
  d.opensAfterS = num(o.opensAfterS);
  d.closesAfterS = num(o.closesAfterS);
  return d;
}

/** What is missing before the server would take it, in the game master's words ('' when none). */
export function problems(d: MissionDraft): string[] {
  const out: string[] = [];
  if (!isAuthoredType(d.type)) return out;
  if (!d.title.trim()) out.push('a title');
  if (!d.prompt.trim() && d.type !== 'checkin') out.push('a prompt');
  if (!(d.points >= 1 && d.points <= 10_000)) out.push('points from 1 to 10,000');
  if (d.type === 'text' && !d.answers.some((a) => a.trim())) out.push('at least one accepted answer');
  if (d.type === 'choice' && (d.options.filter((x) => x.trim()).length < 2 || !d.options[d.answer]?.trim()))
    out.push('two options or more, one marked right');
  if (d.type === 'code' && !/^[A-Za-z0-9]{4,32}$/.test(d.code.trim())) out.push('a code of 4–32 letters or digits');
  if (d.type === 'checkin' && !d.location) out.push('a location');
  return out;
}

/** A one-line summary for the mission list. */
export function summary(d: MissionDraft): string {
  if (!isAuthoredType(d.type)) return d.title.trim() || `${d.type} (${d.difficulty})`;
  return d.title.trim() || '(untitled)';
}
