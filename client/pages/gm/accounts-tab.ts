/**
 * The admin's Accounts tab: create a game-master account (its key is shown here once, never
 * again), list the accounts, delete one (its key stops working at once).
 */
import { HttpError } from '../../http-client.js';
import { clear, h, toast } from '../dom.js';
import { api } from './session.js';
import type { ConsoleTab } from './tabs.js';

interface Account {
  id: string;
  name: string;
  createdAt: string;
}

export const accountsTab: ConsoleTab = {
  id: 'accounts',
  label: 'Accounts',
  title: 'Game-master accounts',
  adminOnly: true,
  render: (main) => accountsView(main),
};

/** The one place a new key is shown: with a copy button, and gone once the tab is left. */
function keyOnce(made: Account & { key: string }): HTMLElement {
  const field = h('input', { id: 'new-gm-key', readonly: true, value: made.key, 'aria-label': `Key of ${made.name}` });
  return h(
    'div',
    { class: 'stack key-once', role: 'status' },
    h(
      'p',
      {},
      h('b', {}, `${made.name}'s key`),
      ' — copy it now and hand it over privately: it is shown this once and kept only as a hash.',
    ),
    h(
      'div',
      { class: 'row' },
      field,
      h(
        'button',
        {
          onclick: () =>
            void navigator.clipboard?.writeText(made.key).then(
              () => toast('Key copied.', 'good'),
              () => field.select(),
            ),
        },
        'Copy',
      ),
    ),
  );
}

async function accountsView(main: HTMLElement, made?: Account & { key: string }): Promise<void> {
  const { gms } = await api<{ gms: Account[] }>('GET', '/api/gms');
  const name = h('input', {
    id: 'gm-name',
    'aria-label': 'Name of the new account',
    placeholder: 'name',
    maxlength: 64,
    required: true,
  });
  const message = h('div', { role: 'status' });
  const create = h('button', { class: 'primary', type: 'submit' }, 'Create account');
  const form = h(
    'form',
    {
      class: 'stack',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        create.disabled = true;
        try {
          const out = await api<Account & { key: string }>('POST', '/api/gms', { name: name.value.trim() });
          await accountsView(main, out);
        } catch (err) {
          create.disabled = false;
          clear(message, h('p', { class: 'error' }, err instanceof HttpError ? err.message : String(err)));
        }
      },
    },
    h('h2', {}, 'New account'),
    h('label', {}, 'Name', name),
    create,
    message,
  );
  const remove = async (a: Account): Promise<void> => {
    if (
      !confirm(
        `Delete ${a.name}'s account? Its key stops working at once; the hunts it created stay, run by the admin.`,
      )
    )
      return;
    try {
      await api('DELETE', `/api/gms/${encodeURIComponent(a.id)}`);
      toast(`${a.name}'s account is deleted.`, 'good');
    } catch (err) {
      toast(err instanceof HttpError ? err.message : String(err), 'bad');
    }
    await accountsView(main);
  };
  const rows = gms.map((a) =>
    h(
      'tr',
      { 'data-gm': a.id },
      h('td', {}, a.name),
      h('td', { class: 'muted' }, a.id),
      h('td', { class: 'muted' }, new Date(a.createdAt).toLocaleString()),
      h('td', {}, h('button', { 'aria-label': `Delete ${a.name}`, onclick: () => void remove(a) }, 'Delete')),
    ),
  );
  clear(
    main,
    h('section', { class: 'panel wide' }, form, made ? keyOnce(made) : ''),
    h(
      'section',
      { class: 'panel wide' },
      h('h2', {}, 'Accounts'),
      h(
        'p',
        { class: 'muted' },
        'Each account sees and runs the hunts it created or was added to, and no other. Only the admin key sees this tab, the configs and every hunt.',
      ),
      gms.length
        ? h(
            'table',
            { class: 'board', id: 'gm-list' },
            h('tr', {}, h('th', {}, 'name'), h('th', {}, 'id'), h('th', {}, 'created'), h('th', {}, '')),
            ...rows,
          )
        : h('p', { class: 'muted', id: 'gm-list' }, 'No accounts yet.'),
    ),
  );
  if (!made) name.focus();
}
