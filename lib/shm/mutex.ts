/**
 * A futex mutex (Drepper, "Futexes Are Tricky", mutex 2): 0 unlocked,
 * 1 locked, 2 locked with possible sleepers. Not recursive, not fair.
 */
import type { Platform } from '../platform/platform.js';

export const MUTEX_WORDS = 1;

export class Mutex {
  constructor(private readonly p: Platform, readonly cell: number) {}

  lock(): void {
    let c = this.p.compareExchange(this.cell, 0, 1, 'acquire');
    if (c === 0) return;
    if (c !== 2) c = this.p.exchange(this.cell, 2, 'acquire');
    while (c !== 0) {
      this.p.wait(this.cell, 2);
      c = this.p.exchange(this.cell, 2, 'acquire');
    }
  }

  tryLock(): boolean { return this.p.compareExchange(this.cell, 0, 1, 'acquire') === 0; }

  unlock(): void {
    if (this.p.fetchAdd(this.cell, -1, 'release') !== 1) {
      this.p.store(this.cell, 0, 'release');
      this.p.wake(this.cell, 1);
    }
  }
}
