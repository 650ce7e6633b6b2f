/**
 * The selected hunt: its title and status, then every section of `HUNT_SECTIONS` in order, and
 * its leaderboard in the side panel. Sections poll through `every` and stop with the view.
 */
import { clear, h } from '../dom.js';
import { renderBoard } from './board.js';
import { HUNT_SECTIONS, type HuntContext, type HuntView } from './hunt-sections.js';
import { renderHunts } from './hunt-list.js';
import { api, session, stopTimers } from './session.js';

export async function showHunt(id: string): Promise<void> {
  stopTimers();
  session.current = id;
  const el = document.getElementById('hunt');
  const side = document.getElementById('side');
  if (!el || !side) return;
  const view = await api<HuntView>('GET', `/api/hunts/${id}`);
  const ctx: HuntContext = {
    id,
    view,
    link: `${location.origin}/?hunt=${encodeURIComponent(id)}`,
    refresh: () => {
      void showHunt(id);
      void renderHunts();
    },
  };
  const sections = await Promise.all(
    HUNT_SECTIONS.map(async (s) => h('div', { class: 'hunt-section', 'data-section': s.id }, ...(await s.render(ctx)))),
  );
  clear(
    el,
    h('h2', {}, view.name, ' ', h('span', { class: `pill ${view.status}`, id: 'status' }, view.status)),
    ...sections,
  );
  await renderBoard(side, id);
}
