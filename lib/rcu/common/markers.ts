/**
 * Marker callbacks: an rcu_head followed by an event the callback sets when
 * it runs. drain_call_rcu(), rcu_barrier() and (from qemu-v2 on) QEMU's
 * synchronize_rcu() queue one behind the callbacks they wait for; FIFO
 * invocation makes "the marker ran" mean "everything before it ran".
 */
import type { Platform } from '../../platform/platform.js';
import { Event } from '../../shm/event.js';
import { HEAD_FUNC, RCU_HEAD_WORDS } from '../../shm/mpsc-queue.js';

/** A marker's done event sits right after its rcu_head. */
export const MARKER_DONE = RCU_HEAD_WORDS;
/** Flavor-internal callback id: "set the event after this rcu_head". */
export const MARKER_FN = -1;
/** Heap words of one marker. */
export const MARKER_WORDS = RCU_HEAD_WORDS + 1;

/** Queue a marker through `callRcu`; the returned event is set when it runs. */
export function queueMarker(p: Platform, marker: number, callRcu: (node: number, fn: number) => void): Event {
  const done = new Event(p, marker + MARKER_DONE);
  done.reset();
  callRcu(marker, MARKER_FN);
  return done;
}

/** Invoke one dequeued callback: markers are the flavor's own, everything else the harness's. */
export function invokeNode(p: Platform, node: number, invoke: (fn: number, node: number) => void): void {
  const fn = p.load(node + HEAD_FUNC, 'relaxed');
  if (fn === MARKER_FN) new Event(p, node + MARKER_DONE).set();
  else invoke(fn, node);
}
