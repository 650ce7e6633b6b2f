/** The sliding tiles: move the gap until the tiles are in order; the answer is the gap's moves. */
import { h } from '../../dom.js';
import { frozen, onArrows, type PuzzleView } from './common.js';
import { isSlidingPrompt, promptOf } from './prompts.js';

export const slidingView: PuzzleView = (puzzle, submit) => {
  const p = promptOf(puzzle, isSlidingPrompt, 'a sliding board');
  const solved = puzzle.solved;
  const tiles = p.tiles.slice();
  let moves = '';
  const board = h('div', {
    class: 'tiles',
    id: 'tiles',
    tabindex: 0,
    'aria-label': 'Sliding tiles: arrow keys move the gap',
    style: `--cols: ${p.size}`,
  });
  const count = h('p', { class: 'muted', id: 'moves' });
  const isSolved = (): boolean => tiles.every((t, i) => (i === tiles.length - 1 ? t === 0 : t === i + 1));
  const slide = (d: string): boolean => {
    const b = tiles.indexOf(0);
    const r = Math.floor(b / p.size);
    const c = b % p.size;
    const to =
      d === 'U' && r > 0
        ? b - p.size
        : d === 'D' && r < p.size - 1
          ? b + p.size
          : d === 'L' && c > 0
            ? b - 1
            : d === 'R' && c < p.size - 1
              ? b + 1
              : -1;
    if (to < 0) return false;
    tiles[b] = tiles[to]!;
    tiles[to] = 0;
    moves += d;
    return true;
  };
  const moveBlank = (d: string): void => {
    // once in order the moves are sent: no more until "Start over"
    if (solved || isSolved() || frozen(board) || !slide(d)) return;
    draw();
    if (isSolved()) submit(moves);
  };
  if (solved) {
    // the accepted moves slide it again; without them, the tiles show in order
    for (const d of puzzle.answer ?? '') slide(d);
    if (!isSolved()) tiles.splice(0, tiles.length, ...tiles.map((_, i) => (i === tiles.length - 1 ? 0 : i + 1)));
  }
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
  const reset = h(
    'button',
    {
      disabled: solved,
      onclick: () => {
        tiles.splice(0, tiles.length, ...p.tiles);
        moves = '';
        draw();
      },
    },
    'Start over',
  );
  return h(
    'div',
    { class: 'stack' },
    h('p', { class: 'muted' }, 'Put the tiles in order, the gap last.'),
    board,
    h('div', { class: 'row' }, reset),
    count,
  );
};
