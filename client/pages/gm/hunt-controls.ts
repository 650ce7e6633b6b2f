/**
 * The hunt's join link (copy, QR) and lifecycle buttons: each enabled only where the hunt's
 * state allows its transition; End asks first. Then the list of its puzzles.
 */
import { clear, h, toast } from '../dom.js';
import { joinLink } from './join-link.js';
import { api } from './session.js';
import type { HuntSection } from './hunt-sections.js';

type Action = 'launch' | 'pause' | 'resume' | 'end';

/** The states each transition starts from (the server's rules; a refusal still says why). */
const FROM: Record<Action, string[]> = {
  launch: ['ready'],
  pause: ['live'],
  resume: ['paused'],
  end: ['ready', 'live', 'paused'],
};
const DONE: Record<Action, string> = { launch: 'launched', pause: 'paused', resume: 'resumed', end: 'ended' };

export const controlsSection: HuntSection = {
  id: 'controls',
  render(ctx) {
    const message = h('div', { id: 'lifecycle-message', role: 'status' });
    const run = async (name: Action): Promise<void> => {
      try {
        await api('POST', `/api/hunts/${ctx.id}/${name}`);
        toast(`Hunt ${DONE[name]}.`, 'good');
      } catch (err) {
        toast(err instanceof Error ? err.message : String(err), 'bad');
      }
      ctx.refresh();
    };
    const action = (name: Action): HTMLButtonElement =>
      h(
        'button',
        {
          id: `do-${name}`,
          class: name === 'launch' ? 'primary' : '',
          disabled: !FROM[name].includes(ctx.view.status),
          onclick: () => {
            if (name !== 'end') return void run(name);
            clear(
              message,
              h(
                'div',
                { class: 'confirm', id: 'end-confirm' },
                h('p', {}, 'End the hunt for everyone? Answers close for good and the board becomes final.'),
                h(
                  'div',
                  { class: 'row' },
                  h('button', { class: 'danger', id: 'end-yes', onclick: () => void run('end') }, 'End the hunt'),
                  h('button', { id: 'end-no', onclick: () => clear(message) }, 'Cancel'),
                ),
              ),
            );
          },
        },
        name[0]!.toUpperCase() + name.slice(1),
      );
    return [
      joinLink(ctx.link),
      h('div', { class: 'row' }, action('launch'), action('pause'), action('resume'), action('end')),
      message,
    ];
  },
};

export const puzzlesSection: HuntSection = {
  id: 'puzzles',
  render({ view }) {
    return [
      h('h3', {}, `Puzzles (${view.puzzles.length})`),
      h(
        'p',
        { class: 'muted' },
        view.puzzles
          .map((p, i) => `${i + 1} · ${p.title ?? `${p.type}/${p.difficulty}`} · ${p.points} pts`)
          .join(' · '),
      ),
    ];
  },
};
