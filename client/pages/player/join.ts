/** The join form: a hunt code (from the link) and a display name. */
import { clear, h } from '../dom.js';
import { play } from './play.js';
import { params, saveSession } from './state.js';

const app = document.getElementById('app') as HTMLElement;

export function joinView(error = ''): void {
  const code = h('input', { name: 'hunt', required: true, value: params.get('hunt') ?? '', 'aria-label': 'Hunt code', placeholder: 'hunt code' });
  const name = h('input', { name: 'name', required: true, maxLength: 32, 'aria-label': 'Display name', placeholder: 'your name', autocomplete: 'nickname' });
  const form = h(
    'form',
    {
      class: 'stack panel',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void join(code.value.trim(), name.value.trim());
      },
    },
    h('h2', {}, 'Join a treasure hunt'),
    h('label', {}, 'Hunt code', code),
    h('label', {}, 'Display name', name),
    h('button', { class: 'primary', type: 'submit' }, 'Join'),
    error ? h('p', { class: 'error', role: 'alert' }, error) : null,
  );
  clear(app, h('header', { class: 'bar' }, h('h1', {}, 'Treasure hunt')), h('section', { class: 'panel' }, form));
  (params.get('hunt') ? name : code).focus();
}

async function join(hunt: string, name: string): Promise<void> {
  if (!hunt || !name) return joinView('Enter the hunt code and a name.');
  const res = await fetch(`/api/hunts/${encodeURIComponent(hunt)}/players`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  const body = (await res.json()) as { player?: string; token?: string; error?: { message: string } };
  if (!res.ok || !body.player || !body.token) return joinView(body.error?.message ?? 'Could not join.');
  const session = { hunt, player: body.player, token: body.token, name };
  saveSession(session);
  history.replaceState(null, '', `/?hunt=${encodeURIComponent(hunt)}`);
  play(session);
}
