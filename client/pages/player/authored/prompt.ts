/** The top of an authored mission: its prompt text (paragraphs kept) and, while open, when it closes. */
import type { PublicPuzzle } from '../../../../protocol/messages.js';
import { h } from '../../dom.js';
import { clock, countdown } from './countdown.js';
import { mission } from './mission.js';

export function promptBlock(p: PublicPuzzle): HTMLElement[] {
  const m = mission(p);
  const out: HTMLElement[] = [];
  if (m.text) out.push(h('p', { class: 'prompt', id: 'prompt' }, m.text));
  if (m.closesAt && !m.closed && !p.solved && m.closesAt > Date.now())
    out.push(
      h('p', { class: 'muted closes' }, `Closes at ${clock(m.closesAt)} (in `, countdown(m.closesAt, 'closes-in'), ')'),
    );
  return out;
}
