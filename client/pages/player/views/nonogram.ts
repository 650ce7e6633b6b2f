/** The nonogram: clues on the top and left, cells to paint; the answer is rows of # and . */
import { h } from '../../dom.js';
import { submitRow, type PuzzleView } from './common.js';

export const nonogramView: PuzzleView = (p, submit) => {
  const prompt = p.prompt as { rows: number[][]; cols: number[][]; width: number; height: number };
  const solved = p.solved;
  const on: boolean[] = new Array(prompt.width * prompt.height).fill(false);
  const grid = h('div', { class: 'grid', id: 'nonogram', style: `grid-template-columns: auto repeat(${prompt.width}, 1.9em)` });
  grid.append(h('div', {}));
  for (const col of prompt.cols) grid.append(h('div', { class: 'clue' }, col.join(' ')));
  prompt.rows.forEach((clue, r) => {
    grid.append(h('div', { class: 'clue row' }, clue.join(' ')));
    for (let c = 0; c < prompt.width; c++) {
      const i = r * prompt.width + c;
      const cell: HTMLButtonElement = h('button', {
        class: 'cell',
        'aria-label': `row ${r + 1} column ${c + 1}`,
        'aria-pressed': 'false',
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
  const answer = (): string => Array.from({ length: prompt.height }, (_, r) => on.slice(r * prompt.width, (r + 1) * prompt.width).map((v) => (v ? '#' : '.')).join('')).join('/');
  return h('div', { class: 'stack' }, grid, submitRow('Check picture', () => submit(answer()), solved));
};
