/**
 * Resident memory of the run's process, sampled every tick. Workers are
 * threads of this process, so its RSS covers the main thread and every role.
 * Start and end are both taken while the roles run (after a warm-up, and at
 * the last tick before the run phase ends), so they compare like with like:
 * a run whose end RSS drifts far above its start retains something per event.
 */
export interface MemoryUsage {
  /** process RSS in bytes after the warm-up, at the end of the run phase, and the highest sample of the whole run. */
  rssStart: number;
  rssEnd: number;
  rssPeak: number;
  /** Main-thread JS heap in use at the same two moments (bytes). */
  heapStart: number;
  heapEnd: number;
}

/** Pools, JIT and histograms settle in the first seconds; "start" is sampled after this. */
const WARMUP_MS = 5000;

export class MemoryTracker {
  private rssStart = process.memoryUsage.rss();
  private heapStart = process.memoryUsage().heapUsed;
  private rssEnd = this.rssStart;
  private heapEnd = this.heapStart;
  private rssPeak = this.rssStart;
  private warm = false;

  /** Cheap (a few microseconds): fine every tick. `running`: the roles are in the run phase. */
  sample(atMs: number, running: boolean): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.rssPeak) this.rssPeak = rss;
    if (!running) return;
    const heap = process.memoryUsage().heapUsed;
    if (!this.warm) {
      // Until the warm-up is over, "start" follows the latest sample (a short run keeps its first moments).
      this.rssStart = rss;
      this.heapStart = heap;
      this.warm = atMs >= WARMUP_MS;
    }
    this.rssEnd = rss;
    this.heapEnd = heap;
  }

  usage(): MemoryUsage {
    return { rssStart: this.rssStart, rssEnd: this.rssEnd, rssPeak: this.rssPeak, heapStart: this.heapStart, heapEnd: this.heapEnd };
  }
}
