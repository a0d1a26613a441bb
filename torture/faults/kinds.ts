/**
 * The fault-kind registry: one descriptor per kind of trouble the harness
 * makes, as Linux keeps its generic trouble-makers in kernel/torture.c apart
 * from what RCU must guarantee. From these descriptors come the CLI's group
 * flags (cli/fault-options.ts), the header's "injected" line
 * (faults/describe.ts), swarm's kinds (faults/swarm.ts) and the coverage
 * counters (faults/coverage.ts). The scenario schema of each group is in
 * scenario/schema.ts (FAULT_GROUPS); test/fault-kinds.test.ts holds that
 * every descriptor is wired to its group, its flag, its role and swarm.
 *
 * Adding a fault kind: its schema group, one descriptor here, and its role.
 */
import type { Random } from '../run/random.js';
import type { FaultConfig, RunConfig } from '../run/config.js';
import type { FaultGroup, FaultOverrides } from '../scenario/schema.js';

export interface FaultKind {
  /** Its name in swarm draws and the header's swarm line. */
  name: string;
  /** The scenario fault group it sets (FAULT_GROUPS). */
  group: FaultGroup;
  /** The group's command-line flag (without --) and its help; one kind per group carries it. */
  flag?: { name: string; help: string };
  /** Its part of the header's "injected" line when it is on. */
  describe?: (f: FaultConfig) => string | null;
  /** How a swarm draw turns it on (random knobs) and off. */
  swarm?: { on: (r: Random, pointGlobs: string[]) => FaultOverrides; off: FaultOverrides };
  /** The coverage counters its role bumps (RoleContext.count(faultStat(name))). */
  counters: readonly string[];
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const int = (r: Random, lo: number, hi: number) => lo + r.below(hi - lo + 1);
const range = (lo: number, hi: number, unit = 'ms') => (lo === hi ? `${lo}${unit}` : `${lo}-${hi}${unit}`);
const pct = (x: number) => `${+(x * 100).toFixed(2)}%`;

/** In swarm order: a seed's draw walks this list. */
export const FAULT_KINDS: readonly FaultKind[] = [
  {
    name: 'reader-delays', group: 'reader',
    flag: { name: 'reader-delays', help: 'reader section shape: shortDelayOneIn, shortDelayUs, longDelayOneIn, longDelayMs, nestOneIn, maxNesting, yieldOneIn' },
    swarm: {
      on: (r) => ({ reader: {
        shortDelayOneIn: int(r, 10, 1000), shortDelayUs: int(r, 10, 200),
        longDelayOneIn: int(r, 1000, 100_000), longDelayMs: int(r, 1, 30), yieldOneIn: int(r, 50, 5000),
      } }),
      off: { reader: { shortDelayOneIn: 0, longDelayOneIn: 0, yieldOneIn: 0 } },
    },
    counters: ['shortDelays', 'longDelays', 'yields'],
  },
  {
    name: 'nesting', group: 'reader',
    swarm: { on: (r) => ({ reader: { nestOneIn: int(r, 2, 50), maxNesting: int(r, 2, 8) } }), off: { reader: { nestOneIn: 0 } } },
    counters: ['nestedSections'],
  },
  {
    name: 'sleeps', group: 'sleeps',
    flag: { name: 'sleeps', help: 'sleepy readers: readers (share), probability, minMs, maxMs, outsideProbability' },
    describe: (f) => f.sleeps ? `sleeps ${pct(f.sleeps.probability)} ${range(f.sleeps.minMs, f.sleeps.maxMs)} outside ${pct(f.sleeps.outsideProbability)}` : null,
    swarm: {
      on: (r) => ({ sleeps: {
        readers: round(r.range(0.1, 1), 2), probability: round(r.range(0.001, 0.05), 4),
        minMs: round(r.range(0.1, 2), 2), maxMs: int(r, 2, 30), outsideProbability: round(r.range(0, 0.05), 4),
      } }),
      off: { sleeps: false },
    },
    counters: ['sectionSleeps', 'outsideSleeps'],
  },
  {
    name: 'busy-loops', group: 'busyLoop',
    flag: { name: 'busy-loops', help: 'busy-loop readers (vCPU model): readers (share), maxSpinMs (or forever)' },
    describe: (f) => f.busyLoop ? `busy loops max ${f.busyLoop.maxSpinMs === 'forever' ? 'forever' : `${f.busyLoop.maxSpinMs}ms`}` : null,
    // Finite spins: a correct flavor may legitimately wait for a busy reader
    // that only a drain kicks (qemu-v0), and a swarm must not invent stalls.
    swarm: { on: (r) => ({ busyLoop: { readers: round(r.range(0.1, 0.5), 2), maxSpinMs: int(r, 20, 500) } }), off: { busyLoop: false } },
    counters: ['busyLoops', 'busyTimeouts'],
  },
  {
    name: 'slow-callbacks', group: 'callbacks',
    flag: { name: 'slow-callbacks', help: 'delayed callbacks: probability, minMs, maxMs, spin' },
    describe: (f) => f.callbacks ? `slow callbacks ${pct(f.callbacks.probability)} ${range(f.callbacks.minMs, f.callbacks.maxMs)}${f.callbacks.spin ? ' spinning' : ''}` : null,
    swarm: {
      on: (r) => ({ callbacks: { probability: round(r.range(0.01, 0.3), 3), minMs: round(r.range(0, 1), 2), maxMs: int(r, 1, 10), spin: r.oneIn(2) } }),
      off: { callbacks: false },
    },
    counters: ['slowCallbacks'],
  },
  {
    // Its flags are --preempt, --preempt-prob and --preempt-ms (cli/fault-options.ts); its hits are pointHits.
    name: 'preempt', group: 'points',
    describe: (f) => f.points ? `preempt ${f.points.match.join(',')} ${pct(f.points.probability)} ${range(f.points.minMs, f.points.maxMs)}` : null,
    swarm: {
      on: (r, globs) => {
        const match = r.oneIn(3) ? ['*'] : globs.filter(() => r.oneIn(2));
        return { points: { match: match.length ? match : ['*'], probability: round(r.range(0.001, 0.05), 4), minMs: 0, maxMs: round(r.range(0.1, 3), 2) } };
      },
      off: { points: false },
    },
    counters: [],
  },
  {
    name: 'flood', group: 'flood',
    flag: { name: 'flood', help: 'callback flooders: flooders, burst, pauseMs, nodes, memoryCapMb (maxPending: accepted, no longer a verdict)' },
    describe: (f) => f.flood ? `flood ${f.flood.flooders}x${f.flood.burst}/${f.flood.pauseMs}ms pool ${f.flood.nodes} cap ${f.flood.memoryCapMb}MiB` : null,
    swarm: {
      on: (r) => ({ flood: { flooders: int(r, 1, 2), burst: int(r, 32, 1024), pauseMs: int(r, 0, 5), nodes: 1024 * int(r, 1, 8) } }),
      off: { flood: false },
    },
    counters: ['floodPosted', 'floodThrottled'],
  },
  {
    name: 'churn', group: 'churn',
    flag: { name: 'churn', help: 'registration churners: churners, minSections, maxSections, pauseMs, fresh, callbacks (call_rcu before each unregister), drainEvery (a drain from the same thread every n unregisters)' },
    describe: (f) => f.churn ? `churn ${f.churn.churners}x${range(f.churn.minSections, f.churn.maxSections, '')} sections${f.churn.fresh ? ' fresh' : ''}${f.churn.callbacks ? ` ${f.churn.callbacks} call_rcu/unregister` : ''}${f.churn.drainEvery ? ` drain/${f.churn.drainEvery}` : ''}` : null,
    swarm: {
      on: (r) => ({ churn: { churners: int(r, 1, 2), minSections: 1, maxSections: int(r, 1, 100), pauseMs: int(r, 0, 2), fresh: r.oneIn(2), callbacks: 4, drainEvery: 0 } }),
      off: { churn: false },
    },
    counters: ['registrations', 'unregisterCallbacks'],
  },
  {
    name: 'stutter', group: 'stutter',
    flag: { name: 'stutter', help: 'all roles pause together: pauseMs, runMs' },
    describe: (f) => f.stutter ? `stutter ${f.stutter.pauseMs}ms off/${f.stutter.runMs}ms on` : null,
    swarm: { on: (r) => ({ stutter: { pauseMs: int(r, 100, 1000), runMs: int(r, 1000, 5000) } }), off: { stutter: false } },
    counters: ['stutterPauses'],
  },
  {
    name: 'updater-mix', group: 'fakewriter',
    flag: { name: 'updater-mix', help: 'fakewriters: synchronize, callRcu, drain, barrier, force (weights), delayMinMs, delayMaxMs, callBurst' },
    swarm: {
      on: (r) => ({ fakewriter: { weights: { synchronize: int(r, 0, 10), callRcu: int(r, 0, 10), drain: int(r, 0, 10), barrier: int(r, 0, 10), force: int(r, 0, 10) } } }),
      off: {},
    },
    counters: [],
  },
  {
    name: 'updater-sleeps', group: 'updaterSleeps',
    flag: { name: 'updater-sleeps', help: 'updaters sleep between operations: probability, minMs, maxMs' },
    describe: (f) => f.updaterSleeps ? `updater sleeps ${pct(f.updaterSleeps.probability)} ${range(f.updaterSleeps.minMs, f.updaterSleeps.maxMs)}` : null,
    swarm: {
      on: (r) => ({ updaterSleeps: { probability: round(r.range(0.01, 0.2), 3), minMs: round(r.range(0, 2), 2), maxMs: int(r, 2, 30) } }),
      off: { updaterSleeps: false },
    },
    counters: ['updaterSleeps'],
  },
  {
    name: 'writer-pacing', group: 'writer',
    flag: { name: 'writer', help: 'writer pacing: delayMinMs, delayMaxMs, syncFraction' },
    counters: [],
  },
];

/** The header's "injected" parts, in registry order: only the kinds that are on. */
export function injectedFaults(cfg: RunConfig): string[] {
  return FAULT_KINDS.map((k) => k.describe?.(cfg.faults) ?? null).filter((s): s is string => s !== null);
}
