/** Builds the ops table of a QEMU-family posting from its class. */
import type { Platform } from '../../platform/platform.js';
import type { Heap } from '../../shm/layout.js';
import type { AttachConfig, CounterSpec, FailureClass, FlavorCaps, FlavorTarget, RcuFlavor } from '../flavor.js';
import type { QemuRcu } from './base.js';
import { qemuLayout } from '../common/state.js';
import { REGISTRY_POINTS } from '../common/points.js';

export type QemuImpl = new (p: Platform, heap: Heap, cfg: AttachConfig) => QemuRcu;

export const QEMU_CAPS: FlavorCaps = {
  callRcu: true, drain: true, barrier: false, force: false, fifoCallbacks: true, qsbr: false,
};

/** What QemuRcu.counters() reports; every QEMU posting reports all of them. */
export const QEMU_COUNTERS: CounterSpec[] = [
  { key: 'forcedGracePeriods', label: 'forced grace periods', group: 'grace periods',
    description: 'grace periods that entered the forced state (kick every reader, arm waiting, sleep on rcu_gp_event), whatever the cause' },
  { key: 'kicks', label: 'kicks', group: 'readers',
    description: 'force_rcu notifications delivered to readers (a vCPU made to leave cpu_exec)' },
  { key: 'forcedRequested', label: 'forced GPs: requested', group: 'grace periods',
    description: 'forced grace periods entered while a drain_call_rcu() or force_rcu() was outstanding' },
  { key: 'forcedBacklog', label: 'forced GPs: callback backlog', group: 'unsolicited',
    description: 'forced grace periods entered because RCU_CALL_MIN_SIZE callbacks were pending, nobody asking' },
  { key: 'forcedTimeout', label: 'forced GPs: poll timeout', group: 'unsolicited',
    description: 'forced grace periods entered because the normal state\'s polls ran out (host time), nobody asking' },
  { key: 'unsolicitedForcedGracePeriods', label: 'unsolicited forced GPs', group: 'unsolicited',
    description: 'forced grace periods no drain or force request asked for (backlog + timeout)' },
  { key: 'unsolicitedKicks', label: 'unsolicited kicks', group: 'unsolicited',
    description: 'kicks delivered by a forced grace period no drain or force request asked for' },
];

/** The named preemption points of the QEMU family's code. */
export const QEMU_POINTS: string[] = [...REGISTRY_POINTS, 'wait_for_readers:force-walk'];

export interface QemuFlavorSpec {
  name: string;
  description: string;
  provenance: string;
  impl: QemuImpl;
  caps?: Partial<FlavorCaps>;
  expected?: FailureClass[];
  scenario?: string;
  /** Several known bugs: `expected` and `scenario` are derived from these. */
  targets?: FlavorTarget[];
  /** Defaults to QEMU_COUNTERS. */
  counterSpecs?: CounterSpec[];
  /** Defaults to QEMU_POINTS. */
  points?: string[];
}

export function qemuFlavor(spec: QemuFlavorSpec): RcuFlavor {
  const Impl = spec.impl;
  return {
    name: spec.name,
    kind: 'variant',
    description: spec.description,
    provenance: spec.provenance,
    caps: { ...QEMU_CAPS, ...spec.caps },
    expected: spec.targets ? [...new Set(spec.targets.flatMap((t) => t.expected))] : spec.expected,
    scenario: spec.targets?.[0]?.scenario ?? spec.scenario,
    ...(spec.targets ? { targets: spec.targets } : {}),
    counterSpecs: spec.counterSpecs ?? QEMU_COUNTERS,
    points: spec.points ?? QEMU_POINTS,
    layout: qemuLayout,
    attach: (p, heap, cfg) => new Impl(p, heap, cfg),
  };
}
