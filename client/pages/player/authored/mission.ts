/**
 * An authored puzzle as the player app reads it: the contract's `PublicPuzzle` plus the v1.2
 * fields (title, `{text, options}` prompt, why it is locked, when it opens and closes, a judged
 * submission waiting). Read with guards, never trusted to be there: a generated puzzle has none.
 */
import { isRecord } from '../../../../protocol/input.js';
import type { PublicPuzzle } from '../../../../protocol/messages.js';

export type LockReason = 'location' | 'after' | 'time';

export interface MissionView {
  title: string;
  text: string;
  options: string[];
  lockedBy: LockReason | undefined;
  after: string[];
  opensAt: number | undefined;
  closesAt: number | undefined;
  closed: boolean;
  pending: boolean;
}

/** What a judged mission's review said, kept by the app until the next submission. */
export interface ReviewOutcome {
  approved: boolean;
  points: number;
  reason?: string;
}

export const AUTHORED = new Set(['text', 'choice', 'code', 'checkin', 'free', 'photo']);

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function mission(p: PublicPuzzle): MissionView {
  const o: Record<string, unknown> = { ...p };
  const prompt = isRecord(p.prompt) ? p.prompt : {};
  const lockedBy = str(o.lockedBy);
  return {
    title: str(o.title) ?? '',
    text: str(prompt.text) ?? (typeof p.prompt === 'string' ? p.prompt : ''),
    options: Array.isArray(prompt.options) ? prompt.options.filter((x): x is string => typeof x === 'string') : [],
    lockedBy:
      lockedBy === 'location' || lockedBy === 'after' || lockedBy === 'time'
        ? lockedBy
        : p.locked && p.location
          ? 'location'
          : undefined,
    after: Array.isArray(o.after) ? o.after.filter((x): x is string => typeof x === 'string') : [],
    opensAt: num(o.opensAt),
    closesAt: num(o.closesAt),
    closed: o.closed === true,
    pending: o.pending === true,
  };
}

/** The name a puzzle goes by in lists and messages: its title, else its type and difficulty. */
export function puzzleName(p: PublicPuzzle): string {
  const t = mission(p).title;
  return t || (AUTHORED.has(p.type) ? p.type : `${p.type} · ${p.difficulty}`);
}

/** Sets a v1.2 field on a puzzle held in the app's state. */
export function setField(p: PublicPuzzle, field: 'pending' | 'closed', value: boolean): void {
  Object.assign(p, { [field]: value });
}
