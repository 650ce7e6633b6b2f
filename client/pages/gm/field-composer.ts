/**
 * The message composer: to everyone, a team or a player, now or at a time. Other parts of the
 * field (a marker, the people list, a help request) point it at a recipient with `to`.
 */
import { h, toast } from '../dom.js';
import { api } from './session.js';

export type Recipient =
  { kind: 'all' } | { kind: 'team'; id: string; name: string } | { kind: 'player'; id: string; name: string };

export interface Composer {
  el: HTMLElement;
  /** points the composer at a recipient and focuses the text */
  to(r: Recipient): void;
}

export function createComposer(hunt: string, onSent: () => void): Composer {
  let recipient: Recipient = { kind: 'all' };
  const label = h('span', { id: 'composer-to', class: 'muted' }, 'To: everyone');
  const reset = h(
    'button',
    { type: 'button', class: 'small', id: 'composer-all', onclick: () => set({ kind: 'all' }) },
    'Everyone',
  );
  const text = h('textarea', {
    id: 'composer-text',
    rows: 2,
    maxlength: 1000,
    placeholder: 'Message to players',
    'aria-label': 'Message text',
  });
  const when = h('input', {
    id: 'composer-at',
    type: 'datetime-local',
    'aria-label': 'Send at (leave empty to send now)',
  });
  const set = (r: Recipient): void => {
    recipient = r;
    label.textContent = r.kind === 'all' ? 'To: everyone' : `To ${r.kind}: ${r.name}`;
  };
  const form = h(
    'form',
    {
      id: 'composer',
      class: 'stack',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const body: { text: string; to?: { team: string } | { player: string }; at?: string } = {
          text: text.value.trim(),
        };
        if (!body.text) return toast('Write a message first.', 'bad');
        if (recipient.kind === 'team') body.to = { team: recipient.id };
        if (recipient.kind === 'player') body.to = { player: recipient.id };
        if (when.value) body.at = new Date(when.value).toISOString();
        try {
          const sent = await api<{ id: string; status: string; at: string }>(
            'POST',
            `/api/hunts/${hunt}/messages`,
            body,
          );
          toast(sent.status === 'scheduled' ? `Scheduled for ${new Date(sent.at).toLocaleString()}.` : 'Sent.', 'good');
          text.value = '';
          when.value = '';
          onSent();
        } catch (err) {
          toast(`Not sent: ${err instanceof Error ? err.message : String(err)}`, 'bad');
        }
      },
    },
    h('div', { class: 'row' }, label, reset),
    text,
    h(
      'div',
      { class: 'row' },
      h('label', {}, 'Send at ', when),
      h('button', { type: 'submit', id: 'composer-send' }, 'Send'),
    ),
  );
  return {
    el: form,
    to(r) {
      set(r);
      text.focus();
    },
  };
}
