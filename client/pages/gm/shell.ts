/** The console's frame: a header with one button per tab and sign-out, and the shown tab below. */
import { clear, h } from '../dom.js';
import { signIn } from './sign-in.js';
import { signOut, stopTimers } from './session.js';
import { TABS } from './tabs.js';

const app = document.getElementById('app') as HTMLElement;

export async function showTab(id = 'hunts'): Promise<void> {
  stopTimers();
  const tab = TABS.find((t) => t.id === id) ?? TABS[0]!;
  const main = h('div', { id: `tab-${tab.id}` });
  const nav = TABS.filter((t) => t.id !== tab.id).map((t) => h('button', { 'data-tab': t.id, onclick: () => void showTab(t.id) }, t.label));
  clear(
    app,
    h('header', { class: 'bar' }, h('h1', {}, tab.title), h('nav', { class: 'row' }, ...nav, h('button', { onclick: () => { signOut(); showSignIn(); } }, 'Sign out'))),
    main,
  );
  await tab.render(main);
}

export function showSignIn(error = ''): void {
  signIn(app, () => void showTab(), error);
}
