/** A `choice` mission: its prompt and one button per option; a tap sends the option's index. */
import { h } from '../../dom.js';
import type { PuzzleView } from '../views/common.js';
import { mission } from './mission.js';
import { promptBlock } from './prompt.js';

export const choiceView: PuzzleView = (p, submit) => {
  const m = mission(p);
  const list = h(
    'ol',
    { class: 'choices', id: 'choices' },
    ...m.options.map((text, i) =>
      h(
        'li',
        {},
        h(
          'button',
          {
            class: `choice ${p.solved && p.answer === String(i) ? 'right' : ''}`,
            'data-option': i,
            disabled: p.solved,
            onclick: () => submit(String(i)),
          },
          text,
        ),
      ),
    ),
  );
  return h('div', { class: 'stack' }, ...promptBlock(p), list);
};
