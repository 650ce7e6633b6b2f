/**
 * Measures this process's event-loop delay: a timer that should fire every `intervalMs` notes
 * how late it fired. Late timers are what a saturated node looks like from the inside, so the
 * front refuses new events while the delay is high (see Admission).
 */
export class LoopLag {
  private timer: NodeJS.Timeout | undefined;
  private expected = 0;
  /** the delay smoothed over the last ~100 ms of ticks: one stray pause (a GC) does not count, a saturated loop does */
  current = 0;

  constructor(
    private readonly observe: (seconds: number) => void,
    private readonly intervalMs = 20,
  ) {}

  start(): void {
    this.expected = performance.now() + this.intervalMs;
    this.timer = setInterval(() => {
      const now = performance.now();
      const late = Math.max(0, now - this.expected);
      this.expected = now + this.intervalMs;
      this.current = this.current * 0.7 + late * 0.3;
      this.observe(late / 1000);
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
