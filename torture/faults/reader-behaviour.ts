/**
 * Which readers get which behaviour: the first share of reader slots busy
 * loops (faults.busyLoop.readers), the next share is sleepy
 * (faults.sleeps.readers), the rest are plain rcutorture readers. Fixed by
 * index, not drawn, so the header can say exactly who does what.
 */
import type { RunConfig } from '../run/config.js';

export type ReaderBehaviour = 'busy' | 'sleepy' | 'plain';

export function readerShares(cfg: Pick<RunConfig, 'readers' | 'faults'>): Record<ReaderBehaviour, number> {
  const n = cfg.readers;
  const busy = Math.min(n, Math.round(n * (cfg.faults.busyLoop?.readers ?? 0)));
  const sleepy = Math.min(n - busy, Math.round(n * (cfg.faults.sleeps?.readers ?? 0)));
  return { busy, sleepy, plain: n - busy - sleepy };
}

export function readerBehaviour(cfg: Pick<RunConfig, 'readers' | 'faults'>, index: number): ReaderBehaviour {
  const s = readerShares(cfg);
  return index < s.busy ? 'busy' : index < s.busy + s.sleepy ? 'sleepy' : 'plain';
}
