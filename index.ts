/**
 * The rcutorture package: the types and shared-memory helpers a flavor is
 * written with (docs/writing-a-flavor.md), and the programmatic API.
 *
 *   import { torture } from 'rcutorture';
 *   const summary = await torture({ impl: './my-rcu.mjs', duration: '5s' });
 */

// ---- writing a flavor: the Platform and the ops table -------------------------
export type { Platform, MemoryOrder, WaitResult } from './lib/platform/platform.js';
export { PlatformAbort } from './lib/platform/platform.js';
export type {
  RcuFlavor, RcuInstance, FlavorCaps, FlavorConfig, AttachConfig, BackgroundThread,
} from './lib/rcu/flavor.js';
export type { FailureClass } from './torture/checks/classes.js';
export { DEFAULT_FLAVOR_CONFIG, gpSeqSnap, gpSeqDone } from './lib/rcu/flavor.js';
export { FAILURE_CLASSES } from './torture/checks/classes.js';
export { mutant, type MutantSpec } from './lib/rcu/mutants/mutant.js';
export { VARIANTS, MUTANTS, FLAVORS, findFlavor } from './lib/rcu/registry.js';

// ---- shared memory: layout and the primitives built on the Platform -----------
export type { RegionSpec, Heap } from './lib/shm/layout.js';
export { Event, EVENT_WORDS, eventInit } from './lib/shm/event.js';
export { Mutex, MUTEX_WORDS } from './lib/shm/mutex.js';
export { Semaphore, SEMAPHORE_WORDS } from './lib/shm/semaphore.js';
export { MpscQueue, MPSC_QUEUE_WORDS, mpscQueueInit, RCU_HEAD_WORDS, HEAD_NEXT, HEAD_FUNC } from './lib/shm/mpsc-queue.js';
export { IntrusiveList, LIST_ENTRY_WORDS } from './lib/shm/list.js';

// ---- the programmatic API -------------------------------------------------------
export { torture, compare, type TortureOptions, type CompareApiOptions } from './torture/api.js';
export type { CompareResult } from './torture/compare/result.js';
export type { Summary, Verdict } from './torture/report/summary.js';
export type { LineKind } from './torture/run/options.js';
export { validateImpl, checkFlavor } from './torture/run/flavors.js';
export { UsageError } from './torture/run/parse.js';

