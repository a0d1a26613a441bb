/**
 * `busted`: rcutorture's classic sanity mutant. synchronize() returns at
 * once and call_rcu() runs the callback at once, so readers are reclaimed
 * under their feet. If the suite cannot find this, it cannot find anything.
 */
import { QemuV0, qemuV0 } from '../qemu/v0.js';
import { HEAD_FUNC } from '../../shm/mpsc-queue.js';
import { mutant } from './mutant.js';

class Busted extends QemuV0 {
  override synchronize(): void {}
  override callRcu(node: number, fn: number): void {
    this.p.store(node + HEAD_FUNC, fn, 'relaxed');
    this.invoke(node);
  }
}

export const busted = mutant(qemuV0, {
  bug: 'busted',
  name: 'busted',
  description: 'synchronize returns at once and call_rcu runs the callback at once (rcutorture\'s "busted")',
  // Callbacks run at once: premature by definition, and often seen before any reader trips.
  expected: ['use-after-reclaim', 'premature-callback'],
  scenario: 'default',
  origin: 'after the "busted" flavor of Linux\'s rcutorture (kernel/rcu/rcutorture.c)',
  attach: (p, heap, cfg) => new Busted(p, heap, cfg),
});
