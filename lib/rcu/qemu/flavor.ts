/** Builds the ops table of a QEMU-family posting from its class. */
import type { Platform } from '../../platform/platform.js';
import type { Heap } from '../../shm/layout.js';
import type { AttachConfig, CounterSpec, FlavorCaps, RcuFlavor } from '../flavor.js';
import type { QemuRcu } from './base.js';
import { registryFlavor, type RegistryFlavorSpec } from '../common/flavor.js';
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

export type QemuFlavorSpec = Omit<RegistryFlavorSpec, 'impl' | 'caps' | 'counterSpecs' | 'points'> & {
  impl: QemuImpl;
  /** Over QEMU_CAPS. */
  caps?: Partial<FlavorCaps>;
  /** Defaults to QEMU_COUNTERS. */
  counterSpecs?: CounterSpec[];
  /** Defaults to QEMU_POINTS. */
  points?: string[];
};

export function qemuFlavor(spec: QemuFlavorSpec): RcuFlavor {
  return registryFlavor({
    ...spec,
    caps: { ...QEMU_CAPS, ...spec.caps },
    counterSpecs: spec.counterSpecs ?? QEMU_COUNTERS,
    points: spec.points ?? QEMU_POINTS,
  });
}
