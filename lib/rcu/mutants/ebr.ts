/** Planted bug in ebr's per-thread bags: a thread that goes away takes its callbacks with it. */
import { Ebr, ebr } from '../ebr/ebr.js';
import { mutant } from './mutant.js';

/**
 * Unregister forgets the local bag instead of pushing it to the global
 * queue (crossbeam's Local::finalize without its push_bag): the callbacks a
 * thread queued just before it exits never run. The CPU-hotplug analogue of
 * a kernel that offlines a CPU without rcu_migrate_callbacks.
 */
class UnregisterDropsBag extends Ebr {
  override unregisterThread(): void {
    this.local = []; // BUG: these callbacks were owed a grace period and an invocation
    super.unregisterThread();
  }
}

export const ebrUnregisterDropsBag = mutant(ebr, {
  bug: 'unregister-drops-bag',
  description: 'unregister drops the thread\'s local bag of deferred callbacks instead of pushing it to the global queue, so callbacks queued just before a thread exits never run',
  // A drain by the same thread after its unregister (the churner's drainEvery) returns with them
  // still queued: drain-violation; at the end they are still queued: callback-lost; and the
  // writer's end-of-run wait for every pending callback sees them pending with none invoked
  // (callback-stall), a true consequence of callbacks that never run.
  expected: ['drain-violation', 'callback-lost', 'callback-stall'],
  scenario: 'unregister-callbacks',
  origin: 'the CPU-hotplug analogue of skipping Linux\'s rcu_migrate_callbacks; crossbeam-epoch pushes the bag in Local::finalize',
  attach: (p, heap, cfg) => new UnregisterDropsBag(p, heap, cfg),
});
