/**
 * The selected puzzle: its view (from views/ by type) inside a frame that scrolls on a narrow
 * screen rather than the page, the hints paid for, the hint button (hints left, the cost, a
 * confirmation), and the feedback line. Outside a live hunt the view is read-only.
 */
import type { PublicPuzzle } from '../../../protocol/messages.js';
import { clear, h } from '../dom.js';
import { submit } from './answers.js';
import { hintControls } from './hints.js';
import type { Panel } from './shell.js';
import { phase, puzzleTitle, state } from './state.js';
import { renderPuzzleView } from './views/index.js';
import { authoredKey, unavailableView } from './authored/index.js';

const CLOSED_TEXT: Record<string, string> = {
  waiting: 'The hunt has not started yet.',
  paused: 'Paused: answers open again when the hunt resumes.',
  ended: 'The hunt is over: answers are closed.',
};

export function renderDetail(): void {
  const detail = document.getElementById('detail');
  const puzzle = state.puzzles.find((p) => p.id === state.selected);
  if (!detail) return;
  if (!puzzle) {
    delete detail.dataset.drawn;
    return clear(detail, h('p', { class: 'muted' }, 'Choose a puzzle.'));
  }
  // the same puzzle drawn again (the connection's state changed, a delta came): what the
  // feedback line said stays, e.g. "Saved on this device" while the reconnects go on
  const was = detail.dataset.drawn === puzzle.id ? document.getElementById('feedback') : null;
  detail.dataset.drawn = puzzle.id;
  const hints = puzzle.hints ?? [];
  const open = phase() === 'live';
  // a mission locked (and why) or closed shows that instead
  const view = unavailableView(puzzle) ?? viewOf(puzzle);
  // a disabled fieldset disables every control of the view at once
  const frame = h('fieldset', { class: 'puzzle-frame', disabled: !open && !puzzle.solved }, view);
  clear(
    detail,
    h('h2', {}, puzzleTitle(puzzle), h('span', { class: 'muted' }, ` · ${puzzle.points} pts`)),
    puzzle.solved
      ? h('p', { class: 'solved', id: 'solved-note' }, 'Solved — well done.')
      : !open && !puzzle.solved
        ? h('p', { class: 'muted', id: 'closed-note' }, CLOSED_TEXT[phase()] ?? '')
        : '',
    frame,
    hints.length
      ? h('div', {}, h('h3', {}, 'Your hints'), h('ol', { id: 'hints' }, ...hints.map((t) => h('li', {}, t))))
      : '',
    puzzle.solved || puzzle.locked || phase() === 'ended' ? '' : hintControls(puzzle, open),
    h(
      'p',
      { id: 'feedback', role: 'status', 'aria-live': 'polite', class: was?.className ?? '' },
      was?.textContent ?? '',
    ),
  );
}

/** Views kept while their puzzle's state is the same, so work in progress survives a re-render. */
const views = new Map<string, { key: string; el: HTMLElement }>();

function viewOf(p: PublicPuzzle): HTMLElement {
  const key = `${p.solved}|${p.answer ?? ''}|${authoredKey(p)}`;
  const kept = views.get(p.id);
  if (kept?.key === key) return kept.el;
  const el = renderPuzzleView(p, (answer) => submit(p, answer));
  views.set(p.id, { key, el });
  return el;
}

export const detailPanel: Panel = { id: 'detail', label: 'Puzzle', render: renderDetail };
