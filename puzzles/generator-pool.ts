/**
 * A small pool of worker threads that make puzzles, each under a time budget. A search that
 * overruns its budget has its thread terminated (and replaced) and the job fails, so BullMQ
 * retries it with backoff; the main thread stays free for lock renewal and Redis traffic.
 */
import { Worker } from 'node:worker_threads';
import type { Difficulty } from '../protocol/index.js';
import type { GeneratedPuzzle, GenerateJob } from './generation.js';

interface Slot {
  worker: Worker;
  busy: boolean;
}

interface Waiting {
  job: GenerateJob;
  points: Record<Difficulty, number>;
  resolve: (p: GeneratedPuzzle) => void;
  reject: (e: Error) => void;
}

// from sources, a .mjs entry that registers tsx first (a worker does not inherit the loader); built, the compiled thread
const ENTRY = new URL(
  import.meta.url.endsWith('.ts') ? './generate-thread.mjs' : './generate-thread.js',
  import.meta.url,
);

export class GeneratorPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Waiting[] = [];
  private nextId = 1;
  private closed = false;

  /**
   * @param size threads. @default 1
   * @param budgetMs longest one puzzle may take. @default 5000
   */
  constructor(
    private readonly size = 1,
    private readonly budgetMs = 5000,
  ) {}

  make(job: GenerateJob, points: Record<Difficulty, number>): Promise<GeneratedPuzzle> {
    if (this.closed) return Promise.reject(new Error('generator pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, points, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) {
        slot = { worker: new Worker(ENTRY), busy: false };
        this.slots.push(slot);
      }
      if (!slot) return;
      const next = this.queue.shift();
      if (next) this.run(slot, next);
    }
  }

  private run(slot: Slot, w: Waiting): void {
    slot.busy = true;
    const id = this.nextId++;
    const started = Date.now();
    const finish = (): void => {
      clearTimeout(timer);
      slot.worker.off('message', onMessage);
      slot.worker.off('error', onError);
      slot.busy = false;
      this.pump();
    };
    const onMessage = (msg: { id: number; result?: GeneratedPuzzle; error?: string }): void => {
      if (msg.id !== id) return;
      finish();
      if (msg.result) w.resolve(msg.result);
      else w.reject(new Error(msg.error ?? 'generation failed'));
    };
    const onError = (err: Error): void => {
      this.replace(slot);
      finish();
      w.reject(err);
    };
    const timer = setTimeout(() => {
      this.replace(slot);
      finish();
      w.reject(
        new Error(
          `generating ${w.job.type}/${w.job.difficulty} for hunt ${w.job.hunt} puzzle ${w.job.puzzle} passed its ${this.budgetMs} ms budget (${Date.now() - started} ms)`,
        ),
      );
    }, this.budgetMs);
    slot.worker.on('message', onMessage);
    slot.worker.on('error', onError);
    slot.worker.postMessage({ id, job: w.job, points: w.points });
  }

  /** Ends a stuck or broken thread; a fresh one takes its place. */
  private replace(slot: Slot): void {
    void slot.worker.terminate();
    slot.worker = new Worker(ENTRY);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.queue.splice(0)) w.reject(new Error('generator pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
