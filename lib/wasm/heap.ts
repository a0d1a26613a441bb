/**
 * The run's heap for a C flavor: a shared WebAssembly.Memory instead of a
 * bare SharedArrayBuffer (its .buffer is one, so every Int32Array view of
 * the harness works unchanged). The module's image occupies the bytes below
 * __heap_base: the harness's regions start above it (reservedCells), and the
 * image is initialised once per run, here, before any thread attaches.
 */
import { allocateHeap, FIRST_CELL, writeInitialContents, type LayoutPlan, type RegionSpec } from '../shm/layout.js';
import type { RcuFlavor } from '../rcu/flavor.js';
import { cImageOf } from './flavor.js';
import { PAGE_BYTES } from './image.js';
import { inertImports } from './imports.js';

export interface RunHeap {
  sab: SharedArrayBuffer;
  /** Present for a C flavor: what workers instantiate the module on. */
  memory?: WebAssembly.Memory;
}

/** The first cell the harness may lay regions at for this flavor. */
export function reservedCells(flavor: RcuFlavor): number {
  const img = cImageOf(flavor);
  return img ? Math.ceil(img.heapBase / 16) * 4 : FIRST_CELL;
}

/**
 * `asMemory`: a flavor that is not C gets its heap as a shared
 * WebAssembly.Memory too (the threads engine's Platform then accesses it
 * through inlined wasm atomics, lib/platform/wasm-atomics.ts); without it,
 * a plain SharedArrayBuffer (the sim engine, whose accesses are plain reads
 * and writes under the baton).
 */
export function allocateRunHeap(flavor: RcuFlavor, specs: RegionSpec[], plan: LayoutPlan, asMemory = false): RunHeap {
  const img = cImageOf(flavor);
  const planPages = Math.ceil((plan.totalWords * 4) / PAGE_BYTES);
  if (!img) {
    if (!asMemory) return { sab: allocateHeap(specs, plan) };
    let memory: WebAssembly.Memory;
    try {
      memory = sharedMemory(planPages);
    } catch {
      // A wasm memory reserves gigabytes of address space; where a limit (ulimit -v) refuses that,
      // the run goes on with a plain buffer and Atomics, slower but the same.
      return { sab: allocateHeap(specs, plan) };
    }
    return withContents(memory, specs, plan);
  }
  const pages = Math.max(img.minPages, planPages);
  if (pages > img.maxPages) {
    throw new Error(`C flavor "${flavor.name}": the run needs ${pages} pages of memory, the module allows ${img.maxPages} (--max-memory)`);
  }
  const memory = sharedMemory(pages);
  // Instantiating runs the module's start function, which copies the data
  // segments and zeroes bss once per memory (later instances skip it).
  new WebAssembly.Instance(img.module, { env: { memory, ...inertImports(img.module, `C flavor "${flavor.name}"`) } });
  return withContents(memory, specs, plan);
}

/** A shared memory of a fixed size (it never grows: every view of its buffer stays valid). */
function sharedMemory(pages: number): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

/** The run heap on `memory`, every region's initial contents written. */
function withContents(memory: WebAssembly.Memory, specs: RegionSpec[], plan: LayoutPlan): RunHeap {
  const sab = memory.buffer as unknown as SharedArrayBuffer;
  writeInitialContents(new Int32Array(sab), specs, plan);
  return { sab, memory };
}
