/**
 * Hints: the button says how many are left and what one costs, and asks before it charges.
 * The server sends the text; the `welcome` brings back every hint paid for after a reload.
 */
import type { PublicPuzzle } from '../../../protocol/messages.js';
import { ERROR_TEXT, h } from '../dom.js';
import { feedback } from './feedback.js';
import { renderDetail } from './puzzle-view.js';
import { renderBoard } from './board.js';
import { state } from './state.js';

export function hintControls(puzzle: PublicPuzzle, open: boolean): HTMLElement {
  const left = puzzle.hintsLeft;
  const cost = puzzle.hintCost ?? 0;
  if (left === 0) return h('p', { class: 'muted', id: 'hint-none' }, 'No hints left for this puzzle.');
  const leftText = left === undefined ? '' : ` · ${left} left`;
  if (state.confirmingHint === puzzle.id) {
    return h(
      'div',
      { class: 'confirm', id: 'hint-confirm' },
      h('p', {}, `A hint costs ${cost} points off your score. Take it?`),
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          { class: 'primary', id: 'hint-yes', onclick: () => void takeHint(puzzle) },
          `Yes, take it (−${cost} pts)`,
        ),
        h('button', { id: 'hint-no', onclick: () => ((state.confirmingHint = ''), renderDetail()) }, 'Cancel'),
      ),
    );
  }
  const online = state.connState === 'open';
  return h(
    'div',
    { class: 'row' },
    h(
      'button',
      { id: 'hint', disabled: !open || !online, onclick: () => ((state.confirmingHint = puzzle.id), renderDetail()) },
      `Take a hint (${cost} pts${leftText})`,
    ),
    online ? '' : h('span', { class: 'muted' }, 'Hints need the connection.'),
  );
}

async function takeHint(puzzle: PublicPuzzle): Promise<void> {
  const conn = state.conn;
  state.confirmingHint = '';
  if (!conn) return;
  const reply = await conn.request({ t: 'hint', id: conn.nextId('h'), puzzle: puzzle.id }).catch(() => null);
  if (reply?.t === 'hint') {
    puzzle.hints = [...(puzzle.hints ?? []), reply.text];
    if (puzzle.hintsLeft !== undefined) puzzle.hintsLeft = Math.max(0, puzzle.hintsLeft - 1);
    renderDetail();
    renderBoard();
  } else {
    renderDetail();
    if (reply?.t === 'error') feedback(ERROR_TEXT[reply.code] ?? reply.message, 'bad');
    else feedback('The hint request got no reply. If it was charged, the hint shows here after a reload.', 'bad');
  }
}
