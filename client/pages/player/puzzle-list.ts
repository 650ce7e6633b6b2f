/**
 * The list of puzzles, numbered and titled, with their state. A tap selects one; on a phone,
 * where the puzzle sits below the list, the page scrolls to it.
 */
import { clear, h } from '../dom.js';
import { detailPanel } from './puzzle-view.js';
import type { Panel } from './shell.js';
import { puzzleTitle, state } from './state.js';
import { listStatus } from './authored/index.js';

const phone = (): boolean => matchMedia('(max-width: 820px)').matches;

export function renderList(): void {
  const list = document.getElementById('list');
  if (!list) return;
  const solved = state.puzzles.filter((p) => p.solved).length;
  clear(
    list,
    h('h2', {}, `Puzzles · ${solved} of ${state.puzzles.length} solved`),
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
              'aria-current': p.id === state.selected ? 'true' : 'false',
              onclick: () => {
                state.selected = p.id;
                state.confirmingHint = '';
                renderList();
                detailPanel.render();
                if (phone()) document.getElementById('detail')?.scrollIntoView({ block: 'start' });
              },
            },
            h('span', {}, puzzleTitle(p)),
            h('span', { class: listStatus(p).cls }, listStatus(p).text),
          ),
        ),
      ),
    ),
  );
}

export const listPanel: Panel = { id: 'list', label: 'Puzzles', render: renderList };
