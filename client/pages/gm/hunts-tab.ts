/**
 * The hunts tab: the list of hunts on the left, the selected hunt (or the new-hunt form) in the
 * middle, its leaderboard on the right.
 */
import { clear, h } from '../dom.js';
import { renderCreate } from './create-hunt.js';
import { renderHunts } from './hunt-list.js';
import { showHunt } from './hunt-panel.js';
import { session } from './session.js';
import type { ConsoleTab } from './tabs.js';

export const huntsTab: ConsoleTab = {
  id: 'hunts',
  label: 'Hunts',
  title: 'Game master console',
  async render(main) {
    clear(
      main,
      h(
        'div',
        { class: 'layout' },
        h('section', { class: 'panel', id: 'hunts' }),
        h('section', { class: 'panel', id: 'hunt' }),
        h('section', { class: 'panel', id: 'side' }),
      ),
    );
    await renderHunts();
    renderCreate();
    if (session.current) void showHunt(session.current);
  },
};
