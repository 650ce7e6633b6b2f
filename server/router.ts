/**
 * The front node's event router: events bound for the same partition within a short window
 * (at most `maxDelayMs`, or until `maxEvents` are queued) become one stream entry (one XADD),
 * and each caller learns when its events are durably accepted. Batching is what keeps Redis
 * and the shard cheap per event at every rate.
 */
import type { Redis } from 'ioredis';
import { entryFields, Keys, partitionOf, type StreamEvent } from '../rooms/index.js';

/** How events are folded into stream entries; read on every batch, so a change applies at once. */
export interface Batching {
  /** most events in one stream entry */
  maxEvents: number;
  /** longest an event waits for others before its entry is written, in ms (0: end of this tick) */
  maxDelayMs: number;
}

/** Told once the events are stored (no error) or could not be. */
export type Accepted = (err?: Error) => void;

interface Pending {
  events: StreamEvent[];
  waiters: Accepted[];
  /** index in `events` of each player's move, so later moves in the window fold into it */
  moveAt: Map<string, number>;
}

export class EventRouter {
  private readonly keys: Keys;
  private readonly pending = new Map<number, Pending>();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly partitions: number,
    private readonly nodeId: string,
    /** told of every failed write, including those of callers that passed no callback */
    private readonly batching: () => Batching,
    private readonly onError?: (err: Error) => void,
  ) {
    this.keys = new Keys(prefix);
  }

  /** Resolves once the events are in their room's stream. */
  accept(hunt: string, events: readonly StreamEvent[]): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue(hunt, events, (err) => (err ? reject(err) : resolve())));
  }

  /** The hot path: queues events and calls `done` (if given) once they are stored. No promise per call. */
  enqueue(hunt: string, events: readonly StreamEvent[] | StreamEvent, done?: Accepted): void {
    const partition = partitionOf(hunt, this.partitions);
    let batch = this.pending.get(partition);
    if (!batch) this.pending.set(partition, (batch = { events: [], waiters: [], moveAt: new Map() }));
    for (const ev of Array.isArray(events) ? events : [events as StreamEvent]) {
      if (ev.k !== 'move') {
        batch.events.push(ev);
        continue;
      }
      // Only a player's last position matters; the count keeps every move applied once.
      const key = `${ev.h}\n${ev.p}`;
      const at = batch.moveAt.get(key);
      const prior = at === undefined ? undefined : batch.events[at];
      if (prior?.k === 'move') {
        prior.lat = ev.lat;
        prior.lng = ev.lng;
        prior.n = (prior.n ?? 1) + (ev.n ?? 1);
      } else {
        batch.moveAt.set(key, batch.events.length);
        batch.events.push({ ...ev });
      }
    }
    if (done) batch.waiters.push(done);
    const { maxEvents, maxDelayMs } = this.batching();
    if (batch.events.length >= maxEvents) this.flushPartition(partition);
    else if (maxDelayMs <= 0) this.immediate ??= setImmediate(() => this.flush());
    else this.timer ??= setTimeout(() => this.flush(), maxDelayMs);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
    for (const partition of [...this.pending.keys()]) this.flushPartition(partition);
  }

  private flushPartition(partition: number): void {
    const batch = this.pending.get(partition);
    if (!batch) return;
    this.pending.delete(partition);
    const write = this.redis
      .xadd(this.keys.stream(partition), '*', ...entryFields(this.nodeId, Date.now(), batch.events))
      .then(
        () => batch.waiters.forEach((w) => w()),
        (err: unknown) => {
          const error = new Error(`XADD of ${batch.events.length} events to partition ${partition} failed: ${err instanceof Error ? err.message : String(err)}`);
          this.onError?.(error);
          batch.waiters.forEach((w) => w(error));
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
