/**
 * Finding the flavor a run tortures: a shipped one by name, or one exported
 * by a module given with --impl. The harness never names a variant itself.
 *
 * An --impl module is outside code, so everything it exports is checked
 * against the ops table before any worker runs it: a mistake in it becomes
 * one line naming what is missing (exit 2), not a worker crash mid-run.
 * `validateImpl` is what every command taking --impl calls in the main thread.
 */
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FLAVORS } from '../../lib/rcu/registry.js';
import { DEFAULT_FLAVOR_CONFIG, type AttachConfig, type FlavorCaps, type RcuFlavor } from '../../lib/rcu/flavor.js';
import { expectedClasses } from '../checks/classes.js';
import { ThreadsPlatform } from '../../lib/platform/threads.js';
import { allocateHeap, heapView, planLayout, prefixRegions, type LayoutPlan, type RegionSpec } from '../../lib/shm/layout.js';
import { UsageError } from './parse.js';
import { FLAVOR_PREFIX } from './heap-layout.js';
// The C path loads only for a C --impl: every worker resolves its flavor through here.
import { isCImpl, isTreeImpl } from '../c/impl-kind.js';

export class FlavorLookupError extends Error {}

const CAP_KEYS: (keyof FlavorCaps)[] = ['callRcu', 'drain', 'barrier', 'force', 'fifoCallbacks', 'qsbr'];
const REQUIRED_METHODS = ['registerThread', 'unregisterThread', 'readLock', 'readUnlock', 'synchronize', 'callRcu'] as const;
const OPTIONAL_METHODS = ['quiescentState', 'offline', 'online', 'drain', 'barrier', 'forceRcu', 'addForceNotifier', 'gpSeq', 'counters'] as const;
/** A capability the harness only exercises through a method the instance must then have. */
const CAP_METHODS: [keyof FlavorCaps, string][] = [['drain', 'drain'], ['barrier', 'barrier'], ['force', 'forceRcu'], ['qsbr', 'quiescentState']];
/** Thread slots of the scratch heap an instance is checked on. */
const SCRATCH_THREADS = 8;

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const oneLine = (e: unknown): string => {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.split('\n').map((s) => s.trim()).filter(Boolean).join(' ');
};

/** A module export that means to be a flavor: it has one of the ops table's defining fields. */
const looksLikeFlavor = (v: unknown): v is Loose => isObject(v) && ('attach' in v || 'layout' in v || 'caps' in v);

async function importImpl(path: string, label: string): Promise<Loose> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new UsageError(`--impl ${label}: no such file`);
  try {
    return (await import(pathToFileURL(abs).href)) as Loose;
  } catch (e) {
    const hint = ['.ts', '.mts', '.cts'].includes(extname(abs)) ? ' (compile it to JavaScript first)' : '';
    throw new UsageError(`--impl ${label}: cannot load: ${oneLine(e)}${hint}`);
  }
}

/**
 * The flavors of a loaded module: the default export and named exports, each
 * a flavor or an array of flavors (`export const flavors = [...]`), once each.
 */
function collect(mod: Loose): { where: string; value: Loose }[] {
  const seen = new Set<unknown>();
  const found: { where: string; value: Loose }[] = [];
  for (const [key, v] of Object.entries(mod)) {
    for (const item of Array.isArray(v) ? v : [v]) {
      // A shipped flavor re-exported as it is (to compare against) is not the module's own.
      if (!looksLikeFlavor(item) || seen.has(item) || (FLAVORS as unknown[]).includes(item)) continue;
      seen.add(item);
      found.push({ where: key === 'default' ? 'the default export' : `export "${key}"`, value: item });
    }
  }
  return found;
}

/**
 * Checks the ops table's fields (not the instance) and fills in the optional
 * descriptive ones. Throws a one-line Error naming what is wrong.
 */
function checkTable(f: Loose, where: string, source: string): RcuFlavor {
  if (typeof f.name !== 'string' || f.name === '') throw new Error(`${where} has no name`);
  if (!/^[^\s,]+$/.test(f.name)) throw new Error(`${where} has name "${f.name}": use one word without spaces or commas`);
  const it = `flavor "${f.name}"`;
  if (f.kind !== 'variant' && f.kind !== 'mutant') throw new Error(`${it} has kind ${JSON.stringify(f.kind)}: use "variant" or "mutant"`);
  if (!isObject(f.caps)) throw new Error(`${it} has no caps`);
  const caps = f.caps;
  const missingCaps = CAP_KEYS.filter((k) => typeof caps[k] !== 'boolean');
  if (missingCaps.length > 0) throw new Error(`${it} caps has no ${missingCaps.join(', ')} (booleans)`);
  const missing = ['layout', 'attach'].filter((k) => typeof f[k] !== 'function');
  if (missing.length > 0) throw new Error(`${it} has no ${missing.map((m) => `${m}()`).join(', ')}`);
  for (const k of ['description', 'provenance', 'base', 'scenario'] as const) {
    if (f[k] !== undefined && typeof f[k] !== 'string') throw new Error(`${it} has a ${k} that is not a string`);
  }
  if (f.expected !== undefined) {
    if (!Array.isArray(f.expected)) throw new Error(`${it} has expected that is not an array of failure classes`);
    expectedClasses(f.expected as unknown[] as string[], it);
  }
  return {
    ...(f as unknown as RcuFlavor),
    description: (f.description as string | undefined) ?? `from ${source}`,
    provenance: (f.provenance as string | undefined) ?? source,
  };
}

/** Which region of a plan a cell lies in, for messages. */
function regionOf(plan: LayoutPlan, cell: number): string {
  for (const [name, r] of Object.entries(plan.regions)) {
    if (cell >= r.base && cell < r.base + r.words) return `region "${name.slice(FLAVOR_PREFIX.length)}" cell ${cell - r.base}`;
  }
  return `cell ${cell}, outside its regions`;
}

/**
 * Attaches a flavor, as the main thread does, to a scratch heap of its own
 * layout and checks the instance it returns. No RCU operation runs: the
 * instance is only inspected (gpSeq and counters, which the main thread reads
 * during every run, are called once). Throws a one-line Error.
 */
export function checkInstance(flavor: RcuFlavor): void {
  const it = `flavor "${flavor.name}"`;
  const cfg = { ...DEFAULT_FLAVOR_CONFIG, maxThreads: SCRATCH_THREADS };
  let specs: RegionSpec[];
  try {
    specs = flavor.layout(cfg);
  } catch (e) {
    throw new Error(`${it} layout() threw: ${oneLine(e)}`);
  }
  if (!Array.isArray(specs) || !specs.every((s) => isObject(s) && typeof s.name === 'string')) {
    throw new Error(`${it} layout() must return an array of regions { name, words, init? }`);
  }
  // The abort cell comes first, outside the flavor's regions, as in a run.
  const all = [{ name: 'abort', words: 1, init: () => [1] }, ...prefixRegions(FLAVOR_PREFIX, specs)];
  let plan: LayoutPlan;
  let sab: SharedArrayBuffer;
  try {
    plan = planLayout(all);
    sab = allocateHeap(all, plan);
  } catch (e) {
    throw new Error(`${it} layout(): ${oneLine(e)}`);
  }
  const i32 = new Int32Array(sab);
  const before = i32.slice();
  // The abort cell is set, so an attach that blocks (waits, sleeps) throws instead of hanging.
  const platform = new ThreadsPlatform(i32, { abortCell: plan.regions.abort.base, epochMs: performance.timeOrigin + performance.now() });
  const attachCfg: AttachConfig = {
    ...cfg, slot: -1,
    invoke: () => { throw new Error('attach() invoked a callback'); },
  };
  let inst: unknown;
  try {
    inst = flavor.attach(platform, heapView(plan, FLAVOR_PREFIX), attachCfg);
  } catch (e) {
    throw new Error(`${it} attach() threw: ${oneLine(e)}`);
  }
  const changed = i32.findIndex((v, i) => v !== before[i]);
  if (changed >= 0) throw new Error(`${it} attach() wrote shared memory (${regionOf(plan, changed)}); initial state belongs in layout()`);
  if (!isObject(inst)) throw new Error(`${it} attach() returned ${inst === null ? 'null' : typeof inst}, not an instance`);
  const rcu = inst;
  const missing = REQUIRED_METHODS.filter((m) => typeof rcu[m] !== 'function');
  if (missing.length > 0) throw new Error(`${it} has no ${missing.map((m) => `${m}()`).join(', ')}`);
  const notFn = OPTIONAL_METHODS.filter((m) => rcu[m] !== undefined && typeof rcu[m] !== 'function');
  if (notFn.length > 0) throw new Error(`${it} has ${notFn.join(', ')} that ${notFn.length > 1 ? 'are' : 'is'} not a function`);
  for (const [cap, method] of CAP_METHODS) {
    if (flavor.caps[cap] && typeof rcu[method] !== 'function') throw new Error(`${it} declares caps.${cap} but has no ${method}()`);
  }
  const bg = rcu.background;
  if (!Array.isArray(bg) || !bg.every((b) => isObject(b) && typeof b.name === 'string' && typeof b.run === 'function')) {
    throw new Error(`${it} background must be an array of { name, run(stop, slot) } (empty when it has no threads)`);
  }
  try {
    if (typeof rcu.gpSeq === 'function') {
      const seq = (rcu.gpSeq as () => unknown)();
      if (!Number.isInteger(seq)) throw new Error(`gpSeq() returned ${String(seq)}, not an integer`);
    }
    if (typeof rcu.counters === 'function') {
      const c = (rcu.counters as () => unknown)();
      if (!isObject(c) || !Object.values(c).every((v) => typeof v === 'number')) throw new Error('counters() must return { name: number }');
    }
  } catch (e) {
    throw new Error(`${it} ${e instanceof Error && /^(gpSeq|counters)\(\)/.test(e.message) ? e.message : `gpSeq()/counters() threw: ${oneLine(e)}`}`);
  }
}

/**
 * The flavors an --impl module exports, with their ops tables checked (not
 * their instances). Cheap enough for every worker. Throws a UsageError.
 */
export async function loadImplFlavors(path: string, label = path): Promise<RcuFlavor[]> {
  // A folder is a QEMU source tree (QEMU mode: torture/c/qemu-tree.ts).
  if (isTreeImpl(path)) {
    const { loadQemuTreeFlavors } = await import('../c/qemu-tree.js');
    return uniqueNames(loadQemuTreeFlavors(path, `--qemu ${label}`), label);
  }
  if (isCImpl(path)) {
    if (!existsSync(resolve(path))) throw new UsageError(`--impl ${label}: no such file`);
    const { loadCFlavors } = await import('../c/load.js');
    return uniqueNames(loadCFlavors(path, `--impl ${label}`), label);
  }
  const mod = await importImpl(path, label);
  const found = collect(mod);
  if (found.length === 0) {
    throw new UsageError(`--impl ${label}: exports no flavor (export an object with name, kind, caps, layout() and attach(); see docs/writing-a-flavor.md)`);
  }
  const flavors: RcuFlavor[] = [];
  for (const { where, value } of found) {
    try {
      flavors.push(checkTable(value, where, label));
    } catch (e) {
      throw new UsageError(`--impl ${label}: ${(e as Error).message}`);
    }
  }
  return uniqueNames(flavors, label);
}

function uniqueNames(flavors: RcuFlavor[], label: string): RcuFlavor[] {
  const names = flavors.map((f) => f.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new UsageError(`--impl ${label}: two flavors are named "${dup}"`);
  return flavors;
}

/**
 * The validator every command taking --impl calls in the main thread before
 * starting anything: loads the module, checks every flavor's ops table and an
 * instance attached to a scratch heap, and refuses names of shipped flavors.
 * Returns the module's flavors in export order; throws a one-line UsageError
 * naming what is missing (the CLI turns it into exit 2).
 */
export async function validateImpl(path: string, label = path): Promise<RcuFlavor[]> {
  const flavors = await loadImplFlavors(path, label);
  const { cImageOf } = await import('../../lib/wasm/flavor.js');
  for (const f of flavors) {
    if (FLAVORS.some((s) => s.name === f.name)) {
      throw new UsageError(`--impl ${label}: flavor "${f.name}" has the name of a shipped flavor; give it its own name`);
    }
    // A C flavor's descriptor was checked as it loaded; its instances need the run's memory.
    if (cImageOf(f)) continue;
    try {
      checkInstance(f);
    } catch (e) {
      throw new UsageError(`--impl ${label}: ${(e as Error).message}`);
    }
  }
  return flavors;
}

/**
 * Checks one flavor object (from code that builds flavors itself rather than
 * loading a module): the ops table and an attached instance. Throws a
 * one-line UsageError; returns the flavor with its descriptive fields filled in.
 */
export function checkFlavor(candidate: unknown, source = 'the flavor'): RcuFlavor {
  try {
    if (!isObject(candidate)) throw new Error(`${source} is not an object`);
    const f = checkTable(candidate, source, source);
    checkInstance(f);
    return f;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Every flavor a run may name: an --impl module's first, then the shipped ones. */
export async function flavorPool(impl?: string): Promise<RcuFlavor[]> {
  return impl ? [...(await loadImplFlavors(impl)), ...FLAVORS] : FLAVORS;
}

export async function resolveFlavor(name: string, impl?: string): Promise<RcuFlavor> {
  const f = (await flavorPool(impl)).find((x) => x.name === name);
  if (!f) throw new FlavorLookupError(`unknown variant "${name}"`);
  return f;
}
