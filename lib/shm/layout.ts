/**
 * Shared-memory layout: one SharedArrayBuffer per run, cut into named
 * regions of 32-bit cells. The plan is computed once in the main thread and
 * sent to every worker; regions never move and nothing is allocated later.
 */

export interface RegionSpec {
  name: string;
  /** Size in 32-bit cells. */
  words: number;
  /** Alignment in cells (2 for a region read as Float64). Default 1. */
  align?: number;
  /**
   * Initial contents, written once by the main thread before any worker
   * starts. Receives the region's base so it can store cell addresses.
   */
  init?: (base: number) => ArrayLike<number>;
}

export interface Region { base: number; words: number }

/** Serializable result of laying out regions: what workers receive. */
export interface LayoutPlan {
  regions: Record<string, Region>;
  totalWords: number;
}

/**
 * Cell 0 is reserved so that 0 can mean "null" for cell addresses (queue and
 * list links), as NULL does in C.
 */
export const FIRST_CELL = 2;

/**
 * A cache line in cells (64 bytes). Cells that one thread writes often and
 * others read on their hot path go on lines of their own, as liburcu aligns
 * its rcu_reader and crossbeam pads its epochs: a reader's section store
 * must not drag a neighbour's record, nor a free-list update the pointer
 * every reader loads, from core to core (false sharing). The buffer itself
 * starts on a page, so a cell index that is a multiple of this starts a line.
 */
export const CACHE_LINE_CELLS = 16;

/** `words` rounded up to whole cache lines. */
export function wholeLines(words: number): number {
  return Math.ceil(words / CACHE_LINE_CELLS) * CACHE_LINE_CELLS;
}

/**
 * `firstCell` reserves the cells below it (a C module's image lives at the
 * bottom of the heap; see lib/wasm/heap.ts).
 */
export function planLayout(specs: RegionSpec[], firstCell = FIRST_CELL): LayoutPlan {
  const regions: Record<string, Region> = {};
  let next = Math.max(firstCell, FIRST_CELL);
  for (const s of specs) {
    if (regions[s.name]) throw new Error(`layout: region "${s.name}" declared twice`);
    if (!Number.isInteger(s.words) || s.words < 0) throw new Error(`layout: region "${s.name}" has bad size ${s.words}`);
    const align = s.align ?? 1;
    next = Math.ceil(next / align) * align;
    regions[s.name] = { base: next, words: s.words };
    next += s.words;
  }
  return { regions, totalWords: Math.ceil(next / 2) * 2 };
}

/** Allocates the buffer for a plan and writes every region's initial contents. */
export function allocateHeap(specs: RegionSpec[], plan: LayoutPlan): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(plan.totalWords * 4);
  writeInitialContents(new Int32Array(sab), specs, plan);
  return sab;
}

/** Writes every region's initial contents into a heap laid out by `plan`. */
export function writeInitialContents(i32: Int32Array, specs: RegionSpec[], plan: LayoutPlan): void {
  for (const s of specs) {
    if (!s.init) continue;
    const r = plan.regions[s.name];
    const values = s.init(r.base);
    if (values.length > r.words) throw new Error(`layout: init of "${s.name}" overflows its ${r.words} cells`);
    for (let i = 0; i < values.length; i++) i32[r.base + i] = values[i];
  }
}

/** A flavor's view of its own regions. */
export interface Heap {
  /** Base cell of one of the regions the flavor declared in `layout()`. */
  base(name: string): number;
}

/** Heap view restricted to regions whose names start with `prefix`. */
export function heapView(plan: LayoutPlan, prefix: string): Heap {
  return {
    base(name: string): number {
      const r = plan.regions[prefix + name];
      if (!r) throw new Error(`layout: no region "${name}"`);
      return r.base;
    },
  };
}

/** Prefixes a flavor's region specs so they cannot collide with the harness's. */
export function prefixRegions(prefix: string, specs: RegionSpec[]): RegionSpec[] {
  return specs.map((s) => ({ ...s, name: prefix + s.name }));
}
