/** Every shipped RCU implementation: variants first, then mutants. */
import type { RcuFlavor } from './flavor.js';
import { qemuV0 } from './qemu/v0.js';
import { qemuV1 } from './qemu/v1.js';
import { qemuV2 } from './qemu/v2.js';
import { qemuV3 } from './qemu/v3.js';
import { qemuV3Semaphore } from './qemu/v3-semaphore.js';
import { urcuMb } from './urcu/urcu-mb.js';
import { qsbr } from './urcu/qsbr.js';
import { ebr } from './ebr/ebr.js';
import { busted } from './mutants/busted.js';
import {
  qemuV0EarlyCallbacks, qemuV0NarrowSinglePhase, qemuV0LostWakeup, qemuV0NoForceNotify,
  qemuV0UnlockSkipsWake, qemuV0RegisterUnlocked, qemuV0NoReaderBarrier, qemuV0SometimesNoWait, qemuV0NestingWraps,
} from './mutants/qemu-v0.js';
import { qemuV1CountAfterGp } from './mutants/qemu-v1.js';
import { qemuV3SemaphoreAsPosted } from './mutants/qemu-v3-semaphore.js';
import { urcuMbBarrierOwnOnly, urcuMbFloodStarved } from './mutants/urcu-mb.js';
import { ebrUnregisterDropsBag } from './mutants/ebr.js';

export const VARIANTS: RcuFlavor[] = [qemuV0, qemuV1, qemuV2, qemuV3, qemuV3Semaphore, urcuMb, qsbr, ebr];

/** In the order of VARIANTS.md's mutant table, then the literal postings kept as mutants. */
export const MUTANTS: RcuFlavor[] = [
  busted,
  qemuV0EarlyCallbacks,
  qemuV1CountAfterGp,
  qemuV0NarrowSinglePhase,
  qemuV0LostWakeup,
  qemuV0NoForceNotify,
  qemuV0UnlockSkipsWake,
  qemuV0RegisterUnlocked,
  qemuV0NoReaderBarrier,
  qemuV3SemaphoreAsPosted,
  urcuMbBarrierOwnOnly,
  urcuMbFloodStarved,
  qemuV0SometimesNoWait,
  qemuV0NestingWraps,
  ebrUnregisterDropsBag,
];
export const FLAVORS: RcuFlavor[] = [...VARIANTS, ...MUTANTS];

/** What `rcutorture` tortures when no --variant is given. */
export const DEFAULT_FLAVOR = 'qemu-v0';

export function findFlavor(name: string): RcuFlavor | undefined {
  return FLAVORS.find((f) => f.name === name);
}
