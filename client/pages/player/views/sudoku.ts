/** The sudoku: a 9×9 grid of inputs, the givens fixed; the answer is 81 digits. */
import { h } from '../../dom.js';
import { alertMissing, submitRow, type PuzzleView } from './common.js';
import { isSudokuPrompt, promptOf } from './prompts.js';

export const sudokuView: PuzzleView = (p, submit) => {
  const prompt = promptOf(p, isSudokuPrompt, 'a sudoku grid');
  const solved = p.solved;
  // the accepted answer fills the grid of a solved sudoku
  const filled = solved && p.answer && /^[1-9]{81}$/.test(p.answer) ? p.answer : '';
  const inputs: HTMLInputElement[] = [];
  const table = h(
    'table',
    { class: 'sudoku', id: 'sudoku' },
    h(
      'tbody',
      {},
      ...prompt.grid.map((row, r) =>
        h(
          'tr',
          {},
          ...row.map((v, c) => {
            const input = h('input', {
              inputMode: 'numeric',
              maxLength: 1,
              value: v ? String(v) : filled ? filled[r * 9 + c]! : '',
              disabled: v !== 0 || solved,
              'aria-label': `row ${r + 1} column ${c + 1}`,
              'data-cell': r * 9 + c,
              oninput: (ev: Event) => {
                const el = ev.target;
                if (el instanceof HTMLInputElement) el.value = el.value.replace(/[^1-9]/g, '').slice(-1);
              },
            });
            inputs.push(input);
            return h('td', {}, input);
          }),
        ),
      ),
    ),
  );
  return h(
    'div',
    { class: 'stack' },
    table,
    submitRow(
      'Check grid',
      () => {
        const answer = inputs.map((i) => i.value || '0').join('');
        if (answer.includes('0')) return void alertMissing();
        submit(answer);
      },
      solved,
    ),
  );
};
