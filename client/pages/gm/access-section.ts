/**
 * Who may join and who runs the hunt: its `maxPlayers` and `passcode` (PATCH /api/hunts/:id),
 * and its co-GMs (POST /api/hunts/:id/gms), which only the owner or the admin may add.
 */
import { HttpError } from '../../http-client.js';
import { h, toast } from '../dom.js';
import type { HuntContext, HuntSection } from './hunt-sections.js';
import { api, session } from './session.js';

async function save(ctx: HuntContext, body: Record<string, unknown>, done: string): Promise<void> {
  try {
    await api('PATCH', `/api/hunts/${encodeURIComponent(ctx.id)}`, body);
    toast(done, 'good');
    ctx.refresh();
  } catch (err) {
    toast(err instanceof HttpError ? err.message : String(err), 'bad');
  }
}

export const accessSection: HuntSection = {
  id: 'access',
  render: async (ctx) => {
    const v = ctx.view;
    const max = h('input', {
      id: 'max-players',
      type: 'number',
      min: 1,
      max: 1_000_000,
      value: v.maxPlayers ?? 10_000,
      'aria-label': 'Most players',
      style: 'width:7em',
    });
    const pass = h('input', {
      id: 'hunt-passcode',
      maxlength: 64,
      value: v.passcode ?? '',
      'aria-label': 'Passcode',
      placeholder: 'none',
      autocomplete: 'off',
    });
    const joining = h(
      'form',
      {
        class: 'row',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          void save(
            ctx,
            { maxPlayers: Number(max.value), passcode: pass.value.trim() || null },
            'Joining settings saved.',
          );
        },
      },
      h('label', {}, 'Most players ', max),
      h('label', {}, 'Passcode ', pass),
      h('button', { type: 'submit', id: 'save-access' }, 'Save'),
    );
    const me = session.me;
    const mayShare = me?.role === 'admin' || (me?.role === 'gm' && v.owner === me.id);
    const nodes: (Node | string)[] = [
      h('h3', {}, 'Joining'),
      joining,
      h(
        'p',
        { class: 'muted' },
        'Players type the passcode when they join; game masters and their tools join without it.',
      ),
    ];
    if (!mayShare) return nodes;
    const { gms } = await api<{ gms: string[] }>('GET', `/api/hunts/${encodeURIComponent(ctx.id)}/gms`);
    const accounts =
      me?.role === 'admin' ? (await api<{ gms: { id: string; name: string }[] }>('GET', '/api/gms')).gms : [];
    const named = (id: string): string => accounts.find((a) => a.id === id)?.name ?? id;
    const who = accounts.length
      ? h(
          'select',
          { id: 'co-gm', 'aria-label': 'Account' },
          ...accounts
            .filter((a) => a.id !== v.owner && !gms.includes(a.id))
            .map((a) => h('option', { value: a.id }, a.name)),
        )
      : h('input', { id: 'co-gm', 'aria-label': 'Account id', placeholder: 'account id' });
    const share = h(
      'form',
      {
        class: 'row',
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          try {
            await api('POST', `/api/hunts/${encodeURIComponent(ctx.id)}/gms`, { gm: who.value.trim() });
            toast('Added: that account runs this hunt too.', 'good');
            ctx.refresh();
          } catch (err) {
            toast(err instanceof HttpError ? err.message : String(err), 'bad');
          }
        },
      },
      who,
      h('button', { type: 'submit' }, 'Add co-GM'),
    );
    nodes.push(
      h('h3', {}, 'Game masters'),
      h(
        'p',
        { class: 'muted', id: 'co-gms' },
        gms.length ? `Also run by: ${gms.map(named).join(', ')}` : 'Only its owner and the admin run it.',
      ),
      share,
    );
    return nodes;
  },
};
