/**
 * Swarm testing (--swarm): each run draws, from its seed, a random subset of
 * the fault kinds with random weights, and turns every other kind off. Long
 * soaks then explore combinations nobody wrote a scenario for, and a seed
 * names its combination exactly (printed in the header, kept in summary.json).
 */
import { Random } from '../run/random.js';
import { STREAMS } from '../run/streams.js';
import type { FaultOverrides } from '../scenario/schema.js';
import { FAULT_KINDS } from './kinds.js';

/**
 * The globs a swarm picks among: one per family of points the flavor
 * declares (`RcuFlavor.points`, "enqueue:after-exchange" -> "enqueue:*").
 * A flavor that declares none gets '*' only.
 */
export function pointGlobs(declared: readonly string[] | undefined): string[] {
  return [...new Set((declared ?? []).map((name) => `${name.split(':')[0]}:*`))];
}

/** The kinds a swarm draws among: every registered fault kind with a swarm part, in registry order. */
const KINDS = FAULT_KINDS.filter((k) => k.swarm !== undefined);

/** Merges group by group (later wins per key), as applyFaultOverrides would apply them in turn. */
function merge(a: FaultOverrides, b: FaultOverrides): FaultOverrides {
  const out: Record<string, unknown> = { ...a };
  for (const [g, v] of Object.entries(b)) {
    const prev = out[g];
    out[g] = v && typeof prev === 'object' && prev ? { ...prev, ...v } : v;
  }
  return out as FaultOverrides;
}

/**
 * The fault kinds a seed draws (at least one) and the overrides that turn
 * them on and every other kind off; `points` are the flavor's declared
 * preemption points, which the preempt kind chooses among.
 */
export function drawSwarm(seed: number, points?: readonly string[]): { kinds: string[]; overrides: FaultOverrides } {
  const globs = pointGlobs(points);
  const r = new Random(seed, STREAMS.swarm());
  let chosen = KINDS.filter(() => r.oneIn(2));
  if (chosen.length === 0) chosen = [KINDS[r.below(KINDS.length)]];
  let overrides: FaultOverrides = {};
  for (const k of KINDS) overrides = merge(overrides, chosen.includes(k) ? k.swarm!.on(r, globs) : k.swarm!.off);
  return { kinds: chosen.map((k) => k.name), overrides };
}
