/** Text answers: the cipher's plaintext and the anagram's word. */
import { h } from '../../dom.js';
import type { PuzzleView, Submit } from './common.js';
import { isAnagramPrompt, isCipherPrompt, promptOf } from './prompts.js';

export function textView(top: HTMLElement[], label: string, submit: Submit, solved: boolean, answer = ''): HTMLElement {
  const input = h('input', {
    id: 'answer',
    'aria-label': label,
    placeholder: label,
    autocomplete: 'off',
    disabled: solved,
    value: solved ? answer : '',
  });
  const form = h(
    'form',
    {
      class: 'row',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        if (input.value.trim()) submit(input.value.trim());
      },
    },
    input,
    h('button', { class: 'primary', id: 'submit', type: 'submit', disabled: solved }, 'Check'),
  );
  return h('div', { class: 'stack' }, ...top, form);
}

export const cipherView: PuzzleView = (p, submit) => {
  const c = promptOf(p, isCipherPrompt, 'a cipher');
  return textView(
    [
      h('p', { class: 'muted' }, `Method: ${c.method}${c.keyLength ? ` · key of ${c.keyLength} letters` : ''}`),
      h('div', { class: 'cipher', id: 'ciphertext' }, c.ciphertext),
    ],
    'The plaintext',
    submit,
    p.solved,
    p.answer,
  );
};

export const anagramView: PuzzleView = (p, submit) =>
  textView(
    [
      h(
        'p',
        { class: 'cipher', id: 'letters' },
        promptOf(p, isAnagramPrompt, 'an anagram').letters.split('').join(' '),
      ),
    ],
    'The word',
    submit,
    p.solved,
    p.answer,
  );
