/**
 * What the v1.2 messages do to the player app: a puzzle added or opened (`puzzle`), closed
 * (`closed`), a check-in (`checkin`), a review's outcome (`review`), and the QR deep link sent
 * once the first `welcome` has listed the puzzles. Each repaints through `repaint`.
 */
import type { PublicPuzzle } from '../../../../protocol/messages.js';
import { toast } from '../../dom.js';
import { submit } from '../answers.js';
import { state } from '../state.js';
import { takeDeepLink } from './deep-link.js';
import { puzzleName, setField } from './mission.js';
import { reviews } from './reviews.js';

/** set by the hook-in: repaints the app; the detail panel only when `puzzle` is the one shown (so its feedback stays) */
export const authoredHooks = { repaint: (_puzzle?: string): void => undefined };

export function onPuzzle(msg: { puzzle: PublicPuzzle }): void {
  const i = state.puzzles.findIndex((p) => p.id === msg.puzzle.id);
  const isNew = i < 0;
  if (isNew) state.puzzles.push(msg.puzzle);
  else state.puzzles[i] = { ...state.puzzles[i], ...msg.puzzle };
  state.selected ||= msg.puzzle.id;
  authoredHooks.repaint(msg.puzzle.id);
  toast(isNew ? `New mission: ${puzzleName(msg.puzzle)}!` : `Now open: ${puzzleName(msg.puzzle)}.`, 'good');
}

export function onClosed(msg: { puzzle: string }): void {
  const p = state.puzzles.find((x) => x.id === msg.puzzle);
  if (!p) return;
  setField(p, 'closed', true);
  authoredHooks.repaint(p.id);
  if (!p.solved) toast(`${puzzleName(p)} has closed.`, 'bad');
}

export function onCheckin(msg: { puzzle: string; points: number; score: number }): void {
  const p = state.puzzles.find((x) => x.id === msg.puzzle);
  if (p) p.solved = true;
  state.you.score = msg.score;
  authoredHooks.repaint(msg.puzzle);
  toast(`📍 Checked in${p ? ` at ${puzzleName(p)}` : ''}: +${msg.points} points.`, 'good');
}

export function onReview(msg: {
  puzzle: string;
  approved: boolean;
  points: number;
  score: number;
  reason?: string;
}): void {
  const p = state.puzzles.find((x) => x.id === msg.puzzle);
  reviews.set(msg.puzzle, {
    approved: msg.approved,
    points: msg.points,
    ...(msg.reason ? { reason: msg.reason } : {}),
  });
  if (p) {
    setField(p, 'pending', false);
    if (msg.approved) p.solved = true;
  }
  state.you.score = msg.score;
  authoredHooks.repaint(msg.puzzle);
  const name = p ? puzzleName(p) : 'your submission';
  toast(
    msg.approved
      ? `✓ ${name} approved: +${msg.points} points.`
      : `✗ ${name} not accepted${msg.reason ? `: ${msg.reason}` : ''}.`,
    msg.approved ? 'good' : 'bad',
  );
}

/** After a `welcome`: sends a waiting QR deep link's code for its puzzle, once. */
export function afterWelcome(): void {
  const hunt = state.session?.hunt;
  const link = hunt ? takeDeepLink(hunt) : null;
  if (!link) return;
  const p = state.puzzles.find((x) => x.id === link.puzzle);
  if (!p) return toast('That QR code is not for a mission of this hunt.', 'bad');
  state.selected = p.id;
  authoredHooks.repaint();
  void submit(p, link.code);
}
