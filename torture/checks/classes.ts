/**
 * The failure-class vocabulary: what the harness can report. It belongs to
 * the harness, not to the ops table: a flavor's `expected` is a plain list
 * of names, validated against this list when the flavor is loaded.
 *
 * The order is the order of the per-thread error counters (ST.ERR_BASE) and
 * of "first failure" in the sim engine: append new classes at the end.
 */
export const FAILURE_CLASSES = [
  'use-after-reclaim',
  'premature-callback',
  'callback-lost',
  'callback-duplicated',
  'callback-order',
  'drain-violation',
  'gp-stall',
  'callback-stall',
  'callback-backlog',
  'leak',
  'worker-crash',
  'gp-seq-backwards',
  'short-grace-period',
  'forward-progress',
] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

export function isFailureClass(name: unknown): name is FailureClass {
  return (FAILURE_CLASSES as readonly unknown[]).includes(name);
}

/** A flavor's `expected` list (plain names in the ops table) as failure classes; an unknown name is an error naming it. */
export function expectedClasses(expected: readonly string[] | undefined, who: string): FailureClass[] {
  const bad = (expected ?? []).find((c) => !isFailureClass(c));
  if (bad !== undefined) throw new Error(`${who} expects unknown failure class ${JSON.stringify(bad)}; classes are ${FAILURE_CLASSES.join(', ')}`);
  return (expected ?? []) as FailureClass[];
}
