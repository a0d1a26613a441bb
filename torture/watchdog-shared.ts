/** Derived quantities any thread can read off the shared run. */
import type { SharedRun } from './shared.js';
import { ST } from './shared.js';

/** Callbacks queued and not yet invoked, over all threads. */
export function pendingCallbacks(shared: SharedRun): number {
  return shared.total(ST.CB_QUEUED) - shared.total(ST.CB_INVOKED);
}
