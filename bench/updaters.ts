/**
 * The updaters' side for `npm run bench`: the default scenario on the
 * default variant, as a user runs it (default readers, writer and
 * fakewriters, the scenario's own delays), with its grace periods per
 * second beside its reader rate from the same run, so that a change that
 * makes readers faster by starving the writer and fakewriters shows.
 */
import { DEFAULT_FLAVOR } from '../lib/rcu/registry.js';
import { runTorture } from '../torture/run/run.js';
import { resolveRunConfig } from '../torture/run/resolve-config.js';
import { metricsOf } from '../torture/compare/metrics.js';

export interface UpdaterRound {
  readsPerReader: number;
  /** Grace periods completed per second in the steady part of the run phase (compare's figure). */
  gracePeriodsPerSec: number;
  synchronizesPerSec: number;
  readers: number;
  fakewriters: number;
}

export async function updaterRound(seed: number, durationMs: number): Promise<UpdaterRound> {
  const cfg = await resolveRunConfig({ variant: DEFAULT_FLAVOR, durationMs, seed });
  const s = await runTorture(cfg, { resultsRoot: null });
  if (s.verdict !== 'SUCCESS') throw new Error(`bench run (default scenario) was not clean: ${s.verdict}`);
  const m = metricsOf(s);
  // The run phase only: the end-of-run drain forces grace periods of its own.
  const phase = s.runPhase ?? { ms: s.durationMs, counters: s.counters };
  return {
    readsPerReader: m.readsPerSecPerReader ?? 0,
    gracePeriodsPerSec: m.gracePeriodsPerSec ?? 0,
    synchronizesPerSec: phase.counters.synchronizes / (Math.max(1, phase.ms) / 1000),
    readers: cfg.readers,
    fakewriters: cfg.fakewriters,
  };
}
