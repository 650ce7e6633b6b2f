/** The line under the puzzle that says how an answer or a hint went. */
import { toast } from '../dom.js';

export function feedback(text: string, kind: 'good' | 'bad'): void {
  const el = document.getElementById('feedback');
  if (el) {
    el.textContent = text;
    el.className = kind === 'good' ? 'solved' : 'error';
  }
  toast(text, kind);
}
