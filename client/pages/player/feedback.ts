/**
 * The line under the puzzle that says how an answer or a hint went; a message about a puzzle
 * not on screen goes to the notice line under the header instead.
 */
import { toast } from '../dom.js';

export function feedback(text: string, kind: 'good' | 'bad' | ''): void {
  const el = document.getElementById('feedback');
  if (el && el.offsetParent !== null) {
    el.textContent = text;
    el.className = kind === 'good' ? 'solved' : kind === 'bad' ? 'error' : 'muted';
  } else toast(text, kind);
}
