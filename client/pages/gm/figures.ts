/**
 * Live figures. The hunt's own first (players joined, answers and solves a minute, from
 * GET /api/hunts/:id/figures); the server's (connections, event rates, queues, stream lag,
 * config versions) folded away below, for operators. A failed read leaves the last figures up
 * (the offline banner says they are stale) instead of breaking the panel.
 */
import { clear, h } from '../dom.js';
import { api, every } from './session.js';
import type { HuntSection } from './hunt-sections.js';

interface Stats {
  at: number;
  connections: number;
  received: Record<string, number>;
  queues: Record<string, Record<string, number>>;
  streams: { stream: string; lag: number }[];
  nodes: { node: string; roles: string[]; versions: Record<string, number> }[];
}

interface HuntFigures {
  players: number;
  online?: number;
  answersPerMinute: number;
  solvesPerMinute: number;
}

const figure = (label: string, value: string): HTMLElement =>
  h('div', { class: 'figure' }, h('b', {}, value), h('span', { class: 'muted' }, label));

/** The last stats read, per node (a rate needs two reads of the same node). */
let lastStats: { node: string; at: number; received: Record<string, number> } | undefined;

function rate(s: Stats & { node?: string }, t: string): string {
  const prev = lastStats;
  if (!prev || prev.node !== (s.node ?? '')) return '…';
  const seconds = (s.at - prev.at) / 1000;
  const value = ((s.received[t] ?? 0) - (prev.received[t] ?? 0)) / seconds;
  // right after sign-in there is one read only, and a counter may restart with its node
  return seconds > 0.2 && Number.isFinite(value) && value >= 0 ? value.toFixed(1) : '…';
}

export const figuresSection: HuntSection = {
  id: 'figures',
  async render({ id }) {
    const own = h('div', { class: 'figures', id: 'hunt-figures' });
    const server = h('div', { class: 'figures', id: 'figures' });
    const drawOwn = async (): Promise<void> => {
      const f = await api<HuntFigures>('GET', `/api/hunts/${id}/figures`).catch(() => null);
      if (!f) return;
      clear(
        own,
        figure('players joined', String(f.players)),
        figure('online now', String(f.online ?? '…')),
        figure('answers a minute', String(f.answersPerMinute)),
        figure('solves a minute', String(f.solvesPerMinute)),
      );
    };
    const drawServer = async (): Promise<void> => {
      const s = await api<Stats & { node?: string }>('GET', '/api/stats').catch(() => null);
      if (!s) return;
      const events = rate(s, 'move');
      const answers = rate(s, 'answer');
      lastStats = { node: s.node ?? '', at: s.at, received: s.received };
      clear(
        server,
        figure('players connected (this node)', String(s.connections)),
        figure('events/s (this node)', events),
        figure('answers/s (this node)', answers),
        ...Object.entries(s.queues).map(([q, c]) =>
          figure(`${q} queue: waiting / active / failed`, `${c.waiting ?? 0} / ${c.active ?? 0} / ${c.failed ?? 0}`),
        ),
        figure('stream lag', s.streams.map((x) => `${x.stream}:${x.lag}`).join(' ') || '0'),
        figure(
          'config versions per node',
          s.nodes
            .map((n) => `${n.node.slice(5, 9)} r${n.versions.routing ?? '-'} l${n.versions.limits ?? '-'}`)
            .join(' · '),
        ),
      );
    };
    await Promise.all([drawOwn(), drawServer()]);
    every(2000, () => void drawOwn());
    every(2000, () => void drawServer());
    return [
      h('h3', {}, 'This hunt'),
      own,
      h('details', { class: 'server-figures' }, h('summary', {}, 'Server figures'), server),
    ];
  },
};
