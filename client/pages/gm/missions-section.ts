/**
 * The hunt panel's missions: each puzzle's number, title, type and points, and the editor behind
 * one button ("Edit missions" before launch, "Bonus mission" once the hunt runs).
 */
import { h } from '../dom.js';
import { HuntHttpClient } from '../../http-client.js';
import { huntEditor } from './hunt-editor.js';
import type { HuntSection } from './hunt-sections.js';
import { session } from './session.js';

export const missionsSection: HuntSection = {
  id: 'missions',
  render(ctx) {
    const { view } = ctx;
    if (view.status === 'generating' || view.status === 'failed' || view.status === 'ended') return [];
    const box = h('div', { class: 'stack', id: 'missions-editor' });
    const before = view.status === 'ready';
    const button = h(
      'button',
      {
        id: before ? 'edit-missions' : 'bonus-mission',
        onclick: () => {
          button.hidden = true;
          huntEditor(box, { http: new HuntHttpClient('', session.key), hunt: ctx.id }).catch((err: unknown) => {
            box.replaceChildren(
              h(
                'p',
                { class: 'error' },
                `The editor could not load: ${err instanceof Error ? err.message : String(err)}`,
              ),
            );
            button.hidden = false;
          });
        },
      },
      before ? 'Edit missions' : '+ Bonus mission',
    );
    return [h('div', { class: 'row' }, button), box];
  },
};
