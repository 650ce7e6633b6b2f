/**
 * A view per puzzle type, each building the answer in the exact form the contract wants:
 * sudoku and nonogram grids to fill, a maze to walk, tiles to slide, text for the rest.
 * Keyboard: grids are inputs or buttons in tab order; the maze and the tiles take arrow keys.
 */
import type { PublicPuzzle } from '../../protocol/messages.js';
import { h } from './dom.js';

type Submit = (answer: string) => void;

export function renderPuzzleView(p: PublicPuzzle, submit: Submit): HTMLElement {
  const prompt: unknown = p.prompt;
  switch (p.type) {
    case 'sudoku':
      return sudokuView(prompt as { grid: number[][] }, submit, p.solved);
    case 'nonogram':
      return nonogramView(prompt as { rows: number[][]; cols: number[][]; width: number; height: number }, submit, p.solved);
    case 'maze':
      return mazeView(prompt as MazePrompt, submit, p.solved);
    case 'sliding':
      return slidingView(prompt as { size: number; tiles: number[] }, submit, p.solved);
    case 'cipher': {
      const c = prompt as { method: string; ciphertext: string; keyLength?: number };
      return textView(
        [h('p', { class: 'muted' }, `Method: ${c.method}${c.keyLength ? ` · key of ${c.keyLength} letters` : ''}`), h('div', { class: 'cipher', id: 'ciphertext' }, c.ciphertext)],
        'The plaintext',
        submit,
        p.solved,
      );
    }
    case 'anagram':
      return textView([h('p', { class: 'cipher', id: 'letters' }, (prompt as { letters: string }).letters.split('').join(' '))], 'The word', submit, p.solved);
  }
}

function submitRow(label: string, onclick: () => void, solved: boolean): HTMLElement {
  return h('div', { class: 'row' }, h('button', { class: 'primary', id: 'submit', disabled: solved, onclick }, label));
}

function textView(top: HTMLElement[], label: string, submit: Submit, solved: boolean): HTMLElement {
  const input = h('input', { id: 'answer', 'aria-label': label, placeholder: label, autocomplete: 'off', disabled: solved });
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

function sudokuView(prompt: { grid: number[][] }, submit: Submit, solved: boolean): HTMLElement {
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
              value: v ? String(v) : '',
              disabled: v !== 0 || solved,
              'aria-label': `row ${r + 1} column ${c + 1}`,
              'data-cell': r * 9 + c,
              oninput: (ev: Event) => {
                const el = ev.target as HTMLInputElement;
                el.value = el.value.replace(/[^1-9]/g, '').slice(-1);
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
    submitRow('Check grid', () => {
      const answer = inputs.map((i) => i.value || '0').join('');
      if (answer.includes('0')) return void alertMissing();
      submit(answer);
    }, solved),
  );
}

function alertMissing(): void {
  const fb = document.getElementById('feedback');
  if (fb) {
    fb.textContent = 'Fill every cell first.';
    fb.className = 'error';
  }
}

function nonogramView(prompt: { rows: number[][]; cols: number[][]; width: number; height: number }, submit: Submit, solved: boolean): HTMLElement {
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
}

interface MazePrompt {
  width: number;
  height: number;
  walls: number[][];
  start: { x: number; y: number };
  goal: { x: number; y: number };
}
const STEP: Record<string, [number, number, number]> = { U: [0, -1, 1], R: [1, 0, 2], D: [0, 1, 4], L: [-1, 0, 8] };
const KEY_DIR: Record<string, string> = { ArrowUp: 'U', ArrowDown: 'D', ArrowLeft: 'L', ArrowRight: 'R' };

/** Arrow keys on a focused board call `move` with U, D, L or R. */
function onArrows(el: HTMLElement, move: (dir: string) => void): void {
  el.addEventListener('keydown', (ev) => {
    const d = KEY_DIR[ev.key];
    if (!d) return;
    ev.preventDefault();
    move(d);
  });
}

function mazeView(m: MazePrompt, submit: Submit, solved: boolean): HTMLElement {
  let pos = { ...m.start };
  let path = '';
  const visited = new Set([`${pos.x},${pos.y}`]);
  const board = h('div', { class: 'maze', id: 'maze', tabindex: 0, 'aria-label': 'Maze: use the arrow keys', style: `grid-template-columns: repeat(${m.width}, 1.4em)` });
  const status = h('p', { class: 'muted', id: 'maze-path' });
  const draw = (): void => {
    board.replaceChildren(
      ...m.walls.flatMap((row, y) =>
        row.map((bits, x) => {
          const cls = [bits & 1 ? 'wu' : '', bits & 2 ? 'wr' : '', bits & 4 ? 'wd' : '', bits & 8 ? 'wl' : ''];
          if (visited.has(`${x},${y}`)) cls.push('path');
          if (x === m.goal.x && y === m.goal.y) cls.push('goal');
          if (x === pos.x && y === pos.y) cls.push('me');
          return h('div', { class: cls.join(' ') });
        }),
      ),
    );
    status.textContent = `Moves: ${path.length}`;
  };
  const go = (d: string): void => {
    const s = STEP[d];
    if (!s || solved || (m.walls[pos.y]![pos.x]! & s[2]) !== 0) return;
    pos = { x: pos.x + s[0], y: pos.y + s[1] };
    path += d;
    visited.add(`${pos.x},${pos.y}`);
    draw();
    if (pos.x === m.goal.x && pos.y === m.goal.y) submit(path);
  };
  onArrows(board, go);
  draw();
  const pad = h('div', { class: 'row' }, ...['U', 'L', 'D', 'R'].map((d) => h('button', { 'aria-label': `move ${d}`, disabled: solved, onclick: () => go(d) }, { U: '↑', L: '←', D: '↓', R: '→' }[d] ?? d)));
  const reset = h('button', {
    onclick: () => {
      pos = { ...m.start };
      path = '';
      visited.clear();
      visited.add(`${pos.x},${pos.y}`);
      draw();
    },
  }, 'Start over');
  return h('div', { class: 'stack' }, h('p', { class: 'muted' }, 'Walk from the orange square to the green one.'), board, pad, h('div', { class: 'row' }, reset), status);
}

function slidingView(p: { size: number; tiles: number[] }, submit: Submit, solved: boolean): HTMLElement {
  const tiles = p.tiles.slice();
  let moves = '';
  const board = h('div', { class: 'tiles', id: 'tiles', tabindex: 0, 'aria-label': 'Sliding tiles: arrow keys move the gap', style: `grid-template-columns: repeat(${p.size}, 3em)` });
  const count = h('p', { class: 'muted', id: 'moves' });
  const isSolved = (): boolean => tiles.every((t, i) => (i === tiles.length - 1 ? t === 0 : t === i + 1));
  const moveBlank = (d: string): void => {
    const b = tiles.indexOf(0);
    const r = Math.floor(b / p.size);
    const c = b % p.size;
    const to = d === 'U' && r > 0 ? b - p.size : d === 'D' && r < p.size - 1 ? b + p.size : d === 'L' && c > 0 ? b - 1 : d === 'R' && c < p.size - 1 ? b + 1 : -1;
    if (to < 0 || solved) return;
    tiles[b] = tiles[to]!;
    tiles[to] = 0;
    moves += d;
    draw();
    if (isSolved()) submit(moves);
  };
  const draw = (): void => {
    const b = tiles.indexOf(0);
    board.replaceChildren(
      ...tiles.map((t, i) =>
        h(
          'button',
          {
            class: t === 0 ? 'blank' : '',
            'data-tile': t,
            disabled: solved,
            'aria-label': t === 0 ? 'gap' : `tile ${t}`,
            onclick: () => {
              // clicking a tile next to the gap slides it: the gap moves toward the tile
              if (i === b - p.size) moveBlank('U');
              else if (i === b + p.size) moveBlank('D');
              else if (i === b - 1 && b % p.size !== 0) moveBlank('L');
              else if (i === b + 1 && i % p.size !== 0) moveBlank('R');
            },
          },
          t === 0 ? '' : String(t),
        ),
      ),
    );
    count.textContent = `Moves: ${moves.length}`;
  };
  onArrows(board, moveBlank);
  draw();
  const reset = h('button', {
    onclick: () => {
      tiles.splice(0, tiles.length, ...p.tiles);
      moves = '';
      draw();
    },
  }, 'Start over');
  return h('div', { class: 'stack' }, h('p', { class: 'muted' }, 'Put the tiles in order, the gap last.'), board, h('div', { class: 'row' }, reset), count);
}
