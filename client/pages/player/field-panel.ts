/**
 * The player's side of the field: the team (members, the code to share), the game masters'
 * messages as they arrive (with an unread badge), and a help button that writes to the game
 * masters (`{"t":"help"}`, answered `ack`).
 */
import { clear, h, toast } from '../dom.js';
import type { Panel } from './shell.js';
import { state } from './state.js';

const MAX_KEPT = 50;

/** Adds messages (a welcome's, or one as it arrives), keeping each id once, oldest first. */
export function addMessages(list: { id: string; text: string; ts: number; t: 'message' }[], live: boolean): void {
  const known = new Set(state.messages.map((m) => m.id));
  const fresh = list.filter((m) => !known.has(m.id));
  if (fresh.length === 0) return;
  state.messages = [...state.messages, ...fresh].sort((a, b) => a.ts - b.ts).slice(-MAX_KEPT);
  if (live) {
    state.unread += fresh.length;
    for (const m of fresh) toast(`Message: ${m.text}`);
  }
}

async function askForHelp(text: string): Promise<void> {
  const conn = state.conn;
  if (!conn || !text.trim()) return;
  const reply = await conn.request({ t: 'help', id: conn.nextId('help'), text: text.trim() }).catch(() => null);
  if (reply?.t === 'ack') toast('The game masters have your message.', 'good');
  else toast('Your message did not go out; try again when the connection is back.', 'bad');
}

export const fieldPanel: Panel = {
  id: 'field',
  label: 'Team and messages',
  render() {
    const el = document.getElementById('field');
    if (!el) return;
    const team = state.team;
    const teamView = team
      ? h(
          'div',
          { class: 'team-view', id: 'team-view' },
          h('h2', {}, `Team ${team.name}`),
          h('p', {}, 'Code to share: ', h('span', { class: 'code', id: 'team-code' }, team.code)),
          h('ul', { id: 'team-members' }, ...team.members.map((m) => h('li', {}, m.name))),
        )
      : null;
    const badge = h(
      'span',
      { id: 'messages-badge', class: state.unread ? 'badge' : 'badge zero' },
      String(state.unread),
    );
    const list = h(
      'ul',
      { class: 'messages-list', id: 'messages' },
      ...[...state.messages]
        .reverse()
        .map((m) => h('li', {}, h('span', { class: 'muted' }, new Date(m.ts).toLocaleTimeString()), ' ', m.text)),
    );
    const text = h('input', {
      id: 'help-text',
      maxlength: 500,
      placeholder: 'Lost? Tell the game masters',
      'aria-label': 'Message to the game masters',
    });
    const help = h(
      'form',
      {
        id: 'help-form',
        class: 'row',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          void askForHelp(text.value).then(() => (text.value = ''));
        },
      },
      text,
      h('button', { type: 'submit', id: 'help-send' }, 'Help'),
    );
    clear(
      el,
      ...(teamView ? [teamView] : []),
      h(
        'h2',
        {
          onclick: () => {
            state.unread = 0;
            fieldPanel.render();
          },
        },
        'Messages ',
        badge,
      ),
      state.messages.length ? list : h('p', { class: 'muted' }, 'No messages from the game masters yet.'),
      help,
    );
  },
};
