/**
 * Mutants: a correct variant with exactly one planted bug. A mutant reuses
 * its base's ops table and replaces only `attach` (with a subclass that
 * overrides the one method carrying the bug), so the change stays one
 * override away from the base and never a copied file.
 */
import type { FailureClass, RcuFlavor } from '../flavor.js';

export interface MutantSpec {
  /** The planted bug, in a word or two: the mutant is named `<base>!<bug>`. */
  bug: string;
  /** Overrides the `<base>!<bug>` name (the classic `busted`). */
  name?: string;
  description: string;
  expected: FailureClass[];
  /** The scenario that targets the bug. */
  scenario?: string;
  needsWeakMemory?: boolean;
  /** Where the bug comes from, when it is more than an invention (a real report, a known pitfall). */
  origin?: string;
  attach: RcuFlavor['attach'];
  caps?: Partial<RcuFlavor['caps']>;
}

export function mutant(base: RcuFlavor, spec: MutantSpec): RcuFlavor {
  return {
    ...base,
    name: spec.name ?? `${base.name}!${spec.bug}`,
    kind: 'mutant',
    base: base.name,
    description: spec.description,
    provenance: `planted bug in ${base.name}${spec.origin ? `; ${spec.origin}` : ''}`,
    caps: { ...base.caps, ...spec.caps },
    expected: spec.expected,
    scenario: spec.scenario,
    needsWeakMemory: spec.needsWeakMemory,
    attach: spec.attach,
  };
}
