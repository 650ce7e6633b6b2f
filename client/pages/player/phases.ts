/** The screens of the hunt's phases: waiting for the start, and the final results once it ended. */
import { clear, h } from '../dom.js';
import type { Panel } from './shell.js';
import { state } from './state.js';

function renderWaiting(): void {
  const el = document.getElementById('waiting');
  if (!el) return;
  const players = state.board.size;
  // before the welcome the hunt's status is unknown: do not claim it has not started
  if (!state.huntStatus) {
    clear(el, h('h2', {}, 'Joining the hunt…'), h('p', { class: 'muted' }, 'Connecting to the game server.'));
    return;
  }
  clear(
    el,
    h('h2', {}, 'Waiting for the start'),
    h('p', { class: 'big' }, `You are in, ${state.session?.name ?? ''}.`),
    h(
      'p',
      {},
      'The game master has not started the hunt yet. This page opens the puzzles by itself the moment it starts: keep it open.',
    ),
    h(
      'p',
      { class: 'muted' },
      `${state.puzzles.length} puzzle${state.puzzles.length === 1 ? '' : 's'} to solve${players ? ` · ${players} player${players === 1 ? '' : 's'} on the board` : ''}.`,
    ),
  );
}

function renderResults(): void {
  const el = document.getElementById('results');
  if (!el) return;
  const solved = state.puzzles.filter((p) => p.solved).length;
  const total = state.board.size;
  const rank = state.you.rank;
  const failed = state.huntStatus === 'failed';
  clear(
    el,
    h('h2', {}, failed ? 'This hunt was cancelled' : 'The hunt is over'),
    failed
      ? h('p', {}, 'Its puzzles could not be prepared. Nothing you did here counts.')
      : h(
          'p',
          { class: 'big', id: 'final' },
          rank
            ? `You finished #${rank}${total ? ` of ${total}` : ''} with ${state.you.score} points.`
            : `You finished with ${state.you.score} points.`,
        ),
    failed
      ? ''
      : h(
          'p',
          { class: 'muted' },
          `You solved ${solved} of ${state.puzzles.length} puzzles. Answers are closed; the puzzles stay here to look at.`,
        ),
  );
}

export const waitingPanel: Panel = {
  id: 'waiting',
  label: 'Waiting for the start',
  render: renderWaiting,
  phases: ['waiting'],
};
export const resultsPanel: Panel = {
  id: 'results',
  label: 'Final results',
  render: renderResults,
  phases: ['ended'],
  wide: true,
};
