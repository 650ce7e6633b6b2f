// vitest: redis-free (it never touches the run's Redis, so npm run test:cluster leaves it out)
/**
 * The answers lane alone (rooms/answer-lane.ts): batches apply in the order they were added
 * whatever order their verdicts come back in, one write at a time, batches that became ready
 * behind a write go together in the next one, and a failure stops everything after it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnswerLane, type ByHunt } from '../rooms/answer-lane.js';

function batch(n: number, hunt = 'h'): ByHunt {
  return new Map([
    [
      hunt,
      [
        {
          sid: `1-1-${n}`,
          n: 'node',
          ev: [{ k: 'answer', h: hunt, p: `p${n}`, id: `a${n}`, puzzle: 'p1', answer: '' }],
        },
      ],
    ],
  ]);
}

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('the answers lane', () => {
  it('writes in the order batches were added, one write at a time, whatever order verdicts come in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 30 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
              fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n * 2, maxLength: n * 2 }),
            ),
          ),
        async ([n, order, delays]) => {
          const written: string[] = [];
          let busy = false;
          let overlapped = false;
          let writes = 0;
          const lane = new AnswerLane(async (byHunt) => {
            if (busy) overlapped = true;
            busy = true;
            for (let i = 0; i < (delays[writes++ % delays.length] ?? 0); i++) await tick();
            for (const items of byHunt.values()) for (const item of items) written.push(item.sid);
            busy = false;
          });
          const verdicts = Array.from({ length: n }, deferred);
          const done = Array.from({ length: n }, (_, i) => lane.add(batch(i), verdicts[i]!.promise));
          for (const i of order) {
            verdicts[i]!.resolve();
            for (let k = 0; k < (delays[i] ?? 0); k++) await tick();
          }
          await Promise.all(done);
          expect(overlapped).toBe(false);
          expect(written).toEqual(Array.from({ length: n }, (_, i) => `1-1-${i}`));
          expect(lane.waiting).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('puts the batches that became ready behind a write into the next write', async () => {
    const writes: string[][] = [];
    const first = deferred();
    let calls = 0;
    const lane = new AnswerLane(async (byHunt) => {
      writes.push([...byHunt.values()].flat().map((i) => i.sid));
      if (calls++ === 0) await first.promise;
    });
    const done = [lane.add(batch(0), Promise.resolve())];
    await tick();
    for (let i = 1; i <= 5; i++) done.push(lane.add(batch(i), Promise.resolve()));
    await tick();
    expect(writes).toHaveLength(1); // the other five wait behind the first write
    first.resolve();
    await Promise.all(done);
    expect(writes).toEqual([['1-1-0'], ['1-1-1', '1-1-2', '1-1-3', '1-1-4', '1-1-5']]);
  });

  it('keeps the hunts of merged batches apart, each in its order', async () => {
    const seen: [string, string[]][] = [];
    const gate = deferred();
    let calls = 0;
    const lane = new AnswerLane(async (byHunt) => {
      if (calls++ === 0) await gate.promise;
      for (const [hunt, items] of byHunt) seen.push([hunt, items.map((i) => i.sid)]);
    });
    const done = [lane.add(batch(0, 'x'), Promise.resolve())];
    await tick();
    done.push(
      lane.add(batch(1, 'y'), Promise.resolve()),
      lane.add(batch(2, 'x'), Promise.resolve()),
      lane.add(batch(3, 'y'), Promise.resolve()),
    );
    await tick();
    gate.resolve();
    await Promise.all(done);
    expect(seen).toEqual([
      ['x', ['1-1-0']],
      ['y', ['1-1-1', '1-1-3']],
      ['x', ['1-1-2']],
    ]);
  });

  it('fails a batch whose verdicts failed and every batch after it; the ones before are written', async () => {
    const written: string[] = [];
    const lane = new AnswerLane(async (byHunt) => {
      for (const items of byHunt.values()) for (const item of items) written.push(item.sid);
    });
    const bad = deferred();
    const results = await Promise.allSettled([
      lane.add(batch(0), Promise.resolve()),
      lane.add(batch(1), bad.promise),
      lane.add(batch(2), Promise.resolve()),
      (bad.reject(new Error('verification down')), lane.add(batch(3), Promise.resolve())),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected']);
    expect(written).toEqual(['1-1-0']);
  });

  it('fails every batch of a write that failed, and those after it, without writing them', async () => {
    let calls = 0;
    const lane = new AnswerLane(async () => {
      if (calls++ === 0) throw new Error('connection lost');
    });
    const results = await Promise.allSettled([
      lane.add(batch(0), Promise.resolve()),
      lane.add(batch(1), Promise.resolve()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
  });
});
