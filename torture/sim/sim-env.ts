/**
 * What every schedule of a sim run shares: the flavor, the thread plan, the
 * heap layout (each schedule gets a fresh heap of this layout), the control
 * block and the pool of workers the simulated threads run on.
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { ThreadsPlatform } from '../../lib/platform/threads.js';
import { ControlView, type ControlSizes } from '../../lib/platform/sim/control.js';
import { planLayout, prefixRegions, type LayoutPlan, type RegionSpec } from '../../lib/shm/layout.js';
import type { FlavorConfig, RcuFlavor } from '../../lib/rcu/flavor.js';
import { cbNodeCount, planThreads, type RunConfig, type ThreadPlan } from '../config.js';
import { resolveFlavor } from '../flavors.js';
import { FLAVOR_PREFIX, harnessRegions, type HarnessSizes } from '../shared.js';
import type { SimRoleResult, SimRoleTask } from './sim-worker.js';

/** Decision-log capacity per schedule (entries); a longer record cannot be replayed. */
const LOG_CAP = 1 << 20;
/** Steps kept for trace.txt. */
export const TRACE_STEPS = 200;

export interface SimEnv {
  cfg: RunConfig;
  flavor: RcuFlavor;
  flavorCfg: FlavorConfig;
  threads: ThreadPlan;
  backgroundNames: string[];
  specs: RegionSpec[];
  plan: LayoutPlan;
  sizes: HarnessSizes;
  controlSizes: ControlSizes;
  control: ControlView;
  pool: Piscina<SimRoleTask, SimRoleResult>;
  roleOf(slot: number): string;
  /** "region+offset" of a heap cell, for traces and stall reports. */
  cellName(cell: number): string;
}

function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts')
    ? fileURLToPath(new URL('../../dist/torture/sim/sim-worker.js', import.meta.url))
    : fileURLToPath(new URL('./sim-worker.js', import.meta.url));
}

export async function createSimEnv(cfg: RunConfig): Promise<SimEnv> {
  const flavor = await resolveFlavor(cfg.variant, cfg.impl);
  const flavorCfg: FlavorConfig = { maxThreads: 1, counterMode: cfg.counterMode, counterBits: cfg.counterBits };
  // Attach once, off any heap, only to learn the background threads' names.
  const backgroundNames = flavor.attach(new ThreadsPlatform(new Int32Array(new SharedArrayBuffer(64)), { abortCell: 1, epochMs: 0 }),
    { base: () => 2 }, { ...flavorCfg, slot: -1, invoke: () => {} }).background.map((b) => b.name);
  const threads = planThreads(cfg, backgroundNames);
  flavorCfg.maxThreads = threads.total;
  const sizes: HarnessSizes = { threads: threads.total, elements: cfg.elements, cbNodes: cbNodeCount(cfg) };
  const specs = [...harnessRegions(sizes), ...prefixRegions(FLAVOR_PREFIX, flavor.layout(flavorCfg))];
  const plan = planLayout(specs);
  const controlSizes = { threads: threads.total, logCap: LOG_CAP, traceCap: TRACE_STEPS };
  const regions = Object.entries(plan.regions).map(([name, r]) => ({ name, ...r })).sort((a, b) => a.base - b.base);
  const pool = new Piscina<SimRoleTask, SimRoleResult>({
    filename: workerFile(), minThreads: threads.total, maxThreads: threads.total,
    idleTimeout: 60_000, concurrentTasksPerWorker: 1, atomics: 'disabled',
  });
  return {
    cfg, flavor, flavorCfg, threads, backgroundNames, specs, plan, sizes, controlSizes,
    control: ControlView.allocate(controlSizes), pool,
    roleOf: (slot) => {
      const bg = threads.background.find((b) => b.slot === slot);
      return bg ? `background ${bg.name}` : (threads.roles.find((r) => r.slot === slot)?.role ?? 'unknown');
    },
    cellName: (cell) => {
      const r = regions.find((x) => cell >= x.base && cell < x.base + x.words);
      return r ? `${r.name}+${cell - r.base}` : `cell ${cell}`;
    },
  };
}

export async function closeSimEnv(env: SimEnv): Promise<void> {
  await env.pool.destroy();
}
