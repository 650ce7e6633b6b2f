/** The typed clients in Node: the reconnecting HuntConnection resumes with `since`; the generator pool keeps its time budget. */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HuntConnection, type ConnectionState, type SocketLike } from '../client/connection.js';
import type { ServerMessage } from '../client/index.js';
import { GeneratorPool } from '../puzzles/index.js';
import { DEFAULT_SCORING } from '../config/index.js';
import { liveHunt, startCluster, until, type Cluster, settledSeq } from './helpers.js';

describe('HuntConnection', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
  });
  afterAll(() => c.close());

  it('reconnects by itself and gets the deltas it missed, in order', async () => {
    const hunt = await liveHunt(c.gm(), 1);
    const me = await c.gm().join(hunt.id, 'roamer');
    const other = await c.gm().join(hunt.id, 'other');
    const got: ServerMessage[] = [];
    const states: ConnectionState[] = [];
    const conn = new HuntConnection({
      baseUrl: c.url(),
      token: me.token,
      socket: (url) => new WebSocket(url) as unknown as SocketLike,
      onMessage: (m) => got.push(m),
      onState: (s) => states.push(s),
      minBackoffMs: 50,
    });
    conn.start();
    await until('welcome', () => (got.some((m) => m.t === 'welcome') ? true : undefined));
    const from = conn.lastSeq;
    conn.drop(500);
    for (let i = 0; i < 5; i++)
      await c
        .gm()
        .request('POST', `/api/hunts/${hunt.id}/players/${other.player}/adjust`, { points: 1, reason: 'while away' });
    const to = await settledSeq(c, hunt.id);
    await until('the missed deltas', () => (conn.lastSeq === to ? true : undefined));
    const seqs = got.filter((m) => m.t === 'lb').map((m) => (m as { seq: number }).seq);
    expect(seqs.filter((s) => s > from)).toEqual(Array.from({ length: to - from }, (_, i) => from + 1 + i));
    expect(states).toEqual(expect.arrayContaining(['connecting', 'open', 'reconnecting']));
    expect(states.at(-1)).toBe('open');
    // a request after the reconnect is answered by id
    expect(
      await conn.request({ t: 'answer', id: conn.nextId('a'), puzzle: 'p1', answer: hunt.answers.get('p1')! }),
    ).toMatchObject({ t: 'result', correct: true });
    conn.stop();
  });
});

describe('GeneratorPool', () => {
  it('makes puzzles off the main thread and fails a job that passes its budget', async () => {
    const pool = new GeneratorPool(1, 10_000);
    const made = await pool.make(
      { hunt: 'h', puzzle: 'p1', index: 0, type: 'sudoku', difficulty: 'hard', seed: 's' },
      DEFAULT_SCORING.points,
    );
    expect(made.answer).toMatch(/^\d{81}$/);
    await pool.close();
    const tight = new GeneratorPool(1, 1);
    await expect(
      tight.make(
        { hunt: 'h', puzzle: 'p2', index: 1, type: 'maze', difficulty: 'hard', seed: 's' },
        DEFAULT_SCORING.points,
      ),
    ).rejects.toThrow(/passed its 1 ms budget/);
    // the pool replaced its thread and still works with a sane budget afterwards
    await tight.close();
  });
});

describe('batchingVerifier', () => {
  it('gathers callers of one tick into one job, in chunks, and gives each its own verdicts', async () => {
    const { batchingVerifier } = await import('../rooms/index.js');
    const jobs: number[] = [];
    const verify = batchingVerifier(async (items) => {
      jobs.push(items.length);
      return items.map((i) => i.answer === 'right');
    });
    const item = (answer: string): { hunt: string; puzzle: string; answer: string } => ({
      hunt: 'h',
      puzzle: 'p',
      answer,
    });
    const [a, b, big] = await Promise.all([
      verify([item('right'), item('wrong')]),
      verify([item('wrong')]),
      verify(Array.from({ length: 12_000 }, (_, i) => item(i % 2 ? 'right' : 'wrong'))),
    ]);
    expect(a).toEqual([true, false]);
    expect(b).toEqual([false]);
    expect(big.filter(Boolean)).toHaveLength(6000);
    // whole callers share a job up to 5,000 items; a larger caller goes alone, in chunks
    expect(jobs).toEqual([3, 5000, 5000, 2000]);
  });

  it('holds what arrives while its jobs run and sends it as one job when one comes back', async () => {
    const { batchingVerifier } = await import('../rooms/index.js');
    const jobs: string[][] = [];
    const release: (() => void)[] = [];
    const verify = batchingVerifier(async (items) => {
      jobs.push(items.map((i) => i.answer));
      await new Promise<void>((r) => release.push(r));
      return items.map((i) => i.answer.startsWith('right'));
    }, 2);
    const item = (answer: string): { hunt: string; puzzle: string; answer: string } => ({
      hunt: 'h',
      puzzle: 'p',
      answer,
    });
    const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
    const first = verify([item('right-1')]);
    await tick();
    const second = verify([item('wrong-2')]);
    await tick();
    // two jobs in flight: these wait, then go together
    const rest = [verify([item('right-3')]), verify([item('wrong-4')]), verify([item('right-5')])];
    await tick();
    expect(jobs).toEqual([['right-1'], ['wrong-2']]);
    release.shift()?.();
    await first;
    await tick();
    await tick();
    expect(jobs).toEqual([['right-1'], ['wrong-2'], ['right-3', 'wrong-4', 'right-5']]);
    while (release.length > 0) release.shift()?.();
    expect(await second).toEqual([false]);
    expect(await Promise.all(rest)).toEqual([[true], [false], [true]]);
  });
});
