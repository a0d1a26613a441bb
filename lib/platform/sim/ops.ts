/** What a simulated step did, as the trace records it. */
export const enum Op {
  Load = 0, Store = 1, Exchange = 2, CompareExchange = 3, FetchAdd = 4, FetchOr = 5, FetchAnd = 6,
  Fence = 7, Wait = 8, Wake = 9, Sleep = 10, Now = 11, Relax = 12, Point = 13,
  /** The scheduler committed the oldest entry of a thread's store buffer (TSO). */
  Commit = 14,
  /** A store that went into the thread's store buffer instead of memory (TSO). */
  BufferedStore = 15,
}

export const OP_NAMES = [
  'load', 'store', 'exchange', 'cmpxchg', 'fetch_add', 'fetch_or', 'fetch_and',
  'fence', 'wait', 'wake', 'sleep', 'now', 'relax', 'point', 'commit', 'store(buffered)',
];

/** A stable 31-bit id for a point name (FNV-1a), so the trace can name points without a shared table. */
export function pointId(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h & 0x7fffffff;
}
