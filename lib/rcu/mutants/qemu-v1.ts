/** Planted bugs in qemu-v1 (VARIANTS.md, the mutant table). */
import { QemuV1, qemuV1 } from '../qemu/v1.js';
import { C } from '../common/state.js';
import { mutant } from './mutant.js';

/** `n = count` re-read after the grace period: callbacks queued during it run without one. */
class CountAfterGp extends QemuV1 {
  protected override callRcuThread(): void {
    for (;;) {
      this.awaitCallbacks();
      this.synchronize();
      const n = this.callCount(); // BUG: must be the count taken before synchronize()
      this.p.fetchAdd(this.ctl + C.CALL_COUNT, -n);
      this.runCallbacks(n);
    }
  }
}

export const qemuV1CountAfterGp = mutant(qemuV1, {
  bug: 'count-after-gp',
  description: 'n = count re-read after the grace period, so callbacks queued during it run without one',
  expected: ['premature-callback', 'use-after-reclaim'],
  scenario: 'default',
  attach: (p, heap, cfg) => new CountAfterGp(p, heap, cfg),
});
