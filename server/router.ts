/**
 * The front node's event router: events bound for the same partition within one tick of
 * the event loop become one stream entry (one XADD), and each caller learns when its
 * events are durably accepted.
 */
import type { Redis } from 'ioredis';
import { entryFields, Keys, partitionOf, type StreamEvent } from '../rooms/index.js';

/** Largest number of events folded into one stream entry. */
const MAX_EVENTS_PER_ENTRY = 512;

interface Pending {
  events: StreamEvent[];
  waiters: { resolve: () => void; reject: (err: Error) => void }[];
}

export class EventRouter {
  private readonly keys: Keys;
  private readonly pending = new Map<number, Pending>();
  private scheduled = false;
  private inFlight = new Set<Promise<void>>();

  constructor(private readonly redis: Redis, prefix: string, private readonly partitions: number, private readonly nodeId: string) {
    this.keys = new Keys(prefix);
  }

  /** Resolves once the events are in their room's stream. */
  accept(hunt: string, events: readonly StreamEvent[]): Promise<void> {
    const partition = partitionOf(hunt, this.partitions);
    let batch = this.pending.get(partition);
    if (!batch) this.pending.set(partition, (batch = { events: [], waiters: [] }));
    batch.events.push(...events);
    const done = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    if (batch.events.length >= MAX_EVENTS_PER_ENTRY) this.flushPartition(partition);
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return done;
  }

  private flush(): void {
    this.scheduled = false;
    for (const partition of [...this.pending.keys()]) this.flushPartition(partition);
  }

  private flushPartition(partition: number): void {
    const batch = this.pending.get(partition);
    if (!batch) return;
    this.pending.delete(partition);
    const write = this.redis
      .xadd(this.keys.stream(partition), '*', ...entryFields(this.nodeId, Date.now(), batch.events))
      .then(
        () => batch.waiters.forEach((w) => w.resolve()),
        (err: unknown) => {
          const error = new Error(`XADD of ${batch.events.length} events to partition ${partition} failed: ${err instanceof Error ? err.message : String(err)}`);
          batch.waiters.forEach((w) => w.reject(error));
        },
      )
      .finally(() => this.inFlight.delete(write));
    this.inFlight.add(write);
  }

  /** Writes what is queued and waits for every write in flight. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.all([...this.inFlight]);
  }
}
