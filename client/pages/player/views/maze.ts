/** The maze: walk from start to goal with the arrow keys or the pad; the answer is the path. */
import { h } from '../../dom.js';
import { onArrows, type PuzzleView } from './common.js';

interface MazePrompt {
  width: number;
  height: number;
  walls: number[][];
  start: { x: number; y: number };
  goal: { x: number; y: number };
}
const STEP: Record<string, [number, number, number]> = { U: [0, -1, 1], R: [1, 0, 2], D: [0, 1, 4], L: [-1, 0, 8] };

export const mazeView: PuzzleView = (p, submit) => {
  const m = p.prompt as MazePrompt;
  const solved = p.solved;
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
};
