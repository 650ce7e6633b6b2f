/**
 * The answers lane of one partition: batches of answers and hints apply in stream order, each
 * once its verdicts are back. While one write is in flight, the batches that become ready
 * behind it wait and then go together in one script call per hunt, so the lane keeps up with
 * any arrival rate at about one Redis round trip of delay, instead of queueing one round trip
 * per batch.
 */
import type { ApplyItem } from './scripts.js';

/** One read batch's answers and hints, by hunt, in stream order. */
export type ByHunt = Map<string, ApplyItem[]>;

interface Slot {
  byHunt: ByHunt;
  events: number;
  /** set once the verdicts are in (and written into the events) */
  ready: boolean;
  failed?: unknown;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Most answer and hint events in one write; a ready run longer than this goes in several. */
const MAX_EVENTS_PER_WRITE = 2000;

export class AnswerLane {
  private readonly slots: Slot[] = [];
  private writing = false;
  /** the first failure: every batch from there on fails with it, so nothing applies out of order */
  private broken: unknown;

  /** `write` applies merged batches (by hunt, in order); it is never called twice at once. */
  constructor(private readonly write: (byHunt: ByHunt) => Promise<void>) {}

  /**
   * Takes its place in the lane now (stream order is read order); applies once `verdicts`
   * settles and every earlier batch has applied. Resolves when this batch is written.
   */
  add(byHunt: ByHunt, verdicts: Promise<unknown>): Promise<void> {
    let events = 0;
    for (const items of byHunt.values()) for (const item of items) events += item.ev.length;
    return new Promise<void>((resolve, reject) => {
      const slot: Slot = { byHunt, events, ready: false, resolve, reject };
      this.slots.push(slot);
      verdicts.then(
        () => {
          slot.ready = true;
          this.pump();
        },
        (err: unknown) => {
          slot.ready = true;
          slot.failed = err;
          this.pump();
        },
      );
    });
  }

  /** Batches added and not yet written. */
  get waiting(): number {
    return this.slots.length;
  }

  private pump(): void {
    if (this.writing) return;
    const run = this.takeReady();
    if (run.length === 0) return;
    this.writing = true;
    const merged: ByHunt = new Map();
    for (const slot of run) {
      for (const [hunt, items] of slot.byHunt) {
        const into = merged.get(hunt);
        if (into) into.push(...items);
        else merged.set(hunt, [...items]);
      }
    }
    const written = merged.size === 0 ? Promise.resolve() : this.write(merged);
    written.then(
      () => {
        for (const slot of run) slot.resolve();
        this.writing = false;
        this.pump();
      },
      (err: unknown) => {
        this.broken ??= err;
        for (const slot of run) slot.reject(err);
        this.writing = false;
        this.pump();
      },
    );
  }

  /** The ready batches at the head of the lane, up to one write's worth; failed ones are settled here. */
  private takeReady(): Slot[] {
    const run: Slot[] = [];
    let events = 0;
    while (this.slots.length > 0) {
      const head = this.slots[0];
      if (!head?.ready) break;
      if (head.failed !== undefined || this.broken !== undefined) {
        this.slots.shift();
        this.broken ??= head.failed;
        head.reject(this.broken);
        continue;
      }
      if (run.length > 0 && events + head.events > MAX_EVENTS_PER_WRITE) break;
      this.slots.shift();
      run.push(head);
      events += head.events;
    }
    return run;
  }
}
