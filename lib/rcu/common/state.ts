/**
 * Shared-memory layout of the registry-based flavors (QEMU util/rcu.c and liburcu): the global
 * control cells every posting uses, the call_rcu queue, and one reader
 * record per thread slot (`struct rcu_reader_data`).
 *
 * One layout serves all postings; a posting simply leaves unused the cells
 * it does not know about (qemu-v0 never touches FORCED or CALL_SEM).
 */
import type { FlavorConfig } from '../flavor.js';
import { CACHE_LINE_CELLS, type RegionSpec } from '../../shm/layout.js';
import { eventInit } from '../../shm/event.js';
import { MPSC_QUEUE_WORDS, RCU_HEAD_WORDS, mpscQueueInit } from '../../shm/mpsc-queue.js';
import { MARKER_DONE } from './markers.js';

/**
 * Control cells, as offsets into the "control" region. The two every reader
 * section loads (rcu_gp_ctr, and the harness's gpSeq) have a cache line to
 * themselves: they change once a grace period, while the cells after them
 * change at every call_rcu, wake-up or kick (in QEMU they are separate
 * globals, not one struct).
 */
export const C = {
  GP_CTR: 0,          // rcu_gp_ctr; bit 0 always set
  SEQ: 1,             // grace-period sequence (rcu_seq style): the harness's accounting, not QEMU's
  GP_EVENT: CACHE_LINE_CELLS, // rcu_gp_event: a reader leaving its section wakes the updater
  REGISTRY_LOCK: CACHE_LINE_CELLS + 1,
  SYNC_LOCK: CACHE_LINE_CELLS + 2,
  REGISTRY: CACHE_LINE_CELLS + 3,   // list head of registered readers
  QS_LIST: CACHE_LINE_CELLS + 4,    // wait_for_readers' qsreaders (updater-local, under registry_lock)
  CALL_COUNT: CACHE_LINE_CELLS + 5, // rcu_call_count (qemu-v3: rcu_call_state, FORCED in bit 31)
  IN_DRAIN: CACHE_LINE_CELLS + 6,   // in_drain_call_rcu
  READY: CACHE_LINE_CELLS + 7,      // rcu_call_ready_event (qemu-v2: sync_event)
  FORCED: CACHE_LINE_CELLS + 8,     // qemu-v2 and the semaphore proposal: the `forced` flag
  FORCE_EVENT: CACHE_LINE_CELLS + 9, // qemu-v3: rcu_call_force_event
  CALL_SEM: CACHE_LINE_CELLS + 10,  // the semaphore proposal: sync_event as a QemuSemaphore
  // Accounting for the harness from here on (not in QEMU; no algorithm reads it).
  KICKS: CACHE_LINE_CELLS + 11,     // force notifications delivered
  FORCED_GPS: CACHE_LINE_CELLS + 12, // grace periods that entered the forced state
  FORCE_REQS: CACHE_LINE_CELLS + 13, // force_rcu() calls not yet seen by a forced grace period
  FORCED_REQUESTED: CACHE_LINE_CELLS + 14, // forced grace periods entered while a drain or force request was outstanding
  FORCED_BACKLOG: CACHE_LINE_CELLS + 15, // ... entered for a callback backlog (RCU_CALL_MIN_SIZE), nobody asking
  FORCED_TIMEOUT: CACHE_LINE_CELLS + 16, // ... entered when the normal state's polls ran out, nobody asking
  UNSOLICITED_KICKS: CACHE_LINE_CELLS + 17, // kicks delivered by a forced grace period nobody asked for
  SIZE: CACHE_LINE_CELLS + 18,
} as const;

export const RCU_GP_LOCKED = 1;
export const RCU_GP_CTR = 2;
/** RCU_CALL_MIN_SIZE: a batch this large is served (v0) or forced (v1+) at once. */
export const RCU_CALL_MIN_SIZE = 30;
export const MAX_NOTIFIERS = 4;

/**
 * Reader record cells (per thread slot): one cache line each, as liburcu
 * aligns struct rcu_reader (QEMU's is thread-local). The list entry sits at R.NEXT.
 */
export const R = {
  CTR: 0,
  WAITING: 1,
  NEXT: 2,
  PREV: 3,
  NOTIFIER_COUNT: 4,
  NOTIFIERS: 5,                                   // MAX_NOTIFIERS cells
  DRAIN_MARKER: 5 + MAX_NOTIFIERS,                // rcu_head + done event
  SYNC_MARKER: 5 + MAX_NOTIFIERS + RCU_HEAD_WORDS + 1,
  SIZE: CACHE_LINE_CELLS,
} as const;
if (R.SYNC_MARKER + RCU_HEAD_WORDS + 1 > R.SIZE) throw new Error('reader record overflows its cache line');

export function registryLayout(cfg: FlavorConfig): RegionSpec[] {
  return [
    {
      name: 'control',
      words: C.SIZE,
      align: CACHE_LINE_CELLS,
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
    // call_rcu's tail and head, written at every call: a line apart from the readers'.
    { name: 'queue', words: MPSC_QUEUE_WORDS, init: mpscQueueInit, align: CACHE_LINE_CELLS },
    {
      name: 'readers',
      words: R.SIZE * cfg.maxThreads,
      align: CACHE_LINE_CELLS,
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
