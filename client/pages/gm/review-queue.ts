/**
 * The review queue: judged submissions (free text and photos) waiting for a game master, oldest
 * first, refreshed every 2 s. Photos are served to game masters only, so they are fetched with
 * the key and shown as blob URLs (freed when their card goes). Approve gives the mission's
 * points or the number typed; reject sends the reason to the player, who may submit again. A
 * second game master deciding the same one gets "already reviewed". Cards that stay keep what
 * was typed in them across refreshes.
 */
import { HttpError, type HuntHttpClient } from '../../http-client.js';
import { AuthoredApi, type Submission } from '../../authored-client.js';
import { h } from '../dom.js';

export interface ReviewQueue {
  el: HTMLElement;
  /** the pending count, shown beside the heading and given to `onCount` */
  count(): number;
  refresh(): Promise<void>;
  stop(): void;
}

export interface ReviewOptions {
  http: HuntHttpClient;
  hunt: string;
  /** mission titles and points by puzzle id, for the cards */
  missions?: () => Map<string, { title: string; points: number }>;
  onCount?(n: number): void;
  /** a player's display name (submissions carry the player's id) */
  playerName?(player: string): Promise<string | undefined>;
  /** @default 2000 */
  intervalMs?: number;
  /** polls with this (the console's `every`, stopped with the view) instead of its own timer */
  schedule?: (ms: number, fn: () => void) => void;
}

export function reviewQueue(opts: ReviewOptions): ReviewQueue {
  const api = new AuthoredApi(opts.http);
  const badge = h('span', { class: 'pill', id: 'review-count', 'aria-live': 'polite' }, '0');
  const list = h('ul', { class: 'cards review-list', id: 'review-list' });
  const note = h('p', { class: 'muted', id: 'review-note', role: 'status' });
  const el = h(
    'section',
    { class: 'stack review-queue', id: 'review-queue' },
    h('h2', {}, 'Review queue ', badge),
    list,
    note,
  );
  const cards = new Map<string, { li: HTMLElement; photo?: string }>();
  let pending = 0;
  let stopped = false;

  const drop = (sid: string): void => {
    const c = cards.get(sid);
    if (!c) return;
    if (c.photo) URL.revokeObjectURL(c.photo);
    c.li.remove();
    cards.delete(sid);
  };

  const setCount = (n: number): void => {
    pending = n;
    badge.textContent = String(n);
    badge.className = `pill ${n ? 'paused' : ''}`;
    opts.onCount?.(n);
    note.textContent = n ? '' : 'Nothing waits for review.';
  };

  const decide = async (s: Submission, li: HTMLElement, how: 'approve' | 'reject', value: string): Promise<void> => {
    for (const b of li.querySelectorAll('button')) b.disabled = true;
    try {
      if (how === 'approve') await api.approve(opts.hunt, s.id, value === '' ? undefined : Number(value));
      else await api.reject(opts.hunt, s.id, value.trim() || undefined);
      drop(s.id);
      setCount(cards.size);
    } catch (err) {
      if (err instanceof HttpError && err.code === 'ALREADY_REVIEWED') {
        li.replaceChildren(h('p', { class: 'muted' }, 'Another game master already reviewed this one.'));
        setTimeout(() => drop(s.id), 2500);
        return;
      }
      for (const b of li.querySelectorAll('button')) b.disabled = false;
      li.querySelector('.review-error')?.remove();
      li.append(h('p', { class: 'error review-error' }, err instanceof Error ? err.message : String(err)));
    }
  };

  const card = (s: Submission): HTMLElement => {
    const mission = opts.missions?.().get(s.puzzle);
    const points = h('input', {
      type: 'number',
      class: 'narrow r-points',
      min: 0,
      max: 10000,
      placeholder: String(mission?.points ?? ''),
      'aria-label': 'Points to give',
    });
    const reason = h('input', {
      class: 'r-reason',
      maxLength: 200,
      placeholder: 'reason (shown to the player)',
      'aria-label': 'Reason for rejecting',
    });
    const body =
      s.text !== undefined
        ? h('blockquote', { class: 'r-text' }, s.text)
        : h('div', { class: 'r-photo muted' }, 'Loading photo…');
    const by = h(
      'span',
      { class: 'muted r-by' },
      `by ${s.name ?? s.player}${s.team ? ` (team ${s.team})` : ''} · ${when(s.at)}`,
    );
    if (!s.name)
      void opts
        .playerName?.(s.player)
        .then((name) => name && (by.textContent = `by ${name}${s.team ? ` (team ${s.team})` : ''} · ${when(s.at)}`));
    const li = h(
      'li',
      { class: 'review panel', 'data-submission': s.id, 'data-puzzle': s.puzzle },
      h('div', { class: 'row' }, h('b', {}, mission?.title ?? s.puzzle), by),
      body,
      h(
        'div',
        { class: 'row' },
        points,
        h(
          'button',
          { class: 'primary r-approve', onclick: () => void decide(s, li, 'approve', points.value) },
          'Approve',
        ),
      ),
      h(
        'div',
        { class: 'row' },
        reason,
        h('button', { class: 'r-reject', onclick: () => void decide(s, li, 'reject', reason.value) }, 'Reject'),
      ),
    );
    const entry: { li: HTMLElement; photo?: string } = { li };
    if (s.text === undefined) {
      api.photo(opts.hunt, s.id).then(
        (blob) => {
          if (!cards.has(s.id)) return;
          entry.photo = URL.createObjectURL(blob);
          body.replaceWith(
            h(
              'a',
              { href: entry.photo, target: '_blank', rel: 'noopener', class: 'r-photo' },
              h('img', { src: entry.photo, alt: `Photo for ${mission?.title ?? s.puzzle}`, class: 'review-photo' }),
            ),
          );
        },
        () => (body.textContent = 'The photo could not be loaded.'),
      );
    }
    cards.set(s.id, entry);
    return li;
  };

  const refresh = async (): Promise<void> => {
    let subs: Submission[];
    try {
      subs = (await api.submissions(opts.hunt, 'pending')).submissions;
    } catch (err) {
      note.textContent = `Could not load the queue: ${err instanceof Error ? err.message : String(err)}`;
      return;
    }
    if (stopped) return;
    const ids = new Set(subs.map((s) => s.id));
    for (const sid of [...cards.keys()]) if (!ids.has(sid)) drop(sid);
    for (const s of subs) if (!cards.has(s.id)) list.append(card(s));
    setCount(subs.length);
  };

  const ms = opts.intervalMs ?? 2000;
  let timer: ReturnType<typeof setInterval> | undefined;
  if (opts.schedule) opts.schedule(ms, () => void (stopped || !el.isConnected ? undefined : refresh()));
  else timer = setInterval(() => void refresh(), ms);
  void refresh();
  return {
    el,
    count: () => pending,
    refresh,
    stop() {
      stopped = true;
      clearInterval(timer);
      for (const sid of [...cards.keys()]) drop(sid);
    },
  };
}

function when(at: number | string): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
