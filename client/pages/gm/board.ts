/** The selected hunt's leaderboard in the side panel, refreshed every second. */
import type { LeaderboardEntry } from '../../../protocol/messages.js';
import { clear, h } from '../dom.js';
import { api, every } from './session.js';

export async function renderBoard(side: HTMLElement, id: string): Promise<void> {
  const draw = async (): Promise<void> => {
    const { entries } = await api<{ entries: LeaderboardEntry[] }>('GET', `/api/hunts/${id}/leaderboard?limit=20`);
    clear(side, h('h2', {}, 'Leaderboard'), h('table', { class: 'board', id: 'leaderboard' }, h('tbody', {}, ...entries.map((e) => h('tr', {}, h('td', {}, String(e.rank)), h('td', {}, e.name), h('td', {}, String(e.score)))))));
  };
  await draw();
  every(1000, () => void draw());
}
