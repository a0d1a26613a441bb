/**
 * The flavor ops table: all the harness knows of an RCU implementation, as
 * Linux's rcutorture knows a flavor only through `struct rcu_torture_ops`.
 */
import type { Platform } from '../platform/platform.js';
import type { Heap, RegionSpec } from '../shm/layout.js';

/**
 * The name of a failure class ('use-after-reclaim', 'gp-stall', ...). The
 * vocabulary is the harness's (torture/checks/classes.ts), which validates
 * a flavor's `expected` list when it loads the flavor.
 */
export type FailureClass = string;

export interface FlavorCaps {
  callRcu: boolean;
  drain: boolean;
  barrier: boolean;
  force: boolean;
  /** Callbacks from one producer are invoked in the order they were queued. */
  fifoCallbacks: boolean;
  /** Readers must announce quiescent states (and may go offline). */
  qsbr: boolean;
}

/** What a flavor's layout and instances are parameterised by. */
export interface FlavorConfig {
  /** Thread slots are 0 .. maxThreads-1 (readers, updaters, background threads). */
  maxThreads: number;
  /**
   * Grace-period counter mode: 'wide' advances it by one step per grace
   * period; 'narrow' flips a parity bit twice (two phases), as QEMU does
   * where the counter is narrower than 64 bits.
   */
  counterMode: 'wide' | 'narrow';
  /** Counter width in bits (2..32); a few bits make wrap-around reachable. */
  counterBits: number;
}

export const DEFAULT_FLAVOR_CONFIG: FlavorConfig = { maxThreads: 64, counterMode: 'wide', counterBits: 32 };

export interface AttachConfig extends FlavorConfig {
  /**
   * The thread slot of the thread attaching (-1 in the main thread). Per-thread
   * resources that need no registration (drain markers) live there.
   */
  slot: number;
  /**
   * The callback table. Callbacks cross threads as integer ids: every worker
   * registers the same table, and a flavor invokes `fn(node)` through this.
   * Ids below zero are the flavor's own (drain markers and the like): the
   * flavor dispatches those itself and never passes them here.
   */
  invoke(fn: number, node: number): void;
  /**
   * The run's heap as a shared WebAssembly.Memory, when the run has one (a
   * flavor compiled from C; see lib/wasm/). TypeScript flavors ignore it.
   */
  memory?: WebAssembly.Memory;
}

export interface BackgroundThread {
  name: string;
  /**
   * Runs until `stop()` turns true (checked at least every few hundred ms
   * while idle). `slot` is the thread slot it may register as a reader with.
   */
  run(stop: () => boolean, slot: number): void;
}

export interface RcuInstance {
  registerThread(slot: number): void;
  unregisterThread(): void;
  readLock(): void;
  readUnlock(): void;
  quiescentState?(): void;
  offline?(): void;
  online?(): void;
  synchronize(): void;
  /** `node` is the heap address of an rcu_head (RCU_HEAD_WORDS cells), `fn` a callback id. */
  callRcu(node: number, fn: number): void;
  drain?(): void;
  barrier?(): void;
  forceRcu?(): void;
  /**
   * How a busy reader is kicked out of a long critical section (QEMU's
   * force_rcu notifier, which makes a vCPU leave cpu_exec). Functions cannot
   * cross worker threads, so a notifier is a heap cell: to notify, the flavor
   * adds one to the cell and wakes its waiters; the reader polls or waits on it.
   */
  addForceNotifier?(cell: number): void;
  /**
   * Grace-period sequence in the style of Linux's rcu_seq: twice the number
   * of completed grace periods, plus one while a grace period is in progress.
   */
  gpSeq?(): number;
  /** Flavor-specific counters (forced grace periods, kicks, ...), read by the main thread. */
  counters?(): Record<string, number>;
  background: BackgroundThread[];
}

/**
 * A counter a flavor reports through `RcuInstance.counters()`, declared on
 * the flavor so that statistics, `summary.json` and `compare` can name it
 * without knowing any flavor's names.
 */
export interface CounterSpec {
  /** The key in `counters()`. */
  key: string;
  /** Human label ("forced grace periods"). */
  label: string;
  /**
   * 'unsolicited' marks expediting nobody asked for (forced grace periods or
   * kicks while no drain or force request was outstanding): compare treats a
   * zero-vs-nonzero difference as significant without an interval.
   */
  group: 'grace periods' | 'callbacks' | 'readers' | 'unsolicited';
  /** One sentence: what is counted, when. */
  description: string;
}

/** One known bug of a flavor: the scenario that finds it and the classes it must show as. */
export interface FlavorTarget {
  scenario: string;
  expected: FailureClass[];
  /** The bug, in a few words (reports and docs). */
  bug: string;
}

export interface RcuFlavor {
  name: string;
  kind: 'variant' | 'mutant';
  description: string;
  provenance: string;
  caps: FlavorCaps;
  /** Failure classes the suite must report (mutants and known-bad variants). */
  expected?: FailureClass[];
  /** For mutants: the variant it is one change away from. */
  base?: string;
  /** The scenario that targets this flavor's bug. */
  scenario?: string;
  /**
   * A flavor with several known bugs: each with the scenario that finds it
   * and the classes it shows as (the kill matrix runs one row each).
   * `expected` is then their union and `scenario` the first one's.
   */
  targets?: FlavorTarget[];
  /** Only a weak-memory simulation can expose this bug. */
  needsWeakMemory?: boolean;
  /** The counters its instances report (keys of `counters()`); none when absent. */
  counterSpecs?: CounterSpec[];
  /**
   * The named preemption points its code marks with `p.point(name)`, so that
   * swarm can pick among them and `--preempt` can warn about a glob that
   * matches none. Absent: unknown (globs are not checked).
   */
  points?: string[];
  /** Shared memory it needs; initial values come from here, never from attach. */
  layout(cfg: FlavorConfig): RegionSpec[];
  /**
   * Called once in every thread that uses the flavor, including the main
   * thread (which only reads `background` names and `counters`). Must not
   * write shared memory: initial state belongs in `layout`.
   */
  attach(platform: Platform, heap: Heap, cfg: AttachConfig): RcuInstance;
}

/** Linux's rcu_seq_snap: the gpSeq value at which a full grace period has elapsed. */
export function gpSeqSnap(seq: number): number {
  return (seq + 3) & ~1;
}

/** Whether the grace period a snapshot asked for has completed (wrap-safe). */
export function gpSeqDone(seq: number, snap: number): boolean {
  return ((seq - snap) | 0) >= 0;
}
