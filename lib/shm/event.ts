/**
 * A futex-based boolean event, after QEMU's QemuEvent: `set` wakes every
 * waiter, `reset` re-arms it, `wait` returns once it is set.
 *
 * The cell is SET (0), FREE (1) or BUSY (-1, free with sleepers). `set` only
 * makes the wake-up system call when somebody announced it is sleeping.
 */
import type { Platform } from '../platform/platform.js';

const SET = 0;
const FREE = 1;
const BUSY = -1;

export const EVENT_WORDS = 1;
/** Initial cell value for an event that starts reset (or set). */
export const eventInit = (set: boolean): number => (set ? SET : FREE);

export class Event {
  constructor(private readonly p: Platform, readonly cell: number) {}

  set(): void {
    // Order the caller's earlier stores before the wake-up (qemu_event_set's smp_mb).
    this.p.fence();
    if (this.p.load(this.cell) !== SET) {
      if (this.p.exchange(this.cell, SET) === BUSY) this.p.wake(this.cell);
    }
  }

  reset(): void {
    // SET -> FREE; FREE and BUSY already mean "not set".
    if (this.p.load(this.cell) === SET) this.p.fetchOr(this.cell, FREE);
    // Order the reset before the caller's later loads of the condition.
    this.p.fence();
  }

  isSet(): boolean { return this.p.load(this.cell, 'acquire') === SET; }

  wait(): void { this.waitUntil(undefined); }

  /** Returns true when the event was set, false on timeout. */
  timedwait(ms: number): boolean { return this.waitUntil(this.p.now() + ms); }

  private waitUntil(deadline: number | undefined): boolean {
    for (;;) {
      let v = this.p.load(this.cell, 'acquire');
      if (v === SET) return true;
      if (v === FREE) {
        v = this.p.compareExchange(this.cell, FREE, BUSY);
        if (v === SET) return true;
      }
      if (deadline === undefined) {
        this.p.wait(this.cell, BUSY);
      } else {
        const left = deadline - this.p.now();
        if (left <= 0) return this.p.load(this.cell, 'acquire') === SET;
        this.p.wait(this.cell, BUSY, left);
      }
    }
  }
}
