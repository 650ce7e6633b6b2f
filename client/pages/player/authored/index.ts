/**
 * Authored missions in the player app (v1.2): a view per authored type, locked and closed
 * states with why, judged submissions and their reviews, the v1.2 messages and the QR deep link.
 * The app reaches them through this file only.
 */
import type { PublicPuzzle } from '../../../../protocol/messages.js';
import type { PuzzleView } from '../views/common.js';
import { checkinView } from './checkin.js';
import { choiceView } from './choice.js';
import { codeView } from './code.js';
import { freeView, judgedHooks, photoView } from './judged.js';
import { authoredHooks } from './handlers.js';
import { closedView, lockedView } from './locked.js';
import { mission } from './mission.js';
import { reviews } from './reviews.js';
import { textMissionView } from './text-mission.js';
import { state } from '../state.js';

export { captureDeepLink } from './deep-link.js';
export { afterWelcome, onCheckin, onClosed, onPuzzle, onReview } from './handlers.js';
export { mission, puzzleName, setField } from './mission.js';

export const AUTHORED_VIEWS: Record<string, PuzzleView> = {
  text: textMissionView,
  choice: choiceView,
  code: codeView,
  checkin: checkinView,
  free: freeView,
  photo: photoView,
};

/** Wires the repaint calls the authored pieces make. */
export function installAuthored(repaint: { all(): void; detail(): void; list(): void; board(): void }): void {
  authoredHooks.repaint = (puzzle) => {
    if (puzzle === undefined || puzzle === state.selected) return repaint.all();
    repaint.list();
    repaint.board();
  };
  judgedHooks.rerender = repaint.detail;
}

/** The view instead of the puzzle when it cannot be answered (locked or closed), else null. */
export function unavailableView(p: PublicPuzzle): HTMLElement | null {
  if (mission(p).closed && !p.solved) return closedView(p);
  if (p.locked) return lockedView(p);
  return null;
}

/** The state a list line shows: solved, waiting for review, closed, locked (and why), or points. */
export function listStatus(p: PublicPuzzle): { text: string; cls: string } {
  const m = mission(p);
  if (p.solved) return { text: '✓ solved', cls: 'solved' };
  if (m.pending) return { text: '⏳ in review', cls: 'pending' };
  if (m.closed) return { text: '⌛ closed', cls: 'locked' };
  if (p.locked)
    return {
      text: m.lockedBy === 'time' ? '🔒 later' : m.lockedBy === 'after' ? '🔒 after others' : '🔒 locked',
      cls: 'locked',
    };
  return { text: `${p.points} pts`, cls: '' };
}

/** What else a kept view depends on: a judged mission's pending flag and its last review. */
export function authoredKey(p: PublicPuzzle): string {
  const r = reviews.get(p.id);
  return `${mission(p).pending}|${r ? `${r.approved}:${r.reason ?? ''}` : ''}`;
}
