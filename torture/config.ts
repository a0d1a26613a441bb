/**
 * The effective configuration of one run: what the CLI and a scenario
 * resolve to, printed in the header and stored in summary.json. Plain data,
 * so it crosses into workers unchanged.
 */
import type { PointInjection } from '../lib/platform/points.js';
import type { RoleName } from './context.js';

/** Reader critical-section shape, after rcutorture's rcu_read_delay(). */
export interface ReaderFaults {
  /** 1 in N sections spin for a short delay. */
  shortDelayOneIn: number;
  shortDelayUs: number;
  /** 1 in N sections sleep for a long delay (ms). */
  longDelayOneIn: number;
  longDelayMs: number;
  /** 1 in N sections nest a further read lock, up to maxNesting deep. */
  nestOneIn: number;
  maxNesting: number;
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

export interface FaultConfig {
  reader: ReaderFaults;
  writer: WriterFaults;
  fakewriter: FakewriterFaults;
  points?: PointInjection;
}

export interface RunConfig {
  variant: string;
  /** A module exporting extra flavors (--impl), as an absolute path. */
  impl?: string;
  scenario: string;
  engine: 'threads';
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
}

export const DEFAULT_FAULTS: FaultConfig = {
  reader: { shortDelayOneIn: 200, shortDelayUs: 50, longDelayOneIn: 20000, longDelayMs: 20, nestOneIn: 20, maxNesting: 3 },
  writer: { delayMinMs: 0, delayMaxMs: 2, syncFraction: 0.5 },
  fakewriter: {
    delayMinMs: 0,
    delayMaxMs: 10,
    weights: { synchronize: 4, callRcu: 4, drain: 1, barrier: 1, force: 1 },
    callBurst: 4,
  },
};

/** Where in the pool a thread sits: readers first, then updaters, then background. */
export interface RoleSlot { slot: number; role: RoleName; index: number }

export interface ThreadPlan {
  /** Every thread of the run, one piscina task each. */
  roles: RoleSlot[];
  readers: number[];
  writer: number;
  fakewriters: number[];
  background: { slot: number; index: number; name: string }[];
  total: number;
}

export function planThreads(cfg: Pick<RunConfig, 'readers' | 'fakewriters'>, backgroundNames: string[]): ThreadPlan {
  let next = 0;
  const take = (n: number) => Array.from({ length: n }, () => next++);
  const readers = take(cfg.readers);
  const writer = next++;
  const fakewriters = take(cfg.fakewriters);
  const background = backgroundNames.map((name, index) => ({ slot: next++, index, name }));
  const roles: RoleSlot[] = [
    ...readers.map((slot, index) => ({ slot, role: 'reader' as const, index })),
    { slot: writer, role: 'writer', index: 0 },
    ...fakewriters.map((slot, index) => ({ slot, role: 'fakewriter' as const, index })),
    ...background.map((b) => ({ slot: b.slot, role: 'background' as const, index: b.index })),
  ];
  return { roles, readers, writer, fakewriters, background, total: next };
}
