/** The console's sign-in form: the key is checked against the API before it is kept. */
import { clear, h } from '../dom.js';
import { session, stopTimers, whoAmI } from './session.js';

export function signIn(app: HTMLElement, onSignedIn: () => void, error = ''): void {
  stopTimers();
  const input = h('input', {
    type: 'password',
    id: 'gm-key',
    'aria-label': 'Game master key',
    placeholder: 'admin or game-master key',
    autocomplete: 'current-password',
  });
  clear(
    app,
    h('header', { class: 'bar' }, h('h1', {}, 'Game master console')),
    h(
      'form',
      {
        class: 'panel stack',
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          session.key = input.value.trim();
          try {
            await whoAmI();
            sessionStorage.setItem('gm-key', session.key);
            onSignedIn();
          } catch {
            signIn(app, onSignedIn, 'That key is not valid.');
          }
        },
      },
      h('h2', {}, 'Sign in'),
      h('label', {}, 'Key', input),
      h('button', { class: 'primary', type: 'submit' }, 'Sign in'),
      error ? h('p', { class: 'error', role: 'alert' }, error) : '',
    ),
  );
  input.focus();
}
