/** Builds the ops table of a flavor written on RegistryRcu (the QEMU postings and liburcu's flavors). */
import type { Platform } from '../../platform/platform.js';
import type { Heap } from '../../shm/layout.js';
import type { AttachConfig, CounterSpec, FailureClass, FlavorCaps, FlavorTarget, RcuFlavor } from '../flavor.js';
import type { RegistryRcu } from './registry-rcu.js';
import { registryLayout } from './state.js';

export type RegistryImpl = new (p: Platform, heap: Heap, cfg: AttachConfig) => RegistryRcu;

export interface RegistryFlavorSpec {
  name: string;
  description: string;
  provenance: string;
  impl: RegistryImpl;
  caps: FlavorCaps;
  expected?: FailureClass[];
  scenario?: string;
  /** Several known bugs: `expected` and `scenario` are derived from these. */
  targets?: FlavorTarget[];
  counterSpecs: CounterSpec[];
  points: string[];
}

export function registryFlavor(spec: RegistryFlavorSpec): RcuFlavor {
  const Impl = spec.impl;
  return {
    name: spec.name,
    kind: 'variant',
    description: spec.description,
    provenance: spec.provenance,
    caps: spec.caps,
    expected: spec.targets ? [...new Set(spec.targets.flatMap((t) => t.expected))] : spec.expected,
    scenario: spec.targets?.[0]?.scenario ?? spec.scenario,
    ...(spec.targets ? { targets: spec.targets } : {}),
    counterSpecs: spec.counterSpecs,
    points: spec.points,
    layout: registryLayout,
    attach: (p, heap, cfg) => new Impl(p, heap, cfg),
  };
}
