/**
 * The player app's frame: the header, then the panels of `PANELS` side by side (stacked on a
 * phone). To add a panel (a map, an inbox), write a file exporting a `Panel` and list it here.
 */
import { clear, h } from '../dom.js';
import { boardPanel } from './board.js';
import { renderHeader } from './header.js';
import { detailPanel } from './puzzle-view.js';
import { listPanel } from './puzzle-list.js';

export interface Panel {
  /** the section's id; `render` finds it with document.getElementById */
  id: string;
  label: string;
  render(): void;
}

export const PANELS: Panel[] = [listPanel, detailPanel, boardPanel];

const app = document.getElementById('app') as HTMLElement;

export function renderShell(): void {
  clear(app, h('header', { class: 'bar', id: 'bar' }), h('div', { class: 'layout' }, ...PANELS.map((p) => h('section', { class: 'panel', id: p.id, 'aria-label': p.label }))));
}

export function renderAll(): void {
  if (!document.getElementById('bar')) renderShell();
  renderHeader();
  for (const p of PANELS) p.render();
}
