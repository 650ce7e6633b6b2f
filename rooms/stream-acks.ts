/**
 * Acknowledging a partition's entries once their effects are written: batched XACKs, the wait
 * for replicas where `routing.ackReplicas` asks for it, and trimming what is acknowledged.
 */
import { waitForReplicas, type RedisClient } from '../redis/index.js';
import { STREAM_GROUP, type Keys } from './keys.js';

/** How long written entries wait for others to share one XACK (an entry left pending is only read again and fenced). */
const ACK_WINDOW_MS = 10;

export interface StreamAcksDeps {
  redis: RedisClient;
  keys: Keys;
  stream: string;
  /** replicas that must hold a batch's effects before its entries are acknowledged (routing.ackReplicas) */
  durability?: (() => { ackReplicas: number; ackTimeoutMs: number }) | undefined;
}

/** XPENDING's summary form: how many entries are pending, and the first of them. */
function pendingSummary(reply: unknown): { count: number; first: string | null } {
  if (!Array.isArray(reply) || typeof reply[0] !== 'number')
    throw new Error(`XPENDING replied ${JSON.stringify(reply).slice(0, 200)}`);
  return { count: reply[0], first: typeof reply[1] === 'string' ? reply[1] : null };
}

export class StreamAcks {
  /** entries written and waiting for the next XACK, and who waits on it */
  private acking:
    { ids: string[]; done: Promise<void>; resolve: () => void; reject: (err: unknown) => void } | undefined;

  constructor(private readonly deps: StreamAcksDeps) {}

  /** Acknowledges the entries once every part of their batch is written (and, where asked, replicated). */
  async when(parts: readonly (Promise<void> | undefined)[], hunts: ReadonlySet<string>, ids: string[]): Promise<void> {
    await Promise.all(parts);
    await this.replicated(hunts);
    await this.xack(ids);
  }

  /**
   * Acknowledges entries together: at 2,000 answers a second a read batch holds one or two
   * entries, and an XACK of its own for each cost a socket write each; the entries written
   * within `ACK_WINDOW_MS` share one.
   */
  private xack(ids: string[]): Promise<void> {
    if (!this.acking) {
      let resolve!: () => void;
      let reject!: (err: unknown) => void;
      const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      const batch = (this.acking = { ids: [], done, resolve, reject });
      setTimeout(() => {
        this.acking = undefined;
        this.deps.redis.xack(this.deps.stream, STREAM_GROUP, ...batch.ids).then(() => batch.resolve(), batch.reject);
      }, ACK_WINDOW_MS);
    }
    for (const id of ids) this.acking.ids.push(id);
    return this.acking.done;
  }

  /**
   * Where acknowledgements wait for replicas, the hunts' effects must be on them too before
   * the entries are acknowledged: else a failover could keep the acknowledgement and lose the
   * effect. Too few replicas fails the consumer; the entries are read again and the fence
   * applies only what is missing.
   */
  private async replicated(hunts: ReadonlySet<string>): Promise<void> {
    const { ackReplicas = 0, ackTimeoutMs = 0 } = this.deps.durability?.() ?? {};
    if (ackReplicas <= 0 || hunts.size === 0) return;
    await Promise.all(
      [...hunts].map(async (hunt) => {
        const got = await waitForReplicas(this.deps.redis, this.deps.keys.hunt(hunt).meta, ackReplicas, ackTimeoutMs);
        if (got < ackReplicas)
          throw new Error(
            `hunt ${hunt}: effects reached ${got} of ${ackReplicas} replicas within ${ackTimeoutMs} ms; entries left unacknowledged`,
          );
      }),
    );
  }

  /** Entries read by some consumer of the group and not yet acknowledged. */
  async pendingCount(): Promise<number> {
    return pendingSummary(await this.deps.redis.xpending(this.deps.stream, STREAM_GROUP)).count;
  }

  /** Drops acknowledged entries; never what is still pending. */
  async trim(lastRead: string): Promise<void> {
    const { count, first } = pendingSummary(await this.deps.redis.xpending(this.deps.stream, STREAM_GROUP));
    await this.deps.redis.xtrim(this.deps.stream, 'MINID', '~', count > 0 && first ? first : lastRead);
  }
}
