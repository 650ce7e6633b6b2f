/** The nonogram: clues on the top and left, cells to paint; the answer is rows of # and . */
import { h } from '../../dom.js';
import { submitRow, type PuzzleView } from './common.js';
import { isNonogramPrompt, promptOf } from './prompts.js';

export const nonogramView: PuzzleView = (p, submit) => {
  const prompt = promptOf(p, isNonogramPrompt, 'a nonogram');
  const solved = p.solved;
  // the accepted answer paints a solved picture
  const rows = solved && p.answer ? p.answer.split('/') : [];
  const on: boolean[] = Array.from(
    { length: prompt.width * prompt.height },
    (_, i) => rows[Math.floor(i / prompt.width)]?.[i % prompt.width] === '#',
  );
  const grid = h('div', { class: 'grid', id: 'nonogram', style: `--cols: ${prompt.width}` });
  grid.append(h('div', {}));
  // column clues read top to bottom, one number a line
  for (const col of prompt.cols)
    grid.append(h('div', { class: 'clue col' }, ...col.map((n) => h('span', {}, String(n)))));
  prompt.rows.forEach((clue, r) => {
    grid.append(h('div', { class: 'clue row' }, clue.join(' ')));
    for (let c = 0; c < prompt.width; c++) {
      const i = r * prompt.width + c;
      const cell: HTMLButtonElement = h('button', {
        class: on[i] ? 'cell on' : 'cell',
        'aria-label': `row ${r + 1} column ${c + 1}`,
        'aria-pressed': String(on[i]),
        'data-cell': i,
        disabled: solved,
        onclick: () => {
          on[i] = !on[i];
          cell.classList.toggle('on', on[i]);
          cell.setAttribute('aria-pressed', String(on[i]));
        },
      });
      grid.append(cell);
    }
  });
  const answer = (): string =>
    Array.from({ length: prompt.height }, (_, r) =>
      on
        .slice(r * prompt.width, (r + 1) * prompt.width)
        .map((v) => (v ? '#' : '.'))
        .join(''),
    ).join('/');
  return h(
    'div',
    { class: 'stack' },
    grid,
    submitRow('Check picture', () => submit(answer()), solved),
  );
};
