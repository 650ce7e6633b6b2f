/** The list of puzzles with their state; a tap selects one for the detail panel. */
import { clear, h } from '../dom.js';
import { detailPanel } from './puzzle-view.js';
import type { Panel } from './shell.js';
import { state } from './state.js';
import { listStatus, puzzleName } from './authored/index.js';

export function renderList(): void {
  const list = document.getElementById('list');
  if (!list) return;
  clear(
    list,
    h('h2', {}, 'Puzzles'),
    h(
      'ul',
      { class: 'cards' },
      ...state.puzzles.map((p) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              class: p.id === state.selected ? 'selected' : '',
              'data-puzzle': p.id,
              onclick: () => {
                state.selected = p.id;
                renderList();
                detailPanel.render();
              },
            },
            h('span', {}, puzzleName(p)),
            h('span', { class: listStatus(p).cls }, listStatus(p).text),
          ),
        ),
      ),
    ),
  );
}

export const listPanel: Panel = { id: 'list', label: 'Puzzles', render: renderList };
