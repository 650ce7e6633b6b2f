/**
 * The player app's frame: the header, then the panels of `PANELS` that belong to the hunt's
 * phase, side by side (stacked on a phone). To add a panel (a map, an inbox), write a file
 * exporting a `Panel` and list it here.
 */
import { byId, clear, h } from '../dom.js';
import { boardPanel } from './board.js';
import { fieldPanel } from './field-panel.js';
import { renderHeader } from './header.js';
import { resultsPanel, waitingPanel } from './phases.js';
import { detailPanel } from './puzzle-view.js';
import { listPanel } from './puzzle-list.js';
import { phase, type Phase } from './state.js';

export interface Panel {
  /** the section's id; `render` finds it with document.getElementById */
  id: string;
  label: string;
  render(): void;
  /** the phases it shows in; default: every phase but waiting */
  phases?: Phase[];
  /** across the whole width, above the columns */
  wide?: boolean;
}

export const PANELS: Panel[] = [waitingPanel, resultsPanel, listPanel, detailPanel, boardPanel, fieldPanel];

const app = byId('app', HTMLElement);
const PLAYING: Phase[] = ['live', 'paused', 'ended'];

function shown(): Panel[] {
  const now = phase();
  return PANELS.filter((p) => (p.phases ?? PLAYING).includes(now));
}

export function renderShell(): void {
  const panels = shown();
  const section = (p: Panel): HTMLElement =>
    h('section', { class: p.wide ? 'panel wide' : 'panel', id: p.id, 'aria-label': p.label });
  clear(
    app,
    h('header', { class: 'bar', id: 'bar' }),
    h('div', { id: 'toasts', role: 'status', 'aria-live': 'polite' }),
    ...panels.filter((p) => p.wide).map(section),
    h('div', { class: 'layout', 'data-phase': phase() }, ...panels.filter((p) => !p.wide).map(section)),
  );
}

export function renderAll(): void {
  const layout = document.querySelector<HTMLElement>('.layout[data-phase]');
  // a new phase brings other panels (the waiting screen, the results)
  if (!document.getElementById('bar') || layout?.dataset.phase !== phase()) renderShell();
  renderHeader();
  for (const p of shown()) p.render();
}
