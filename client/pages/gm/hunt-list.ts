/** The list of hunts with their status; a click shows the hunt, "+ New hunt" the create form. */
import { clear, h } from '../dom.js';
import { renderCreate } from './create-hunt.js';
import { renderEditor } from './editor-view.js';
import { showHunt } from './hunt-panel.js';
import { api, session } from './session.js';

export interface HuntSummary {
  id: string;
  name: string;
  status: string;
  players: number;
}

export async function renderHunts(): Promise<void> {
  const el = document.getElementById('hunts');
  if (!el) return;
  // the newest 200 (the list is paginated; older ones are a `nextCursor` away)
  const { hunts } = await api<{ hunts: HuntSummary[] }>('GET', '/api/hunts?limit=200');
  clear(
    el,
    h('h2', {}, 'Hunts'),
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        {
          id: 'new-hunt',
          onclick: () => {
            session.current = '';
            renderCreate();
          },
        },
        '+ New hunt',
      ),
      h('button', { id: 'write-hunt', onclick: () => renderEditor() }, '+ Write a hunt'),
    ),
    h(
      'ul',
      { class: 'cards' },
      ...hunts.map((x) =>
        h(
          'li',
          {},
          h(
            'button',
            { class: x.id === session.current ? 'selected' : '', onclick: () => void showHunt(x.id) },
            h('span', {}, x.name),
            h('span', { class: `pill ${x.status}` }, x.status),
          ),
        ),
      ),
    ),
  );
}
