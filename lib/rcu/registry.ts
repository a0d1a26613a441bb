/** Every shipped RCU implementation: variants first, then mutants. */
import type { RcuFlavor } from './flavor.js';
import { qemuV0 } from './qemu-v0.js';
import { busted } from './busted.js';

export const VARIANTS: RcuFlavor[] = [qemuV0];
export const MUTANTS: RcuFlavor[] = [busted];
export const FLAVORS: RcuFlavor[] = [...VARIANTS, ...MUTANTS];

/** What `rcutorture` tortures when no --variant is given. */
export const DEFAULT_FLAVOR = 'qemu-v0';

export function findFlavor(name: string): RcuFlavor | undefined {
  return FLAVORS.find((f) => f.name === name);
}
