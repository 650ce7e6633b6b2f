/**
 * Gathers the answers that a shard's partitions want verified into few verification jobs,
 * then hands each caller its own verdicts. At most `maxInFlight` jobs run at once; whatever
 * arrives while they run waits and goes in the next job, so the job rate follows what the
 * verifier can take (about `maxInFlight` per round trip), not the answer rate. Callers of
 * the same synchronous run share a job; a quiet shard sends each answer at once (no wait for
 * the next turn of the event loop, which under load can take milliseconds).
 */
import type { Verdict, Verifier, VerifyItem } from './partition-consumer.js';

interface Waiting {
  items: VerifyItem[];
  resolve: (v: Verdict[]) => void;
  reject: (e: unknown) => void;
}

/** Largest job; the verification job schema takes up to 10,000 items. */
const MAX_JOB_ITEMS = 5000;

export function batchingVerifier(verify: Verifier, maxInFlight = 4): Verifier {
  let waiting: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;

  const run = async (group: Waiting[]): Promise<void> => {
    const all = group.flatMap((w) => w.items);
    const chunks: VerifyItem[][] = [];
    for (let i = 0; i < all.length; i += MAX_JOB_ITEMS) chunks.push(all.slice(i, i + MAX_JOB_ITEMS));
    try {
      const verdicts = (await Promise.all(chunks.map((chunk) => verify(chunk)))).flat();
      let at = 0;
      for (const w of group) {
        w.resolve(verdicts.slice(at, at + w.items.length));
        at += w.items.length;
      }
    } catch (err) {
      for (const w of group) w.reject(err);
    }
  };

  const send = (): void => {
    scheduled = false;
    while (waiting.length > 0 && inFlight < maxInFlight) {
      // whole callers, up to one job's worth (a caller larger than that goes alone, in chunks)
      let n = 0;
      let items = 0;
      for (const w of waiting) {
        if (n > 0 && items + w.items.length > MAX_JOB_ITEMS) break;
        items += w.items.length;
        n++;
      }
      const group = waiting.slice(0, n);
      waiting = waiting.slice(n);
      inFlight++;
      void run(group).finally(() => {
        inFlight--;
        if (waiting.length > 0) schedule();
      });
    }
  };

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    process.nextTick(send);
  };

  return (items) =>
    new Promise((resolve, reject) => {
      waiting.push({ items, resolve, reject });
      schedule();
    });
}
