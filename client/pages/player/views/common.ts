/** What the puzzle views share: the submit button row, arrow keys, the missing-cells note. */
import type { PublicPuzzle } from '../../../../protocol/messages.js';
import { h } from '../../dom.js';

export type Submit = (answer: string) => void;

/** Builds the view of one puzzle; `submit` sends an answer in the contract's form. */
export type PuzzleView = (puzzle: PublicPuzzle, submit: Submit) => HTMLElement;

export function submitRow(label: string, onclick: () => void, solved: boolean): HTMLElement {
  return h('div', { class: 'row' }, h('button', { class: 'primary', id: 'submit', disabled: solved, onclick }, label));
}

export function alertMissing(): void {
  const fb = document.getElementById('feedback');
  if (fb) {
    fb.textContent = 'Fill every cell first.';
    fb.className = 'error';
  }
}

/** True while the view sits in a disabled frame (the hunt paused or over): keys do nothing. */
export function frozen(el: HTMLElement): boolean {
  return el.closest('fieldset')?.disabled === true;
}

const KEY_DIR: Record<string, string> = { ArrowUp: 'U', ArrowDown: 'D', ArrowLeft: 'L', ArrowRight: 'R' };

/** Arrow keys on a focused board call `move` with U, D, L or R. */
export function onArrows(el: HTMLElement, move: (dir: string) => void): void {
  el.addEventListener('keydown', (ev) => {
    const d = KEY_DIR[ev.key];
    if (!d) return;
    ev.preventDefault();
    move(d);
  });
}
