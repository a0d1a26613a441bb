/**
 * One run, on the engine its configuration names. The engines plug into the
 * shared lifecycle (run/lifecycle.ts); this is the only module that knows
 * both, so neither engine imports the other. Each is loaded only when a run
 * asks for it: a threads run does not pay for loading the simulator, nor a
 * sim run for the worker pool (start-up time counts against --duration).
 */
import type { RunConfig } from './config.js';
import type { RunOptions } from './options.js';
import type { Summary } from '../report/summary.js';

export async function runTorture(cfg: RunConfig, opts: RunOptions = {}): Promise<Summary> {
  if (cfg.engine === 'sim') return (await import('../engines/sim/runner.js')).runSim(cfg, opts);
  return (await import('../engines/threads/engine.js')).runThreads(cfg, opts);
}
