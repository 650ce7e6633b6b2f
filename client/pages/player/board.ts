/** The leaderboard: the top ten and you, and your rank and score above it. */
import { clear, h } from '../dom.js';
import type { Panel } from './shell.js';
import { state } from './state.js';

export function renderBoard(): void {
  const el = document.getElementById('board');
  if (!el) return;
  const me = state.session?.player;
  const rows = [...state.board.values()].sort((a, b) => a.rank - b.rank);
  const top = rows.slice(0, 10);
  const mine = rows.find((r) => r.player === me);
  if (mine && !top.includes(mine)) top.push(mine);
  clear(
    el,
    h('h2', {}, 'Leaderboard'),
    h('p', { class: 'you', id: 'you' }, `You: ${state.you.rank ? `#${state.you.rank}` : '—'} · ${state.you.score} pts`),
    state.notices.length
      ? h('ul', { class: 'notices', id: 'notices' }, ...state.notices.map((n) => h('li', {}, n.text)))
      : '',
    h(
      'table',
      { class: 'board', id: 'leaderboard' },
      h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'Player'), h('th', {}, 'Score'))),
      h(
        'tbody',
        {},
        ...top.map((r) =>
          h(
            'tr',
            { class: r.player === me ? 'me' : '', 'data-player': r.player },
            h('td', {}, String(r.rank)),
            h('td', {}, r.name),
            h('td', { class: 'score' }, String(r.score)),
          ),
        ),
      ),
    ),
  );
}

export const boardPanel: Panel = {
  id: 'board',
  label: 'Leaderboard',
  render: renderBoard,
  phases: ['waiting', 'live', 'paused', 'ended'],
};
