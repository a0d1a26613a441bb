/** Builds the ops table of a QEMU-family posting from its class. */
import type { Platform } from '../../platform/platform.js';
import type { Heap } from '../../shm/layout.js';
import type { AttachConfig, FailureClass, FlavorCaps, RcuFlavor } from '../flavor.js';
import type { QemuRcu } from './base.js';
import { qemuLayout } from '../common/state.js';

export type QemuImpl = new (p: Platform, heap: Heap, cfg: AttachConfig) => QemuRcu;

export const QEMU_CAPS: FlavorCaps = {
  callRcu: true, drain: true, barrier: false, force: false, fifoCallbacks: true, qsbr: false,
};

export interface QemuFlavorSpec {
  name: string;
  description: string;
  provenance: string;
  impl: QemuImpl;
  caps?: Partial<FlavorCaps>;
  expected?: FailureClass[];
  scenario?: string;
}

export function qemuFlavor(spec: QemuFlavorSpec): RcuFlavor {
  const Impl = spec.impl;
  return {
    name: spec.name,
    kind: 'variant',
    description: spec.description,
    provenance: spec.provenance,
    caps: { ...QEMU_CAPS, ...spec.caps },
    expected: spec.expected,
    scenario: spec.scenario,
    layout: qemuLayout,
    attach: (p, heap, cfg) => new Impl(p, heap, cfg),
  };
}
