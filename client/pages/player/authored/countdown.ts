/** A live "in 4:05" that ticks each second until its time, then calls `done` once. */
import { h } from '../../dom.js';

export function until(at: number, now = Date.now()): string {
  const s = Math.max(0, Math.ceil((at - now) / 1000));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  return hh
    ? `${hh}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`
    : `${mm}:${String(ss).padStart(2, '0')}`;
}

export function clock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** A span that counts down to `at`; stops by itself once it leaves the page. */
export function countdown(at: number, cls: string, done?: () => void): HTMLElement {
  const el = h('span', { class: `countdown ${cls}`, 'data-at': at }, until(at));
  const timer = setInterval(() => {
    if (!el.isConnected && el.dataset.shown) return clearInterval(timer);
    if (el.isConnected) el.dataset.shown = '1';
    el.textContent = until(at);
    if (Date.now() >= at) {
      clearInterval(timer);
      done?.();
    }
  }, 1000);
  return el;
}
