/**
 * The field, as a game master runs a hunt: a live map (puzzle places with their radius, players
 * or teams as markers refreshed every 2 s, online or not; a click on one messages it), the
 * players and teams (search, message, adjust, remove), the help inbox with its unread count,
 * live from the hunt's stream, and the message composer.
 */
import type { MessageLogEntry, PlayerPosition, TeamSummary } from '../../../protocol/field.js';
import { createHuntMap } from '../map.js';
import { isRecord } from '../../../protocol/input.js';
import { clear, h, toast } from '../dom.js';
import { createComposer, type Composer, type Recipient } from './field-composer.js';
import { followLive } from './field-live.js';
import type { HuntSection } from './hunt-sections.js';
import { api, every } from './session.js';

interface Located {
  id: string;
  title?: string;
  type: string;
  location?: { lat: number; lng: number; radius: number };
}

const ONLINE = '#3fb950';
const OFFLINE = '#8b949e';
const PLACE = '#f2b134';

/** Stops the live stream of the field shown last (one field at a time). */
let stopLive: (() => void) | undefined;

function inbox(hunt: string, composer: Composer): { el: HTMLElement; badge: HTMLElement } {
  const list = h('ul', { id: 'help-inbox', class: 'inbox' });
  const badge = h('span', { id: 'help-unread', class: 'badge' }, '0');
  const entries = new Map<string, MessageLogEntry>();
  const stored: unknown = JSON.parse(sessionStorage.getItem(`help-read:${hunt}`) ?? '[]');
  const read = new Set(Array.isArray(stored) ? stored.filter((x): x is string => typeof x === 'string') : []);
  const draw = (): void => {
    const helps = [...entries.values()]
      .filter((e): e is Extract<MessageLogEntry, { kind: 'help' }> => e.kind === 'help')
      .reverse();
    const unread = helps.filter((e) => !read.has(e.id)).length;
    badge.textContent = String(unread);
    badge.classList.toggle('zero', unread === 0);
    clear(
      list,
      ...(helps.length === 0
        ? [h('li', { class: 'muted' }, 'No help requests yet.')]
        : helps.map((e) =>
            h(
              'li',
              { class: read.has(e.id) ? 'read' : 'unread', 'data-help': e.id },
              h('b', {}, e.from.name),
              ` ${new Date(e.at).toLocaleTimeString()}: `,
              e.text,
              ' ',
              h(
                'button',
                {
                  class: 'small',
                  onclick: () => {
                    read.add(e.id);
                    sessionStorage.setItem(`help-read:${hunt}`, JSON.stringify([...read]));
                    composer.to({ kind: 'player', id: e.from.player, name: e.from.name });
                    draw();
                  },
                },
                'Reply',
              ),
            ),
          )),
    );
  };
  const load = async (): Promise<void> => {
    const { messages } = await api<{ messages: MessageLogEntry[] }>('GET', `/api/hunts/${hunt}/messages`).catch(
      (): { messages: MessageLogEntry[] } => ({ messages: [] }),
    );
    for (const m of messages) entries.set(m.id, m);
    draw();
  };
  stopLive?.();
  stopLive = followLive(hunt, {
    onReady: () => void load(),
    onEvent: (kind, data) => {
      const e = kind === 'help' ? helpEntry(data) : null;
      if (!e) return;
      entries.set(e.id, e);
      draw();
      toast(`Help from ${e.from.name}: ${e.text}`);
    },
  });
  draw();
  return { el: list, badge };
}

function people(
  hunt: string,
  composer: Composer,
  isTeamHunt: boolean,
): { el: HTMLElement; update(positions: PlayerPosition[], online: string[]): void } {
  const search = h('input', {
    id: 'people-search',
    type: 'search',
    placeholder: 'Search players and teams',
    'aria-label': 'Search players and teams',
  });
  const table = h('table', { id: 'people', class: 'people' });
  let positions: PlayerPosition[] = [];
  let onlineNow = new Set<string>();
  let teams: TeamSummary[] = [];
  const adjust = async (id: string, name: string): Promise<void> => {
    const points = Number(prompt(`Points for ${name} (negative to take away)`, '10'));
    if (!Number.isInteger(points) || points === 0) return;
    const reason = prompt('Reason (shown in the export)', 'game master') ?? '';
    if (!reason.trim()) return;
    const { score } = await api<{ score: number }>(
      'POST',
      `/api/hunts/${hunt}/players/${encodeURIComponent(id)}/adjust`,
      { points, reason: reason.trim() },
    );
    toast(`${name}: now ${score}.`, 'good');
  };
  const remove = async (id: string, name: string): Promise<void> => {
    if (!confirm(`Remove ${name} from the hunt?`)) return;
    await api('DELETE', `/api/hunts/${hunt}/players/${encodeURIComponent(id)}`);
    toast(`${name} was removed.`, 'good');
  };
  const row = (r: Recipient & { kind: 'team' | 'player' }, detail: string, online: boolean | null): HTMLElement =>
    h(
      'tr',
      { 'data-id': r.id },
      h(
        'td',
        {},
        h('span', { class: `dot ${online ? 'on' : 'off'}`, title: online ? 'online' : 'offline' }),
        ' ',
        r.name,
      ),
      h('td', { class: 'muted' }, detail),
      h(
        'td',
        {},
        h('button', { class: 'small', onclick: () => composer.to(r) }, 'Message'),
        ' ',
        h(
          'button',
          {
            class: 'small',
            onclick: () => void adjust(r.id, r.name).catch((err: unknown) => toast(String(err), 'bad')),
          },
          'Adjust',
        ),
        r.kind === 'player' ? ' ' : '',
        r.kind === 'player'
          ? h(
              'button',
              {
                class: 'small danger',
                onclick: () => void remove(r.id, r.name).catch((err: unknown) => toast(String(err), 'bad')),
              },
              'Remove',
            )
          : '',
      ),
    );
  const draw = (): void => {
    const q = search.value.trim().toLowerCase();
    const online = onlineNow;
    const rows: HTMLElement[] = [];
    if (isTeamHunt) {
      for (const t of teams) {
        const names = t.members.map((m) => m.name);
        if (q && !t.name.toLowerCase().includes(q) && !names.some((n) => n.toLowerCase().includes(q))) continue;
        rows.push(
          row(
            { kind: 'team', id: t.id, name: t.name },
            `${t.score} points · ${names.join(', ')}`,
            t.members.some((m) => online.has(m.player)),
          ),
        );
        for (const m of t.members)
          if (!q || m.name.toLowerCase().includes(q))
            rows.push(row({ kind: 'player', id: m.player, name: m.name }, `in ${t.name}`, online.has(m.player)));
      }
    } else {
      for (const p of positions)
        if (!q || p.name.toLowerCase().includes(q))
          rows.push(
            row(
              { kind: 'player', id: p.player, name: p.name },
              `last seen ${new Date(p.at).toLocaleTimeString()}`,
              p.online,
            ),
          );
    }
    clear(
      table,
      ...(rows.length
        ? rows
        : [h('tr', {}, h('td', { class: 'muted' }, 'Nobody in the field yet (players appear once they move).'))]),
    );
  };
  search.addEventListener('input', draw);
  return {
    el: h('div', { class: 'stack' }, search, table),
    update(next, online) {
      positions = next;
      onlineNow = new Set(online);
      if (!isTeamHunt) return draw();
      void api<{ teams: TeamSummary[] }>('GET', `/api/hunts/${hunt}/teams`)
        .then((r) => {
          teams = r.teams;
          draw();
        })
        .catch(() => undefined);
    },
  };
}

export const fieldSection: HuntSection = {
  id: 'field',
  async render({ id, view }) {
    const full = await api<{ puzzles: Located[]; teams?: { maxSize: number } | null }>('GET', `/api/hunts/${id}`);
    const isTeamHunt = Boolean(full.teams);
    const refreshLog = (): void => undefined;
    const composer = createComposer(id, refreshLog);
    const map = createHuntMap({ id: 'field-map', className: 'field-map' });
    for (const p of full.puzzles)
      if (p.location)
        map.mark(`puzzle:${p.id}`, p.location, { radius: p.location.radius, label: p.title ?? p.id, color: PLACE });
    requestAnimationFrame(() => {
      map.map.invalidateSize();
      map.fit();
    });
    const box = inbox(id, composer);
    const list = people(id, composer, isTeamHunt);
    const shown = new Set<string>();
    let fitted = false;
    let last: PlayerPosition[] = [];
    const refresh = async (): Promise<void> => {
      const read = await api<{ players: PlayerPosition[]; online?: string[] }>(
        'GET',
        `/api/hunts/${id}/positions`,
      ).catch(() => null);
      if (!read) return;
      const { players } = read;
      last = players;
      const now = new Set<string>();
      for (const p of players) {
        const key = `player:${p.player}`;
        now.add(key);
        map.mark(key, p, {
          label: `${p.name}${p.team ? ` (team)` : ''} · ${p.online ? 'online' : 'offline'}`,
          color: p.online ? ONLINE : OFFLINE,
        });
      }
      for (const key of shown) if (!now.has(key)) map.unmark(key);
      shown.clear();
      for (const k of now) shown.add(k);
      map.el.dataset.markers = String(players.length);
      if (!fitted && players.length) {
        // measured again first: the section may have been laid out after the map was made
        map.map.invalidateSize();
        map.fit();
        fitted = true;
      }
      list.update(players, read.online ?? players.filter((p) => p.online).map((p) => p.player));
    };
    // a click on a player's marker messages that player (the nearest within a few pixels)
    const pick = (at: { lat: number; lng: number }): void => {
      const near = last
        .map((p) => ({
          p,
          d: map.map
            .latLngToContainerPoint([p.lat, p.lng])
            .distanceTo(map.map.latLngToContainerPoint([at.lat, at.lng])),
        }))
        .sort((a, b) => a.d - b.d)[0];
      if (near && near.d < 16)
        composer.to(
          near.p.team && isTeamHunt
            ? { kind: 'team', id: near.p.team, name: near.p.name }
            : { kind: 'player', id: near.p.player, name: near.p.name },
        );
    };
    map.map.on('click', (ev: { latlng: { lat: number; lng: number } }) => pick(ev.latlng));
    void refresh();
    every(2000, () => void refresh());
    void view;
    return [
      h('h3', {}, 'The field'),
      map.el,
      h(
        'div',
        { class: 'field-grid' },
        h('section', {}, h('h4', {}, 'Help requests ', box.badge), box.el),
        h('section', {}, h('h4', {}, 'Message'), composer.el),
      ),
      h('h4', {}, isTeamHunt ? 'Teams and players' : 'Players'),
      list.el,
    ];
  },
};

/** A player's call for help as the live stream sends it (`at` in ms or ISO), or null when it is not one. */
function helpEntry(data: unknown): Extract<MessageLogEntry, { kind: 'help' }> | null {
  if (!isRecord(data) || typeof data.id !== 'string' || typeof data.text !== 'string') return null;
  const { from, at } = data;
  if (!isRecord(from) || typeof from.player !== 'string' || typeof from.name !== 'string') return null;
  if (typeof at !== 'number' && typeof at !== 'string') return null;
  const when = new Date(at);
  if (Number.isNaN(when.getTime())) return null;
  return {
    id: data.id,
    kind: 'help',
    from: { player: from.player, name: from.name },
    text: data.text,
    at: when.toISOString(),
  };
}
