/**
 * Preemption points shared by the flavors built on the reader registry and
 * the MPSC callback queue (QEMU's util/rcu.c and liburcu's flavors), as
 * VARIANTS.md names them. A flavor declares the ones its code marks
 * (RcuFlavor.points) so that swarm and --preempt need no flavor names.
 */
export const QUEUE_POINTS = ['enqueue:after-exchange'];

export const READ_SIDE_POINTS = ['read_lock:after-load', 'read_unlock:before-wake'];

export const REGISTRY_POINTS: string[] = [
  ...READ_SIDE_POINTS,
  ...QUEUE_POINTS,
  'register:in-lock',
  'wait_for_readers:after-scan',
  'wait_for_readers:before-wait',
  'call_rcu_thread:after-count',
  'call_rcu_thread:before-dequeue',
];
