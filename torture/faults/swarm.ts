/**
 * Swarm testing (--swarm): each run draws, from its seed, a random subset of
 * the fault kinds with random weights, and turns every other kind off. Long
 * soaks then explore combinations nobody wrote a scenario for, and a seed
 * names its combination exactly (printed in the header, kept in summary.json).
 */
import { Random } from '../run/random.js';
import { STREAMS } from '../run/streams.js';
import type { FaultOverrides } from '../scenario/schema.js';


/**
 * The globs a swarm picks among: one per family of points the flavor
 * declares (`RcuFlavor.points`, "enqueue:after-exchange" -> "enqueue:*").
 * A flavor that declares none gets '*' only.
 */
export function pointGlobs(declared: readonly string[] | undefined): string[] {
  return [...new Set((declared ?? []).map((name) => `${name.split(':')[0]}:*`))];
}

type Kind = { name: string; on: (r: Random, globs: string[]) => FaultOverrides; off: FaultOverrides };

const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const int = (r: Random, lo: number, hi: number) => lo + r.below(hi - lo + 1);

const KINDS: Kind[] = [
  {
    name: 'reader-delays',
    on: (r) => ({ reader: {
      shortDelayOneIn: int(r, 10, 1000), shortDelayUs: int(r, 10, 200),
      longDelayOneIn: int(r, 1000, 100_000), longDelayMs: int(r, 1, 30), yieldOneIn: int(r, 50, 5000),
    } }),
    off: { reader: { shortDelayOneIn: 0, longDelayOneIn: 0, yieldOneIn: 0 } },
  },
  { name: 'nesting', on: (r) => ({ reader: { nestOneIn: int(r, 2, 50), maxNesting: int(r, 2, 6) } }), off: { reader: { nestOneIn: 0 } } },
  {
    name: 'sleeps',
    on: (r) => ({ sleeps: {
      readers: round(r.range(0.1, 1), 2), probability: round(r.range(0.001, 0.05), 4),
      minMs: round(r.range(0.1, 2), 2), maxMs: int(r, 2, 30), outsideProbability: round(r.range(0, 0.05), 4),
    } }),
    off: { sleeps: false },
  },
  // Finite spins: a correct flavor may legitimately wait for a busy reader
  // that only a drain kicks (qemu-v0), and a swarm must not invent stalls.
  { name: 'busy-loops', on: (r) => ({ busyLoop: { readers: round(r.range(0.1, 0.5), 2), maxSpinMs: int(r, 20, 500) } }), off: { busyLoop: false } },
  {
    name: 'slow-callbacks',
    on: (r) => ({ callbacks: { probability: round(r.range(0.01, 0.3), 3), minMs: round(r.range(0, 1), 2), maxMs: int(r, 1, 10), spin: r.oneIn(2) } }),
    off: { callbacks: false },
  },
  {
    name: 'preempt',
    on: (r, globs) => {
      const match = r.oneIn(3) ? ['*'] : globs.filter(() => r.oneIn(2));
      return { points: { match: match.length ? match : ['*'], probability: round(r.range(0.001, 0.05), 4), minMs: 0, maxMs: round(r.range(0.1, 3), 2) } };
    },
    off: { points: false },
  },
  {
    name: 'flood',
    on: (r) => ({ flood: { flooders: int(r, 1, 2), burst: int(r, 32, 1024), pauseMs: int(r, 0, 5), nodes: 1024 * int(r, 1, 8) } }),
    off: { flood: false },
  },
  {
    name: 'churn',
    on: (r) => ({ churn: { churners: int(r, 1, 2), minSections: 1, maxSections: int(r, 1, 100), pauseMs: int(r, 0, 2), fresh: r.oneIn(2) } }),
    off: { churn: false },
  },
  { name: 'stutter', on: (r) => ({ stutter: { pauseMs: int(r, 100, 1000), runMs: int(r, 1000, 5000) } }), off: { stutter: false } },
  {
    name: 'updater-mix',
    on: (r) => ({ fakewriter: { weights: { synchronize: int(r, 0, 10), callRcu: int(r, 0, 10), drain: int(r, 0, 10), barrier: int(r, 0, 10), force: int(r, 0, 10) } } }),
    off: {},
  },
  {
    name: 'updater-sleeps',
    on: (r) => ({ updaterSleeps: { probability: round(r.range(0.01, 0.2), 3), minMs: round(r.range(0, 2), 2), maxMs: int(r, 2, 30) } }),
    off: { updaterSleeps: false },
  },
];

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
  for (const k of KINDS) overrides = merge(overrides, chosen.includes(k) ? k.on(r, globs) : k.off);
  return { kinds: chosen.map((k) => k.name), overrides };
}
