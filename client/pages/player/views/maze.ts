/** The maze: walk from start to goal with the arrow keys or the pad; the answer is the path. */
import { h } from '../../dom.js';
import { frozen, onArrows, type PuzzleView } from './common.js';
import { isMazePrompt, promptOf } from './prompts.js';

const STEP: Record<string, [number, number, number]> = { U: [0, -1, 1], R: [1, 0, 2], D: [0, 1, 4], L: [-1, 0, 8] };

export const mazeView: PuzzleView = (p, submit) => {
  const m = promptOf(p, isMazePrompt, 'a maze');
  const solved = p.solved;
  let pos = { ...m.start };
  let path = '';
  const visited = new Set([`${pos.x},${pos.y}`]);
  const board = h('div', {
    class: 'maze',
    id: 'maze',
    tabindex: 0,
    'aria-label': 'Maze: use the arrow keys',
    style: `--cols: ${m.width}`,
  });
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
  const atGoal = (): boolean => pos.x === m.goal.x && pos.y === m.goal.y;
  const step = (d: string): boolean => {
    const s = STEP[d];
    if (!s || (m.walls[pos.y]?.[pos.x] ?? 15) & s[2]) return false;
    pos = { x: pos.x + s[0], y: pos.y + s[1] };
    path += d;
    visited.add(`${pos.x},${pos.y}`);
    return true;
  };
  const go = (d: string): void => {
    // at the goal the path is sent: no more moves until "Start over"
    if (solved || atGoal() || frozen(board) || !step(d)) return;
    draw();
    if (atGoal()) submit(path);
  };
  if (solved) {
    // the accepted path walks it again; without one, the player stands at the goal
    for (const d of p.answer ?? '') if (!step(d)) break;
    if (!atGoal()) pos = { ...m.goal };
  }
  onArrows(board, go);
  draw();
  const pad = h(
    'div',
    { class: 'row' },
    ...['U', 'L', 'D', 'R'].map((d) =>
      h(
        'button',
        { 'aria-label': `move ${d}`, disabled: solved, onclick: () => go(d) },
        { U: '↑', L: '←', D: '↓', R: '→' }[d] ?? d,
      ),
    ),
  );
  const reset = h(
    'button',
    {
      disabled: solved,
      onclick: () => {
        pos = { ...m.start };
        path = '';
        visited.clear();
        visited.add(`${pos.x},${pos.y}`);
        draw();
      },
    },
    'Start over',
  );
  return h(
    'div',
    { class: 'stack' },
    h('p', { class: 'muted' }, 'Walk from the orange square to the green one.'),
    board,
    pad,
    h('div', { class: 'row' }, reset),
    status,
  );
};
