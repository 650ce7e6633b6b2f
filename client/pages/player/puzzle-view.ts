/** The selected puzzle: its view (from views/ by type), the hint button and hints, feedback. */
import { clear, h } from '../dom.js';
import { submit } from './answers.js';
import { takeHint } from './hints.js';
import type { Panel } from './shell.js';
import { state } from './state.js';
import { renderPuzzleView } from './views/index.js';
import { heading, unavailableView } from './authored/index.js';

export function renderDetail(): void {
  const detail = document.getElementById('detail');
  const puzzle = state.puzzles.find((p) => p.id === state.selected);
  if (!detail || !puzzle) return;
  const hints = state.hints.get(puzzle.id) ?? [];
  const hintButton = h('button', { id: 'hint', disabled: puzzle.solved || puzzle.locked, onclick: () => void takeHint(puzzle) }, `Take a hint (costs ${puzzle.hintCost ?? '?'} pts)`);
  const body = unavailableView(puzzle) ?? renderPuzzleView(puzzle, (answer) => void submit(puzzle, answer));
  clear(
    detail,
    h('h2', {}, heading(puzzle)),
    puzzle.solved ? h('p', { class: 'solved' }, 'Solved — well done.') : '',
    body,
    h('div', { class: 'row' }, hintButton),
    hints.length ? h('ol', { class: 'muted', id: 'hints' }, ...hints.map((t) => h('li', {}, t))) : '',
    h('p', { id: 'feedback', role: 'status', 'aria-live': 'polite' }),
  );
}

export const detailPanel: Panel = { id: 'detail', label: 'Puzzle', render: renderDetail };
