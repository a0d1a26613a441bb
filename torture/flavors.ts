/**
 * Finding the flavor a run tortures: a shipped one by name, or one exported
 * by a module given with --impl. The harness never names a variant itself.
 */
import { pathToFileURL } from 'node:url';
import { FLAVORS } from '../lib/rcu/registry.js';
import type { RcuFlavor } from '../lib/rcu/flavor.js';

export class FlavorLookupError extends Error {}

/** Flavors exported by an --impl module: a default export, a `flavors` array, or named exports. */
export async function loadImplFlavors(path: string): Promise<RcuFlavor[]> {
  const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const found: unknown[] = [];
  for (const v of Object.values(mod)) {
    if (Array.isArray(v)) found.push(...v);
    else found.push(v);
  }
  return found.filter((f): f is RcuFlavor => typeof f === 'object' && f !== null && 'attach' in f && 'name' in f);
}

export async function resolveFlavor(name: string, impl?: string): Promise<RcuFlavor> {
  const pool = impl ? [...(await loadImplFlavors(impl)), ...FLAVORS] : FLAVORS;
  const f = pool.find((x) => x.name === name);
  if (!f) throw new FlavorLookupError(`unknown variant "${name}"`);
  return f;
}
