/** A counting semaphore on one futex cell (the count itself). */
import type { Platform } from '../platform/platform.js';

export const SEMAPHORE_WORDS = 1;

export class Semaphore {
  constructor(private readonly p: Platform, readonly cell: number) {}

  post(): void {
    this.p.fetchAdd(this.cell, 1, 'release');
    this.p.wake(this.cell, 1);
  }

  wait(): void { this.waitUntil(undefined); }

  /** Returns true when a unit was taken, false on timeout. */
  timedwait(ms: number): boolean { return this.waitUntil(this.p.now() + ms); }

  value(): number { return this.p.load(this.cell); }

  private waitUntil(deadline: number | undefined): boolean {
    for (;;) {
      const c = this.p.load(this.cell, 'acquire');
      if (c > 0) {
        if (this.p.compareExchange(this.cell, c, c - 1, 'acquire') === c) return true;
        continue;
      }
      if (deadline === undefined) {
        this.p.wait(this.cell, c);
      } else {
        const left = deadline - this.p.now();
        if (left <= 0) return false;
        this.p.wait(this.cell, c, left);
      }
    }
  }
}
