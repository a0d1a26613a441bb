/**
 * The effective configuration of one run: what the CLI and a scenario
 * resolve to, printed in the header and stored in summary.json. Plain data,
 * so it crosses into workers unchanged.
 */
import type { PointInjection } from '../../lib/platform/points.js';
import type { RoleName } from './context.js';
import type { SimConfig } from '../engines/sim/sim-config.js';

/** Reader critical-section shape, after rcutorture's rcu_read_delay(). */
export interface ReaderFaults {
  /** 1 in N sections spin for a short delay. */
  shortDelayOneIn: number;
  shortDelayUs: number;
  /** 1 in N sections sleep for a long delay (ms). */
  longDelayOneIn: number;
  longDelayMs: number;
  /** 1 in N sections nest further read locks, up to maxNesting deep in all; each level half as likely as the one below. */
  nestOneIn: number;
  maxNesting: number;
  /** 1 in N sections yield the CPU once (a 0-length sleep); absent or 0 = never. */
  yieldOneIn?: number;
}

export interface WriterFaults {
  /** Sleep between versions, ms (uniform in [min, max]). */
  delayMinMs: number;
  delayMaxMs: number;
  /** Chance that the old element is retired with synchronize() rather than call_rcu(). */
  syncFraction: number;
}

export interface FakewriterFaults {
  delayMinMs: number;
  delayMaxMs: number;
  /** Relative weights of the update operations (ignored where the flavor lacks the op). */
  weights: { synchronize: number; callRcu: number; drain: number; barrier: number; force: number };
  /** call_rcu operations queue this many callbacks in a row. */
  callBurst: number;
}

/** Readers that sleep inside critical sections (and, QSBR, offline outside them). */
export interface SleepFaults {
  /** Share of the readers (0..1) that are sleepy; the first ones after the busy loopers. */
  readers: number;
  /** Chance that a section sleeps, and for how long (ms, uniform). */
  probability: number;
  minMs: number;
  maxMs: number;
  /** Chance of a sleep between sections; a QSBR reader goes offline around it. */
  outsideProbability: number;
}

/** The vCPU model: readers spinning inside a section until their force notifier kicks them. */
export interface BusyLoopFaults {
  /** Share of the readers (0..1) that busy-loop (the first reader slots). */
  readers: number;
  /** Longest spin without a kick (ms); "forever" is how QEMU issue 650 hung. */
  maxSpinMs: number | 'forever';
}

/** Delayed callbacks: a slowed call_rcu thread. */
export interface CallbackFaults {
  /** Chance that a callback is delayed, and for how long (ms, uniform). */
  probability: number;
  minMs: number;
  maxMs: number;
  /** Spin (burn the call_rcu thread's CPU) instead of sleeping. */
  spin: boolean;
}

/** Forward progress: roles posting call_rcu bursts as fast as they can. */
export interface FloodFaults {
  flooders: number;
  /** Callbacks per burst, pause between bursts (ms, 0 = none). */
  burst: number;
  pauseMs: number;
  /** Callback nodes per flooder (its own pool). */
  nodes: number;
  /** No longer a verdict (checks/backlog.ts bounds the oldest pending callback's age instead); accepted so older scenario files load. */
  maxPending: number;
  /** callback-backlog when the process RSS exceeds this (MiB). */
  memoryCapMb: number;
}

/** Registration churn: threads that register, read, unregister in loops. */
export interface ChurnFaults {
  churners: number;
  /** Sections per registration (uniform in [min, max]). */
  minSections: number;
  maxSections: number;
  /** Pause between registrations (ms). */
  pauseMs: number;
  /** Each cycle attaches a fresh flavor instance, as a new short-lived thread would (read-exit). */
  fresh: boolean;
  /**
   * call_rcu calls each registration makes just before it unregisters (the
   * CPU-hotplug analogue of rcu_migrate_callbacks: every one must still run).
   */
  callbacks: number;
  /**
   * Every this many unregisters (0: never), the churner drains (or barriers)
   * from the same thread and checks that every callback it queued before,
   * through instances since unregistered, has run (rcu_barrier after CPU offline).
   */
  drainEvery: number;
}

/** Callback nodes of each churner's own pool. */
export const CHURNER_NODES = 64;

/** Stutter: every torture role holds still for pauseMs, then runs for runMs. */
export interface StutterFaults {
  pauseMs: number;
  runMs: number;
}

/** Injected sleeps of the writer and fakewriters between operations. */
export interface UpdaterSleepFaults {
  probability: number;
  minMs: number;
  maxMs: number;
}

/** Every optional fault group; absent = that fault is off. */
export interface OptionalFaults {
  points?: PointInjection;
  sleeps?: SleepFaults;
  busyLoop?: BusyLoopFaults;
  callbacks?: CallbackFaults;
  flood?: FloodFaults;
  churn?: ChurnFaults;
  stutter?: StutterFaults;
  updaterSleeps?: UpdaterSleepFaults;
}

export interface FaultConfig extends OptionalFaults {
  reader: ReaderFaults;
  writer: WriterFaults;
  fakewriter: FakewriterFaults;
}

export interface RunConfig {
  variant: string;
  /** A module exporting extra flavors (--impl), as an absolute path. */
  impl?: string;
  scenario: string;
  engine: 'threads' | 'sim';
  /** The simulation engine's settings (engine 'sim' only). */
  sim?: SimConfig;
  seed: number;
  durationMs: number;
  readers: number;
  fakewriters: number;
  stallTimeoutMs: number;
  statIntervalMs: number;
  counterMode: 'wide' | 'narrow';
  counterBits: number;
  /** Torture element pool size. */
  elements: number;
  /** Callback nodes per fakewriter. */
  cbNodesPerFakewriter: number;
  faults: FaultConfig;
  /** --swarm: the fault kinds this run's seed drew (already applied to faults). */
  swarm?: string[];
}

export const DEFAULT_FAULTS: FaultConfig = {
  reader: { shortDelayOneIn: 200, shortDelayUs: 50, longDelayOneIn: 20000, longDelayMs: 20, nestOneIn: 20, maxNesting: 8 },
  writer: { delayMinMs: 0, delayMaxMs: 2, syncFraction: 0.5 },
  fakewriter: {
    delayMinMs: 0,
    delayMaxMs: 10,
    weights: { synchronize: 4, callRcu: 4, drain: 1, barrier: 1, force: 1 },
    callBurst: 4,
  },
};

/** Where in the pool a thread sits: readers first, then updaters, then fault roles, then background. */
export interface RoleSlot { slot: number; role: RoleName; index: number }

export interface ThreadPlan {
  /** Every thread of the run, one piscina task each. */
  roles: RoleSlot[];
  readers: number[];
  writer: number;
  fakewriters: number[];
  /** Fault roles (absent in plans made before they existed). */
  flooders?: number[];
  churners?: number[];
  stutter?: number[];
  background: { slot: number; index: number; name: string }[];
  total: number;
}

type PlanInput = Pick<RunConfig, 'readers' | 'fakewriters'> & { faults?: Pick<FaultConfig, 'flood' | 'churn' | 'stutter'> };

export function planThreads(cfg: PlanInput, backgroundNames: string[]): ThreadPlan {
  let next = 0;
  const take = (n: number) => Array.from({ length: n }, () => next++);
  const readers = take(cfg.readers);
  const writer = next++;
  const fakewriters = take(cfg.fakewriters);
  // Churners get slots of their own: a flavor's per-slot reader state is
  // reused by every registration of the same churner, never shared.
  const flooders = take(cfg.faults?.flood?.flooders ?? 0);
  const churners = take(cfg.faults?.churn?.churners ?? 0);
  const stutter = take(cfg.faults?.stutter ? 1 : 0);
  const background = backgroundNames.map((name, index) => ({ slot: next++, index, name }));
  const as = (role: RoleName) => (slot: number, index: number): RoleSlot => ({ slot, role, index });
  const roles: RoleSlot[] = [
    ...readers.map(as('reader')),
    { slot: writer, role: 'writer', index: 0 },
    ...fakewriters.map(as('fakewriter')),
    ...flooders.map(as('flooder')),
    ...churners.map(as('churner')),
    ...stutter.map(as('stutter')),
    ...background.map((b) => ({ slot: b.slot, role: 'background' as const, index: b.index })),
  ];
  return { roles, readers, writer, fakewriters, flooders, churners, stutter, background, total: next };
}

/** Callback nodes of the run: each fakewriter's pool, then each flooder's. */
export function cbNodeCount(cfg: Pick<RunConfig, 'fakewriters' | 'cbNodesPerFakewriter' | 'faults'>): number {
  const flood = cfg.faults.flood;
  const churn = cfg.faults.churn;
  return cfg.fakewriters * cfg.cbNodesPerFakewriter + (flood ? flood.flooders * flood.nodes : 0) + (churn ? churn.churners * CHURNER_NODES : 0);
}

/** The first callback-node index of a churner's pool (after the flooders'). */
export function churnerFirstNode(cfg: Pick<RunConfig, 'fakewriters' | 'cbNodesPerFakewriter' | 'faults'>, index: number): number {
  return flooderFirstNode(cfg, cfg.faults.flood?.flooders ?? 0) + index * CHURNER_NODES;
}

/** The first callback-node index of a flooder's pool. */
export function flooderFirstNode(cfg: Pick<RunConfig, 'fakewriters' | 'cbNodesPerFakewriter' | 'faults'>, index: number): number {
  return cfg.fakewriters * cfg.cbNodesPerFakewriter + index * (cfg.faults.flood?.nodes ?? 0);
}
