/**
 * The hunt panel's review queue (judged missions: free text and photos), live every 2 s with a
 * pending count, shown once the hunt has a judged mission.
 */
import { HuntHttpClient } from '../../http-client.js';
import { entryId } from '../../../protocol/board.js';
import type { HuntSection } from './hunt-sections.js';
import { reviewQueue } from './review-queue.js';
import { every, session } from './session.js';

/** puzzle id -> title and points, from the hunt view (titles where the server gives them) */
function missions(
  puzzles: { id: string; type: string; points: number; title?: string }[],
): Map<string, { title: string; points: number }> {
  return new Map(puzzles.map((p) => [p.id, { title: p.title ?? `${p.id} · ${p.type}`, points: p.points }]));
}

export const reviewSection: HuntSection = {
  id: 'review',
  render({ id, view }) {
    const puzzles = view.puzzles;
    if (!puzzles.some((p) => p.type === 'free' || p.type === 'photo')) return [];
    const byId = missions(puzzles);
    const http = new HuntHttpClient('', session.key);
    // names from the board (public, one read for all cards; read again for a player not on it yet)
    let names: Promise<Map<string, string>> | undefined;
    const playerName = async (player: string): Promise<string | undefined> => {
      const known = await (names ??= http
        .leaderboard(id, 1000)
        .then(({ entries }) => new Map(entries.map((e) => [entryId(e), e.name]))));
      if (!known.has(player)) names = undefined;
      return known.get(player);
    };
    const queue = reviewQueue({ http, hunt: id, missions: () => byId, schedule: every, playerName });
    return [queue.el];
  },
};
