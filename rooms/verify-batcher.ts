/**
 * Gathers the answers that a shard's partitions want verified within one short tick into a
 * single verification job, then hands each caller its own verdicts. With many partitions per
 * shard this keeps the job rate, not the answer rate, what the queue has to carry.
 */
import type { Verifier, VerifyItem } from './partition-consumer.js';

interface Waiting {
  items: VerifyItem[];
  resolve: (v: (boolean | null)[]) => void;
  reject: (e: unknown) => void;
}

/** Largest job; the verification job schema takes up to 10,000 items. */
const MAX_JOB_ITEMS = 5000;

export function batchingVerifier(verify: Verifier, tickMs = 0): Verifier {
  let waiting: Waiting[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const group = waiting;
    waiting = [];
    const all = group.flatMap((w) => w.items);
    const chunks: VerifyItem[][] = [];
    for (let i = 0; i < all.length; i += MAX_JOB_ITEMS) chunks.push(all.slice(i, i + MAX_JOB_ITEMS));
    Promise.all(chunks.map((chunk) => verify(chunk))).then((parts) => parts.flat()).then(
      (verdicts) => {
        let at = 0;
        for (const w of group) {
          w.resolve(verdicts.slice(at, at + w.items.length));
          at += w.items.length;
        }
      },
      (err: unknown) => group.forEach((w) => w.reject(err)),
    );
  };
  return (items) =>
    new Promise((resolve, reject) => {
      waiting.push({ items, resolve, reject });
      if (scheduled) return;
      scheduled = true;
      if (tickMs > 0) setTimeout(flush, tickMs);
      else setImmediate(flush);
    });
}
