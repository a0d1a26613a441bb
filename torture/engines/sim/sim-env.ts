/**
 * What every schedule of a sim run shares: the flavor, the thread plan, the
 * heap layout (each schedule gets a fresh heap of this layout), the control
 * block and the pool of workers the simulated threads run on.
 */
import { Piscina } from 'piscina';
import { ControlView, type ControlSizes } from '../../../lib/platform/sim/control.js';
import type { RunConfig } from '../../run/config.js';
import { compiledWorker, planRun, type RunPlan } from '../../run/plan.js';
import type { SimRoleResult, SimRoleTask } from './sim-worker.js';
import { startKeepWarm, type KeepWarm } from './keep-warm.js';

/** Decision-log capacity per schedule (entries); a longer record cannot be replayed. */
const LOG_CAP = 1 << 20;
/** Steps kept for trace.txt. */
export const TRACE_STEPS = 200;

export interface SimEnv extends RunPlan {
  cfg: RunConfig;
  controlSizes: ControlSizes;
  control: ControlView;
  pool: Piscina<SimRoleTask, SimRoleResult>;
  /** Terminates every worker (one may spin in plain JavaScript) and starts a fresh pool. */
  restartPool(): Promise<void>;
  /** "region+offset" of a heap cell, for traces and stall reports. */
  cellName(cell: number): string;
  /** The CPUs kept out of their idle state while the env lives (keep-warm.ts). */
  keepWarm: KeepWarm;
}

export async function createSimEnv(cfg: RunConfig): Promise<SimEnv> {
  const run = await planRun(cfg);
  const { threads, plan } = run;
  const controlSizes = { threads: threads.total, logCap: LOG_CAP, traceCap: TRACE_STEPS };
  const regions = Object.entries(plan.regions).map(([name, r]) => ({ name, ...r })).sort((a, b) => a.base - b.base);
  const newPool = () => new Piscina<SimRoleTask, SimRoleResult>({
    filename: compiledWorker('engines/sim/sim-worker.js'), minThreads: threads.total, maxThreads: threads.total,
    idleTimeout: 60_000, concurrentTasksPerWorker: 1, atomics: 'disabled',
  });
  const env: SimEnv = {
    cfg, ...run, controlSizes, control: ControlView.allocate(controlSizes), pool: newPool(),
    restartPool: async () => {
      const old = env.pool;
      env.pool = newPool();
      await old.destroy();
    },
    keepWarm: startKeepWarm(),
    cellName: (cell) => {
      const r = regions.find((x) => cell >= x.base && cell < x.base + x.words);
      return r ? `${r.name}+${cell - r.base}` : `cell ${cell}`;
    },
  };
  return env;
}

export async function closeSimEnv(env: SimEnv): Promise<void> {
  await env.keepWarm.stop();
  await env.pool.destroy();
}
