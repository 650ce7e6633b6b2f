/** A `text` mission: its prompt and a field for the answer (case, accents and punctuation ignored). */
import { h } from '../../dom.js';
import type { PuzzleView } from '../views/common.js';
import { textView } from '../views/text.js';
import { promptBlock } from './prompt.js';

export const textMissionView: PuzzleView = (p, submit) => {
  const view = textView(promptBlock(p), 'Your answer', submit, p.solved);
  if (p.solved && p.answer) view.append(h('p', { class: 'solved' }, `Accepted: ${p.answer}`));
  return view;
};
