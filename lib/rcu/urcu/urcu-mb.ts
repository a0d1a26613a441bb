/**
 * urcu-mb: liburcu's explicit-barrier flavor. VARIANTS.md, section urcu-mb.
 *
 * Readers as in QEMU (which ported this flavor); the grace period always
 * takes two phases of a parity bit, whatever the counter width, and the
 * updater spins about a hundred scans before sleeping (UrcuBase).
 */
import { UrcuBase, URCU_CAPS } from './base.js';
import { registryFlavor } from '../common/flavor.js';
import { REGISTRY_POINTS } from '../common/points.js';

export class UrcuMb extends UrcuBase {
  protected override twoPhase(): boolean { return true; }
}

export const urcuMb = registryFlavor({
  name: 'urcu-mb',
  description: 'liburcu explicit-barrier flavor: two-phase parity grace periods, bounded spin then futex sleep, rcu_barrier',
  provenance: 'liburcu urcu-mb (Desnoyers et al., "User-Level Implementations of Read-Copy Update", IEEE TPDS 2012)',
  impl: UrcuMb,
  counterSpecs: [],
  points: REGISTRY_POINTS,
  caps: URCU_CAPS,
});
