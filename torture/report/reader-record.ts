/**
 * The failing reader's record, as Linux's rtrsp dump: for the first
 * use-after-reclaim or short grace period of a run, what that reader's
 * section did. Built only on failure, from a few locals the section keeps
 * anyway and the small SectionTrace its delays mark (plain object fields,
 * no shared-memory stores on the hot path).
 */

/** Delays a section can fire; bits of SectionTrace.delays. */
export const DELAY = { long: 1, short: 2, yield: 4, busy: 8, sleep: 16 } as const;
export type DelayName = keyof typeof DELAY;

/** What the delays of the current section did: reset at every section's start, marked by the body. */
export class SectionTrace {
  delays = 0;
  /** Time spent in the delays that fired (ms, engine clock); the rest of a section is a few loads. */
  delayMs = 0;

  reset(): void {
    this.delays = 0;
    this.delayMs = 0;
  }

  mark(d: number, ms: number): void {
    this.delays |= d;
    this.delayMs += ms;
  }
}

export interface ReaderRecord {
  cls: 'use-after-reclaim' | 'short-grace-period';
  role: string;
  thread: number;
  /** Engine time of the failure (ms since the run's start; virtual under sim). */
  atMs: number;
  /** Read locks held at the deepest point (1: not nested). */
  depth: number;
  /** Whether the nested locks were held across the delay (else opened and closed before it). */
  nestAroundDelay: boolean;
  delays: DelayName[];
  delayMs: number;
  /** gpSeq read right after readLock, right before readUnlock, and after readUnlock (absent: the flavor has none). */
  gpSeq?: { afterLock: number; beforeUnlock: number; afterUnlock: number };
  element: number;
  generation: number;
  generationAfter: number;
  pipe: number;
  mbtest: number;
  poisoned: boolean;
}

export function delayNames(bits: number): DelayName[] {
  return (Object.keys(DELAY) as DelayName[]).filter((k) => (bits & DELAY[k]) !== 0);
}

/** The earliest record among the roles' (each role keeps only its first). */
export function earliestRecord(records: (ReaderRecord | undefined)[]): ReaderRecord | undefined {
  let first: ReaderRecord | undefined;
  for (const r of records) if (r && (!first || r.atMs < first.atMs)) first = r;
  return first;
}

/** The end-of-run report's lines for it. */
export function formatReaderRecord(r: ReaderRecord): string[] {
  const seq = r.gpSeq ? `gpSeq ${r.gpSeq.afterLock} after lock, ${r.gpSeq.beforeUnlock} before unlock, ${r.gpSeq.afterUnlock} after unlock` : 'no gpSeq';
  const delays = r.delays.length ? `${r.delays.join('+')} (${r.delayMs.toFixed(3)} ms)` : 'none';
  return [
    `  first failing reader (${r.cls}): ${r.role} ${r.thread} at ${r.atMs.toFixed(1)} ms`,
    `    nesting depth ${r.depth}${r.depth > 1 && !r.nestAroundDelay ? ' (closed before the delay)' : ''}, delays ${delays}, ${seq}`,
    `    element ${r.element}: generation ${r.generation} -> ${r.generationAfter}, pipe ${r.pipe}, mbtest ${r.mbtest}${r.poisoned ? ', poisoned' : ''}`,
  ];
}
