/**
 * Nothing a player has is lost on a reconnect (PROTOCOL.md v1.2): a fresh `welcome` carries the
 * hints already paid for, the hints left and, once solved, the answer accepted; a client that
 * resumes with `since` hears the current status even when it missed the change; a game master's
 * adjustment reaches the player with its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import { liveHunt, startCluster, type Cluster } from './helpers.js';

describe('welcome restores', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
  });
  afterAll(() => c.close());

  it('hints taken, hints left and the accepted answer, on either front', async () => {
    const hunt = await liveHunt(c.gm(), 2);
    const j = await c.gm().join(hunt.id, 'ann');
    const ws = await PlayerSocket.connect(c.url(0), j.token);
    const first = await ws.waitType('welcome');
    const total = first.puzzles[0]!.hintsLeft!;
    expect(total).toBeGreaterThan(1);
    expect(first.puzzles[0]).toMatchObject({ hints: [], solved: false });
    expect(first.puzzles[0]!.answer).toBeUndefined();
    const h1 = await ws.request({ t: 'hint', id: 'h1', puzzle: 'p1' });
    const h2 = await ws.request({ t: 'hint', id: 'h2', puzzle: 'p1' });
    const answer = hunt.answers.get('p2')!;
    expect(await ws.request({ t: 'answer', id: 'a1', puzzle: 'p2', answer: answer.toUpperCase() })).toMatchObject({
      correct: true,
    });
    ws.close();
    const again = await PlayerSocket.connect(c.url(1), j.token);
    const w = await again.waitType('welcome');
    const [p1, p2] = w.puzzles;
    expect(p1).toMatchObject({
      hints: [h1.t === 'hint' && h1.text, h2.t === 'hint' && h2.text],
      hintsLeft: total - 2,
      solved: false,
    });
    expect(p1!.answer).toBeUndefined();
    // as the player sent it, not the key's form
    expect(p2).toMatchObject({ solved: true, answer: answer.toUpperCase(), hints: [] });
    again.close();
    // another player's welcome at the same time holds none of it
    const other = await PlayerSocket.connect(c.url(0), (await c.gm().join(hunt.id, 'bob')).token);
    const ow = await other.waitType('welcome');
    expect(ow.puzzles.map((p) => [p.hints, p.hintsLeft, p.answer])).toEqual([
      [[], total, undefined],
      [[], ow.puzzles[1]!.hintsLeft, undefined],
    ]);
    other.close();
  });

  it('the current status to a client that resumes after missing the change', async () => {
    const hunt = await liveHunt(c.gm(), 1);
    const j = await c.gm().join(hunt.id, 'away');
    const ws = await PlayerSocket.connect(c.url(0), j.token);
    await ws.waitType('welcome');
    const seen = ws.lastSeq;
    ws.close();
    await c.gm().lifecycle(hunt.id, 'pause');
    const back = await PlayerSocket.connect(c.url(1), j.token, seen);
    expect(await back.waitType('hunt')).toEqual({ t: 'hunt', status: 'paused' });
    expect(back.received.some((m) => m.t === 'welcome')).toBe(false);
    back.close();
  });

  it('an adjustment, with its reason, to that player only', async () => {
    const hunt = await liveHunt(c.gm(), 1);
    const [a, b] = [await c.gm().join(hunt.id, 'ann'), await c.gm().join(hunt.id, 'bob')];
    const [wa, wb] = [await PlayerSocket.connect(c.url(1), a.token), await PlayerSocket.connect(c.url(0), b.token)];
    await Promise.all([wa.waitType('welcome'), wb.waitType('welcome')]);
    await c.gm().request('POST', `/api/hunts/${hunt.id}/players/${a.player}/adjust`, {
      points: -15,
      reason: 'shortcut through the park',
    });
    expect(await wa.waitType('adjusted')).toEqual({
      t: 'adjusted',
      points: -15,
      reason: 'shortcut through the park',
      score: -15,
    });
    // bob hears the board's delta and nothing addressed to ann
    await wb.waitFor((m) => m.t === 'lb' && m.changes.some((ch) => ch.player === a.player));
    expect(wb.received.some((m) => m.t === 'adjusted')).toBe(false);
    wa.close();
    wb.close();
  });
});
