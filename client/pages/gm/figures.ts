/** Live figures: connections, event and answer rates, queues, stream lag, config versions. */
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

let lastStats: { at: number; received: Record<string, number> } | undefined;

export const figuresSection: HuntSection = {
  id: 'figures',
  async render() {
    const figures = h('div', { class: 'figures', id: 'figures' });
    const stats = async (): Promise<void> => {
      const s = await api<Stats>('GET', '/api/stats');
      const prev = lastStats;
      const rate = (t: string): string => {
        const seconds = prev ? (s.at - prev.at) / 1000 : 0;
        return prev && seconds > 0.2 ? (((s.received[t] ?? 0) - (prev.received[t] ?? 0)) / seconds).toFixed(1) : '…';
      };
      lastStats = { at: s.at, received: s.received };
      const figure = (label: string, value: string): HTMLElement => h('div', { class: 'figure' }, h('b', {}, value), h('span', { class: 'muted' }, label));
      clear(
        figures,
        figure('players connected (this node)', String(s.connections)),
        figure('events/s', rate('move')),
        figure('answers/s', rate('answer')),
        ...Object.entries(s.queues).map(([q, c]) => figure(`${q} queue: waiting / active / failed`, `${c.waiting ?? 0} / ${c.active ?? 0} / ${c.failed ?? 0}`)),
        figure('stream lag', s.streams.map((x) => `${x.stream}:${x.lag}`).join(' ') || '0'),
        figure('config versions per node', s.nodes.map((n) => `${n.node.slice(5, 9)} r${n.versions.routing ?? '-'} l${n.versions.limits ?? '-'}`).join(' · ')),
      );
    };
    await stats();
    every(2000, () => void stats());
    return [h('h3', {}, 'Live figures'), figures];
  },
};
