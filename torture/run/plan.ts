/**
 * What a run of either engine is laid out from: the flavor, its thread plan
 * (readers, updaters, fault roles, the flavor's background threads) and the
 * shared-memory layout of harness and flavor regions.
 */
import { fileURLToPath } from 'node:url';
import { ThreadsPlatform } from '../../lib/platform/threads.js';
import { planLayout, prefixRegions, type LayoutPlan, type RegionSpec } from '../../lib/shm/layout.js';
import type { FlavorConfig, RcuFlavor } from '../../lib/rcu/flavor.js';
import { cbNodeCount, planThreads, type RunConfig, type ThreadPlan } from './config.js';
import { resolveFlavor } from './flavors.js';
import { reservedCells } from '../../lib/wasm/heap.js';
import { FLAVOR_PREFIX, harnessRegions, type HarnessSizes } from './heap-layout.js';

export interface RunPlan {
  flavor: RcuFlavor;
  flavorCfg: FlavorConfig;
  threads: ThreadPlan;
  backgroundNames: string[];
  sizes: HarnessSizes;
  specs: RegionSpec[];
  plan: LayoutPlan;
  /** "reader", "writer", "background call_rcu", ... for reports. */
  roleOf(slot: number): string;
}

export async function planRun(cfg: RunConfig): Promise<RunPlan> {
  const flavor = await resolveFlavor(cfg.variant, cfg.impl);
  const flavorCfg: FlavorConfig = { maxThreads: 1, counterMode: cfg.counterMode, counterBits: cfg.counterBits };
  // Attach once, off any heap, only to learn the background threads' names
  // (attach writes no shared memory, so a scratch buffer will do).
  const backgroundNames = flavor.attach(new ThreadsPlatform(new Int32Array(new SharedArrayBuffer(64)), { abortCell: 1, epochMs: 0 }),
    { base: () => 2 }, { ...flavorCfg, slot: -1, invoke: () => {} }).background.map((b) => b.name);
  const threads = planThreads(cfg, backgroundNames);
  flavorCfg.maxThreads = threads.total;
  const sizes: HarnessSizes = { threads: threads.total, elements: cfg.elements, cbNodes: cbNodeCount(cfg) };
  const specs = [...harnessRegions(sizes), ...prefixRegions(FLAVOR_PREFIX, flavor.layout(flavorCfg))];
  return {
    flavor, flavorCfg, threads, backgroundNames, sizes, specs, plan: planLayout(specs, reservedCells(flavor)),
    roleOf: (slot) => {
      const bg = threads.background.find((b) => b.slot === slot);
      return bg ? `background ${bg.name}` : (threads.roles.find((r) => r.slot === slot)?.role ?? 'unknown');
    },
  };
}

/**
 * A worker script by its path relative to dist/torture/, also when the
 * caller runs from source under vitest (workers can only load compiled JS).
 */
export function compiledWorker(relToTorture: string): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts')
    ? fileURLToPath(new URL(`../../dist/torture/${relToTorture}`, import.meta.url))
    : fileURLToPath(new URL(`../${relToTorture}`, import.meta.url));
}
