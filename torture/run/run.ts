/**
 * One run, on the engine its configuration names. The engines plug into the
 * shared lifecycle (run/lifecycle.ts); this is the only module that knows
 * both, so neither engine imports the other.
 */
import type { RunConfig } from './config.js';
import type { RunOptions } from './options.js';
import type { Summary } from '../report/summary.js';
import { runThreads } from '../engines/threads/engine.js';
import { runSim } from '../engines/sim/runner.js';

export async function runTorture(cfg: RunConfig, opts: RunOptions = {}): Promise<Summary> {
  return cfg.engine === 'sim' ? runSim(cfg, opts) : runThreads(cfg, opts);
}
