/**
 * Shared-memory layout of the registry-based flavors (QEMU util/rcu.c and liburcu): the global
 * control cells every posting uses, the call_rcu queue, and one reader
 * record per thread slot (`struct rcu_reader_data`).
 *
 * One layout serves all postings; a posting simply leaves unused the cells
 * it does not know about (qemu-v0 never touches FORCED or CALL_SEM).
 */
import type { FlavorConfig } from '../flavor.js';
import type { RegionSpec } from '../../shm/layout.js';
import { eventInit } from '../../shm/event.js';
import { MPSC_QUEUE_WORDS, RCU_HEAD_WORDS, mpscQueueInit } from '../../shm/mpsc-queue.js';
import { MARKER_DONE } from './markers.js';

/** Control cells, as offsets into the "control" region. */
export const C = {
  GP_CTR: 0,          // rcu_gp_ctr; bit 0 always set
  GP_EVENT: 1,        // rcu_gp_event: a reader leaving its section wakes the updater
  REGISTRY_LOCK: 2,
  SYNC_LOCK: 3,
  REGISTRY: 4,        // list head of registered readers
  QS_LIST: 5,         // wait_for_readers' qsreaders (updater-local, under registry_lock)
  CALL_COUNT: 6,      // rcu_call_count (qemu-v3: rcu_call_state, FORCED in bit 31)
  IN_DRAIN: 7,        // in_drain_call_rcu
  READY: 8,           // rcu_call_ready_event (qemu-v2: sync_event)
  FORCED: 9,          // qemu-v2 and the semaphore proposal: the `forced` flag
  FORCE_EVENT: 10,    // qemu-v3: rcu_call_force_event
  CALL_SEM: 11,       // the semaphore proposal: sync_event as a QemuSemaphore
  // Accounting for the harness from here on (not in QEMU; no algorithm reads it).
  SEQ: 12,            // grace-period sequence (rcu_seq style)
  KICKS: 13,          // force notifications delivered
  FORCED_GPS: 14,     // grace periods that entered the forced state
  FORCE_REQS: 15,     // force_rcu() calls not yet seen by a forced grace period
  FORCED_REQUESTED: 16, // forced grace periods entered while a drain or force request was outstanding
  FORCED_BACKLOG: 17, // ... entered for a callback backlog (RCU_CALL_MIN_SIZE), nobody asking
  FORCED_TIMEOUT: 18, // ... entered when the normal state's polls ran out, nobody asking
  UNSOLICITED_KICKS: 19, // kicks delivered by a forced grace period nobody asked for
  SIZE: 20,
} as const;

export const RCU_GP_LOCKED = 1;
export const RCU_GP_CTR = 2;
/** RCU_CALL_MIN_SIZE: a batch this large is served (v0) or forced (v1+) at once. */
export const RCU_CALL_MIN_SIZE = 30;
export const MAX_NOTIFIERS = 4;

/** Reader record cells (per thread slot). The list entry sits at R.NEXT. */
export const R = {
  CTR: 0,
  WAITING: 1,
  NEXT: 2,
  PREV: 3,
  NOTIFIER_COUNT: 4,
  NOTIFIERS: 5,                                   // MAX_NOTIFIERS cells
  DRAIN_MARKER: 5 + MAX_NOTIFIERS,                // rcu_head + done event
  SYNC_MARKER: 5 + MAX_NOTIFIERS + RCU_HEAD_WORDS + 1,
  SIZE: 16,
} as const;

export function registryLayout(cfg: FlavorConfig): RegionSpec[] {
  return [
    {
      name: 'control',
      words: C.SIZE,
      init: () => {
        const c = new Array<number>(C.SIZE).fill(0);
        c[C.GP_CTR] = RCU_GP_LOCKED;
        // QEMU initialises rcu_gp_event set: a first wait on it returns at once.
        c[C.GP_EVENT] = eventInit(true);
        c[C.READY] = eventInit(false);
        c[C.FORCE_EVENT] = eventInit(false);
        return c;
      },
    },
    { name: 'queue', words: MPSC_QUEUE_WORDS, init: mpscQueueInit },
    {
      name: 'readers',
      words: R.SIZE * cfg.maxThreads,
      init: () => {
        const r = new Array<number>(R.SIZE * cfg.maxThreads).fill(0);
        for (let s = 0; s < cfg.maxThreads; s++) {
          r[s * R.SIZE + R.DRAIN_MARKER + MARKER_DONE] = eventInit(false);
          r[s * R.SIZE + R.SYNC_MARKER + MARKER_DONE] = eventInit(false);
        }
        return r;
      },
    },
  ];
}
