/**
 * Planted bugs in qemu-v0 (VARIANTS.md, the mutant table). Each mutant is a
 * subclass overriding the one method that carries its bug; everything else
 * is qemu-v0 as shipped.
 *
 * A grace period that never ends is seen twice: as the stuck synchronize,
 * drain or barrier (gp-stall) and, since the call_rcu thread runs grace
 * periods too, as callbacks that stop being invoked (callback-stall). Which
 * one the watchdog's clock reaches first is a matter of milliseconds, so
 * the hang mutants accept either.
 */
import { QemuV0, qemuV0 } from '../qemu/v0.js';
import { C, R } from '../common/state.js';
import { mutant } from './mutant.js';

/** The call_rcu thread skips synchronize_rcu() for its batch. */
class EarlyCallbacks extends QemuV0 {
  protected override callRcuThread(): void {
    for (;;) {
      const n = this.awaitBatch();
      this.p.fetchAdd(this.ctl + C.CALL_COUNT, -n);
      // BUG: no synchronize() here.
      this.runCallbacks(n);
    }
  }
}

/** Narrow counter, but the single-phase increment of wide ones. */
class NarrowSinglePhase extends QemuV0 {
  protected override twoPhase(): boolean { return false; }
}

/** reset(gp_event) after the scan: a reader's set between scan and reset is lost. */
class LostWakeup extends QemuV0 {
  protected override waitForReaders(): void {
    const p = this.p;
    for (;;) {
      this.forEachRegistered((r) => p.store(r + R.WAITING, 1, 'relaxed'));
      p.fence();
      const draining = p.load(this.ctl + C.IN_DRAIN, 'relaxed') > 0;
      const busy = this.scanReaders(draining ? (r) => this.notify(r) : undefined);
      this.gpEvent.reset(); // BUG: belongs before the scan
      if (!busy) break;
      this.unlockedWait(() => this.gpEvent.wait());
    }
    this.finishWait();
  }
}

/** How often SometimesNoWait's grace periods skip the wait. */
const SKIP_WAIT_EVERY = 4;

/** Every few grace periods skip wait_for_readers (gpSeq still brackets them): too short, rarely under a reclaimed element. */
class SometimesNoWait extends QemuV0 {
  private gps = 0;
  protected override waitForReaders(): void {
    if (++this.gps % SKIP_WAIT_EVERY === 0) return; // BUG: a grace period must always wait
    super.waitForReaders();
  }
}

/** The nesting depth kept in 2 bits: the 4th nested lock wraps it to 0 and counts as outermost again. */
class NestingWraps extends QemuV0 {
  protected override nestIn(): boolean {
    const d = this.depth;
    this.depth = (d + 1) & 3; // BUG: a 2-bit counter; re-publishes the ctr mid-section at depth 5
    return d === 0;
  }

  protected override nestOut(): boolean {
    this.depth = (this.depth - 1) & 3; // BUG: so the innermost unlock at depth 5 clears the ctr
    return this.depth === 0;
  }
}

/** Force notifiers are never called. */
class NoForceNotify extends QemuV0 {
  protected override notify(): void {}
}

/** read_unlock never checks `waiting`, so it never wakes the updater. */
class UnlockSkipsWake extends QemuV0 {
  protected override wakeUpdaterIfWaiting(): void {}
}

/** rcu_register_thread / rcu_unregister_thread without registry_lock. */
class RegisterUnlocked extends QemuV0 {
  protected override underRegistryLock(edit: () => void): void {
    edit(); // BUG: registry_lock not held while the registry list is edited
  }
}

/** No full barrier after publishing me.ctr in read_lock. */
class NoReaderBarrier extends QemuV0 {
  protected override readerBarrier(): void {}
}

export const qemuV0EarlyCallbacks = mutant(qemuV0, {
  bug: 'early-callbacks',
  description: 'the call_rcu thread skips synchronize_rcu for its batch',
  expected: ['use-after-reclaim', 'premature-callback'],
  scenario: 'default',
  attach: (p, heap, cfg) => new EarlyCallbacks(p, heap, cfg),
});

export const qemuV0NarrowSinglePhase = mutant(qemuV0, {
  bug: 'narrow-single-phase',
  description: 'narrow counter with the single-phase increment: a reader preempted across a wrap looks quiescent',
  expected: ['use-after-reclaim', 'short-grace-period'],
  scenario: 'wrap-around',
  origin: 'the counter overflow that QEMU\'s and liburcu\'s two-phase grace period exists to prevent',
  attach: (p, heap, cfg) => new NarrowSinglePhase(p, heap, cfg),
});

export const qemuV0LostWakeup = mutant(qemuV0, {
  bug: 'lost-wakeup',
  description: 'reset(gp_event) moved after the scan, so a reader\'s wake-up between scan and reset is lost',
  expected: ['gp-stall', 'callback-stall'],
  scenario: 'preempt-storm',
  attach: (p, heap, cfg) => new LostWakeup(p, heap, cfg),
});

export const qemuV0NoForceNotify = mutant(qemuV0, {
  bug: 'no-force-notify',
  description: 'force notifiers never called: busy-looping readers hold grace periods forever (QEMU issue 650)',
  expected: ['gp-stall', 'callback-stall'],
  scenario: 'vcpu-busy-loops',
  origin: 'QEMU issue 650 (drain_call_rcu hangs behind a busy-looping vCPU)',
  attach: (p, heap, cfg) => new NoForceNotify(p, heap, cfg),
});

export const qemuV0UnlockSkipsWake = mutant(qemuV0, {
  bug: 'unlock-skips-wake',
  description: 'read_unlock never checks waiting, so a sleeping updater is never woken',
  expected: ['gp-stall', 'callback-stall'],
  scenario: 'default',
  attach: (p, heap, cfg) => new UnlockSkipsWake(p, heap, cfg),
});

export const qemuV0RegisterUnlocked = mutant(qemuV0, {
  bug: 'register-unlocked',
  description: 'register/unregister skip registry_lock and race with wait_for_readers on the registry list',
  expected: ['use-after-reclaim', 'short-grace-period', 'gp-stall', 'callback-stall', 'worker-crash'],
  scenario: 'registration-churn',
  attach: (p, heap, cfg) => new RegisterUnlocked(p, heap, cfg),
});

export const qemuV0NoReaderBarrier = mutant(qemuV0, {
  bug: 'no-reader-barrier',
  description: 'the full barrier after store(me.ctr) in read_lock removed (visible only under a weak memory model)',
  expected: ['use-after-reclaim', 'short-grace-period'],
  scenario: 'default',
  needsWeakMemory: true,
  attach: (p, heap, cfg) => new NoReaderBarrier(p, heap, cfg),
});

export const qemuV0SometimesNoWait = mutant(qemuV0, {
  bug: 'sometimes-no-wait',
  description: 'one grace period in 4 returns without waiting for readers (gpSeq still brackets it)',
  expected: ['short-grace-period', 'use-after-reclaim'],
  scenario: 'default',
  attach: (p, heap, cfg) => new SometimesNoWait(p, heap, cfg),
});

export const qemuV0NestingWraps = mutant(qemuV0, {
  bug: 'nesting-wraps',
  description: 'the read-side nesting depth wraps in 2 bits: the 4th nested lock re-publishes the reader\'s counter and the innermost unlock clears it',
  expected: ['use-after-reclaim', 'short-grace-period'],
  scenario: 'default',
  attach: (p, heap, cfg) => new NestingWraps(p, heap, cfg),
});
