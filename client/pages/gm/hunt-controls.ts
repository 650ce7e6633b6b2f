/** The hunt's join link and lifecycle buttons, and the list of its puzzles. */
import { h, toast } from '../dom.js';
import { api } from './session.js';
import type { HuntSection } from './hunt-sections.js';

type Action = 'launch' | 'pause' | 'resume' | 'end';

export const controlsSection: HuntSection = {
  id: 'controls',
  render(ctx) {
    const action = (name: Action): HTMLButtonElement =>
      h(
        'button',
        {
          id: `do-${name}`,
          onclick: async () => {
            try {
              await api('POST', `/api/hunts/${ctx.id}/${name}`);
              toast(`Hunt ${name === 'end' ? 'ended' : `${name}${name.endsWith('e') ? 'd' : 'ed'}`}.`, 'good');
            } catch (err) {
              toast(err instanceof Error ? err.message : String(err), 'bad');
            }
            ctx.refresh();
          },
        },
        name[0]!.toUpperCase() + name.slice(1),
      );
    return [
      h('p', { class: 'muted' }, 'Players join at ', h('a', { href: ctx.link, id: 'join-link' }, ctx.link)),
      h('div', { class: 'row' }, action('launch'), action('pause'), action('resume'), action('end')),
    ];
  },
};

export const puzzlesSection: HuntSection = {
  id: 'puzzles',
  render({ view }) {
    return [h('h3', {}, `Puzzles (${view.puzzles.length})`), h('p', { class: 'muted' }, view.puzzles.map((p) => `${p.id}: ${p.type}/${p.difficulty} ${p.points} pts`).join(' · '))];
  },
};
