/**
 * Fault coverage: how often each injected fault fired, counted per thread in
 * the statistics block (ST.FAULT_BASE) and summed by the main thread, so a
 * user can see that a soak really exercised what its scenario asked for.
 */
import { ST, type SharedRun } from '../run/heap-layout.js';

/** Counter names, in ST.FAULT_BASE order (at most 16). */
export const FAULT_COUNTERS = [
  'shortDelays', 'longDelays', 'yields', 'nestedSections', 'sectionSleeps', 'outsideSleeps',
  'busyLoops', 'busyTimeouts', 'slowCallbacks', 'updaterSleeps', 'floodPosted', 'floodThrottled',
  'registrations', 'stutterPauses', 'unregisterCallbacks',
] as const;
export type FaultCounter = (typeof FAULT_COUNTERS)[number];

// A 17th counter would write into the next thread's read count: refuse to load instead.
if (ST.FAULT_BASE + FAULT_COUNTERS.length > ST.SIZE) {
  throw new Error(`${FAULT_COUNTERS.length} fault counters overflow the statistics block (room for ${ST.SIZE - ST.FAULT_BASE} at ST.FAULT_BASE)`);
}

/** Statistic index of a fault counter, for RoleContext.count. */
export function faultStat(name: FaultCounter): number {
  return ST.FAULT_BASE + FAULT_COUNTERS.indexOf(name);
}

/** Every fault counter summed over all threads, plus kicks seen by busy readers (main thread). */
export function faultCounts(shared: SharedRun): Record<string, number> {
  const out: Record<string, number> = {};
  FAULT_COUNTERS.forEach((name, i) => { out[name] = shared.total(ST.FAULT_BASE + i); });
  out.kicksSeen = shared.total(ST.KICKS_SEEN);
  return out;
}

/** One line for the statistics block: only the faults that fired. */
export function formatFaultCounts(counts: Record<string, number>): string | null {
  const fired = Object.entries(counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${Math.round(n)}`);
  return fired.length ? `  faults: ${fired.join('  ')}` : null;
}
