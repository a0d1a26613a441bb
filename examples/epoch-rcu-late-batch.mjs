// @ts-check
/**
 * epoch-rcu with one planted bug, to show what rcutorture reports:
 *
 *   npx rcutorture --impl examples/epoch-rcu-late-batch.mjs --duration 20s
 *
 * The call_rcu thread waits for the grace period first and takes the batch
 * of queued callbacks afterwards. A callback queued while that grace period
 * was already running, or after it ended, then runs without a full grace
 * period since its call_rcu().
 *
 * Predicted verdict: FAILURE with premature-callback (the harness compares
 * the flavor's gpSeq at invocation with a snapshot taken at call_rcu time).
 * use-after-reclaim may come along: the torture elements' pipe counts
 * advance through those callbacks, so they advance too fast.
 *
 * It reuses the correct flavor and overrides the one method that changed,
 * so that the bug is the whole diff.
 */
import { mutant } from '../dist/index.js';
import { EpochRcu, epochRcu } from './epoch-rcu.mjs';

class LateBatch extends EpochRcu {
  /** @override */
  serveBatch() {
    this.synchronize();
    // BUG: the batch is taken after the grace period, not before it started.
    const batch = this.takeQueued();
    if (batch.length === 0) return false;
    this.runCallbacks(batch);
    return true;
  }
}

export const epochRcuLateBatch = mutant(epochRcu, {
  bug: 'late-batch',
  description: 'epoch-rcu whose call_rcu thread takes its batch after the grace period instead of before it',
  expected: ['premature-callback'],
  attach: (p, heap, cfg) => new LateBatch(p, heap, cfg),
});
