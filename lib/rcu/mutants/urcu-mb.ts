/** Planted update-side bugs in urcu-mb: barrier scope and forward progress under a flood. */
import { UrcuMb } from '../urcu/urcu-mb.js';
import { urcuMb } from '../urcu/urcu-mb.js';
import { mutant } from './mutant.js';

/**
 * rcu_barrier with a "fast path": a thread that queued nothing since its
 * last barrier returns at once. That is drain's promise (the caller's own
 * callbacks), not barrier's (every thread's queued before the call).
 */
class BarrierOwnOnly extends UrcuMb {
  private queuedSinceBarrier = 0;

  override callRcu(node: number, fn: number): void {
    this.queuedSinceBarrier++;
    super.callRcu(node, fn);
  }

  override barrier(): void {
    if (this.queuedSinceBarrier === 0) return; // BUG: other threads' earlier callbacks are still owed
    super.barrier();
    this.queuedSinceBarrier = 0; // after: the marker's own call_rcu does not count
  }
}

/** Callbacks the starved call_rcu thread serves per grace period. */
const CALLBACKS_PER_GP = 1;

/**
 * The call_rcu thread serves at most CALLBACKS_PER_GP callbacks per grace
 * period (a batch limit without liburcu's "go again at once while more are
 * queued"): grace periods keep completing, callbacks keep being invoked, but
 * under a flood the queue only grows.
 */
class FloodStarved extends UrcuMb {
  protected override awaitCallbacks(): number {
    return Math.min(super.awaitCallbacks(), CALLBACKS_PER_GP); // BUG: the rest wait for later grace periods, forever behind
  }
}

export const urcuMbBarrierOwnOnly = mutant(urcuMb, {
  bug: 'barrier-own-only',
  description: 'rcu_barrier returns at once when the caller queued nothing since its last barrier, so other threads\' earlier callbacks may still be pending',
  expected: ['drain-violation'],
  scenario: 'drain-storm',
  attach: (p, heap, cfg) => new BarrierOwnOnly(p, heap, cfg),
});

export const urcuMbFloodStarved = mutant(urcuMb, {
  bug: 'flood-starved',
  description: `the call_rcu thread invokes at most ${CALLBACKS_PER_GP} callback per grace period, so under a flood re-posted callbacks fall behind for good`,
  expected: ['forward-progress', 'callback-backlog'],
  scenario: 'forward-progress',
  attach: (p, heap, cfg) => new FloodStarved(p, heap, cfg),
});
