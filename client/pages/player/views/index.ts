/**
 * A view per puzzle type, each building the answer in the exact form the contract wants:
 * sudoku and nonogram grids to fill, a maze to walk, tiles to slide, text for the rest.
 * Keyboard: grids are inputs or buttons in tab order; the maze and the tiles take arrow keys.
 * To show a new type, write `views/<type>.ts` exporting a `PuzzleView` and add it to the map.
 */
import type { PublicPuzzle } from '../../../../protocol/messages.js';
import { h } from '../../dom.js';
import type { PuzzleView, Submit } from './common.js';
import { mazeView } from './maze.js';
import { nonogramView } from './nonogram.js';
import { slidingView } from './sliding.js';
import { sudokuView } from './sudoku.js';
import { anagramView, cipherView } from './text.js';
import { AUTHORED_VIEWS } from '../authored/index.js';

export type { PuzzleView, Submit } from './common.js';

export const PUZZLE_VIEWS: Record<string, PuzzleView> = {
  sudoku: sudokuView,
  nonogram: nonogramView,
  maze: mazeView,
  sliding: slidingView,
  cipher: cipherView,
  anagram: anagramView,
  ...AUTHORED_VIEWS,
};

export function renderPuzzleView(p: PublicPuzzle, submit: Submit): HTMLElement {
  const view = PUZZLE_VIEWS[p.type];
  return view ? view(p, submit) : h('p', { class: 'muted' }, `This app cannot show ${p.type} puzzles yet.`);
}
