// vitest: redis-free
/**
 * Who counts as a heavy sender when a front sheds (server/senders.ts): in a big hunt whose
 * players each send a move every few seconds, none of them, whoever sends at the moment; a
 * player flooding among them, at once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../config/index.js';
import { isHeavy, Senders } from '../server/senders.js';

describe('heavy senders', () => {
  it('are none of many players sending a message every few seconds, and a flooder among them at once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 3000 }),
        fc.integer({ min: 1000, max: 10_000 }),
        fc.integer({ min: 8, max: 50 }),
        (players, everyMs, floodPerSecond) => {
          const senders = new Senders(() => DEFAULT_LIMITS);
          const address = senders.addresses.get('127.0.0.1', 0);
          const from = (i: number): { player: ReturnType<Senders['players']['get']>; address: typeof address } => ({
            player: senders.players.get(`p${i}`, 0),
            address,
          });
          // 20 s of play: player i sends at i × everyMs / players + k × everyMs; each is looked at as it sends
          const sends: { at: number; i: number }[] = [];
          for (let i = 0; i < players; i++)
            for (let at = (i * everyMs) / players; at < 20_000; at += everyMs) sends.push({ at, i });
          sends.sort((a, b) => a.at - b.at);
          let heavy = 0;
          for (const { at, i } of sends) {
            senders.take(from(i), 1, at);
            if (isHeavy(from(i), at)) heavy++;
          }
          expect(heavy).toBe(0);
          // one more player floods for 2 s: heavy
          const flooder = { player: senders.players.get('flooder', 20_000), address };
          let at = 20_000;
          for (let k = 0; k < 2 * floodPerSecond; k++, at += 1000 / floodPerSecond) senders.take(flooder, 1, at);
          expect(isHeavy(flooder, at)).toBe(true);
          // and the others still are not
          expect(isHeavy(from(0), at)).toBe(false);
        },
      ),
      { numRuns: 40 },
    );
  });
});
