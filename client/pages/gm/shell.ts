/** The console's frame: a header with one button per tab and sign-out, and the shown tab below. */
import { byId, clear, h } from '../dom.js';
import { signIn } from './sign-in.js';
import { session, signOut, stopTimers, whoAmI } from './session.js';
import { TABS } from './tabs.js';

const app = byId('app', HTMLElement);

export async function showTab(id = 'hunts'): Promise<void> {
  stopTimers();
  const me = session.me ?? (await whoAmI());
  // a game-master key sees only the tabs it may use
  const tabs = TABS.filter((t) => !t.adminOnly || me.role === 'admin');
  const tab = tabs.find((t) => t.id === id) ?? tabs[0]!;
  const main = h('div', { id: `tab-${tab.id}` });
  const nav = tabs
    .filter((t) => t.id !== tab.id)
    .map((t) => h('button', { 'data-tab': t.id, onclick: () => void showTab(t.id) }, t.label));
  const who = h('span', { class: 'muted', id: 'signed-in-as' }, me.role === 'admin' ? 'admin' : me.name);
  clear(
    app,
    h(
      'header',
      { class: 'bar' },
      h('h1', {}, tab.title),
      h(
        'nav',
        { class: 'row' },
        ...nav,
        who,
        h(
          'button',
          {
            onclick: () => {
              signOut();
              showSignIn();
            },
          },
          'Sign out',
        ),
      ),
    ),
    main,
  );
  await tab.render(main);
}

export function showSignIn(error = ''): void {
  signIn(app, () => void showTab(), error);
}
