/** Derived quantities any thread can read off the shared run. */
import type { SharedRun } from '../run/heap-layout.js';
import { ST } from '../run/heap-layout.js';

/** Callbacks queued and not yet invoked, over all threads. */
export function pendingCallbacks(shared: SharedRun): number {
  // Invoked first: every callback invoked by then was queued earlier, so a
  // concurrent invocation can make this overcount, never undercount.
  const invoked = shared.total(ST.CB_INVOKED);
  return shared.total(ST.CB_QUEUED) - invoked;
}
