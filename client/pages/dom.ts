/** A tiny DOM helper shared by the pages: h('button', { onclick }, 'text'). */
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = String(v);
    // through the CSSOM, which a Content-Security-Policy without 'unsafe-inline' styles allows
    else if (k === 'style') el.style.cssText = String(v);
    else if (k in el && typeof v !== 'string') Reflect.set(el, k, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/**
 * The element with this id, checked to be of `type`: a page whose markup lacks it (or has
 * another element there) fails at once with the id named, instead of later on a property.
 */
export function byId<T extends HTMLElement>(id: string, type: { new (): T; prototype: T }): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`#${id}: expected ${type.name}, found ${el ? el.tagName : 'nothing'}`);
  return el;
}

export function clear(el: Element, ...children: (Node | string)[]): void {
  el.replaceChildren(...children);
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;
/**
 * A short message for what has no inline place of its own. It sits in the page's flow under
 * the header (`#toasts`), so it never covers the board; screen readers hear it.
 */
export function toast(text: string, kind: 'good' | 'bad' | '' = ''): void {
  let region = document.getElementById('toasts');
  if (!region) {
    region = h('div', { id: 'toasts', role: 'status', 'aria-live': 'polite' });
    const header = document.querySelector('header.bar');
    if (header) header.after(region);
    else document.getElementById('app')?.prepend(region);
  }
  const el = h('div', { class: `toast ${kind}` }, text);
  region.replaceChildren(el);
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.remove(), 6000);
}

/** Friendly words for the contract's error codes. */
export const ERROR_TEXT: Record<string, string> = {
  HUNT_NOT_LIVE: 'The hunt is not live right now (paused or not started). Your answer was not counted.',
  ALREADY_SOLVED: 'You already solved this one.',
  NO_MORE_HINTS: 'No hints left for this puzzle.',
  PUZZLE_LOCKED: 'Get to the puzzle location to unlock it first.',
  ANSWER_COOLDOWN: 'Take a breath: wait a moment after a wrong answer.',
  TOO_MANY_ATTEMPTS: 'Too many tries on this puzzle; wait a minute.',
  RATE_LIMITED: 'Slow down a little.',
  VERIFICATION_FAILED: 'That answer could not be checked; please send it again.',
};
