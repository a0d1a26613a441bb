/**
 * What a role has in its worker: the Platform, the flavor instance attached
 * in this thread, the shared run, its own random stream and statistics, and
 * the callback table every worker registers identically.
 */
import { readStallClock } from './stall-clock.js';
import { ThreadsPlatform } from '../../lib/platform/threads.js';
import type { Platform } from '../../lib/platform/platform.js';
import { heapView, type LayoutPlan } from '../../lib/shm/layout.js';
import type { RcuFlavor, RcuInstance } from '../../lib/rcu/flavor.js';
import { FAILURE_CLASSES, type FailureClass } from '../checks/classes.js';
import { GpSeqObserver } from '../checks/gp-seq.js';
import type { RunConfig, ThreadPlan } from './config.js';
import { FLAVOR_PREFIX, H, UPDATER_OP_NAMES, S, ST, SharedRun, type HarnessSizes, Activity, UpdaterOp } from './heap-layout.js';
import { Random } from './random.js';
import { STREAMS } from './streams.js';
import { CallbackTable } from '../checks/callbacks.js';
import { resolveFlavor } from './flavors.js';
import { LatencyRecorder, type RecordedLatencies } from '../report/latency-recorder.js';
import { SectionTrace, type ReaderRecord } from '../report/reader-record.js';

export type RoleName = 'reader' | 'writer' | 'fakewriter' | 'background' | 'flooder' | 'churner' | 'stutter';

export interface RoleTask {
  role: RoleName;
  /** Index among roles of the same kind (background: index into flavor.background). */
  index: number;
  slot: number;
  sab: SharedArrayBuffer;
  /** The heap as a shared WebAssembly.Memory (its buffer is `sab`): always on the threads engine, for a C flavor on both. */
  memory?: WebAssembly.Memory;
  plan: LayoutPlan;
  sizes: HarnessSizes;
  threads: ThreadPlan;
  epochMs: number;
  config: RunConfig;
}

export interface RoleResult {
  role: string;
  slot: number;
  /** A few concrete failure reports, so the summary can show what was seen. */
  examples: { cls: FailureClass; message: string }[];
  pointHits: Record<string, number>;
  /** Latency bucket counts per operation (LatencyRecorder.export). */
  latency: RecordedLatencies;
  /** Its first failing reader section (readers and churners), if any. */
  firstFailingReader?: ReaderRecord;
}

/** A Platform as an engine provides it: with the hit counts of its preemption points. */
export type EnginePlatform = Platform & {
  pointHits(): Record<string, number>;
  /** Told of every failure a role sees (the sim engine stops the schedule there). */
  failed?(cls: FailureClass): void;
  /** The scenario's point delays, for an engine whose Platform the harness did not build (sim: virtual sleeps). */
  injectDelays?(cfg: NonNullable<RoleTask['config']['faults']['points']>, random: () => number): void;
};

const MAX_EXAMPLES = 5;

export class RoleContext {
  readonly shared: SharedRun;
  readonly platform: EnginePlatform;
  readonly random: Random;
  readonly flavor: RcuFlavor;
  readonly rcu: RcuInstance;
  readonly callbacks: CallbackTable;
  readonly stats: number;
  readonly f64: Float64Array;
  /**
   * Reads a cell of the harness's own data (torture elements), which the
   * implementation never touches. On the threads engine a plain read: no
   * Platform call is needed and the reader loop is the hot path. On the sim
   * engine a Platform load, because every Platform call is a scheduling
   * point and the reads inside a section are interleavings worth exploring.
   */
  readonly peek: (cell: number) => number;
  readonly examples: RoleResult['examples'] = [];
  /** What the current read-side section's delays did (readSection resets it; the failing reader's record reads it). */
  readonly section = new SectionTrace();
  /** This role's first failing reader section, kept for the end-of-run report. */
  firstFailingReader: ReaderRecord | undefined;
  readonly latency: LatencyRecorder;

  /**
   * `platform` is the engine's Platform for this thread; by default the
   * threads engine over the run's buffer. The simulation engine passes its own.
   */
  static async create(task: RoleTask, platform?: EnginePlatform): Promise<RoleContext> {
    return new RoleContext(task, await resolveFlavor(task.config.variant, task.config.impl), platform);
  }

  private constructor(readonly task: RoleTask, flavor: RcuFlavor, platform?: EnginePlatform) {
    const cfg = task.config;
    this.shared = new SharedRun(task.sab, task.plan, task.sizes);
    const pointRandom = new Random(cfg.seed, STREAMS.point(task.slot));
    this.platform = platform ?? new ThreadsPlatform(this.shared.i32, {
      abortCell: this.shared.cell(H.ABORT),
      parkCell: this.shared.slot(task.slot) + S.PARKED,
      epochMs: task.epochMs,
      memory: task.memory,
      injection: cfg.faults.points,
      random: () => pointRandom.float(),
    });
    if (platform && cfg.faults.points) platform.injectDelays?.(cfg.faults.points, () => pointRandom.float());
    this.random = new Random(cfg.seed, STREAMS.role(task.slot));
    this.flavor = flavor;
    this.f64 = this.shared.f64;
    const mem = this.shared.i32;
    const pf = this.platform;
    this.peek = pf.engine === 'threads' ? (cell) => mem[cell] : (cell) => pf.load(cell);
    // Virtual-time latencies say nothing about an implementation: the sim leaves them out
    // (its summary has none), and packing them into histograms cost a schedule milliseconds.
    this.latency = new LatencyRecorder(pf.engine === 'threads');
    this.stats = this.shared.stats(task.slot);
    this.callbacks = new CallbackTable(this);
    this.rcu = flavor.attach(this.platform, heapView(task.plan, FLAVOR_PREFIX), {
      maxThreads: task.threads.total,
      counterMode: cfg.counterMode,
      counterBits: cfg.counterBits,
      slot: task.slot,
      invoke: (fn, node) => this.callbacks.invoke(fn, node),
      memory: task.memory,
    });
  }

  get p(): Platform { return this.platform; }

  /**
   * Every role loop polls this, so it doubles as the role's heartbeat: a
   * role that stops calling it is stuck somewhere (torture/heartbeat.ts).
   */
  running(): boolean {
    this.beat();
    return this.platform.load(this.shared.cell(H.PHASE)) === 0;
  }

  /** Shows the main thread this role is still making progress. */
  beat(): void { this.platform.store(this.shared.slot(this.task.slot) + S.HEARTBEAT, ++this.beats); }
  private beats = 0;

  count(stat: number, n = 1): void { this.f64[this.stats + stat] += n; }

  fail(cls: FailureClass, message: string): void {
    this.f64[this.stats + ST.ERR_BASE + FAILURE_CLASSES.indexOf(cls)] += 1;
    this.platform.failed?.(cls);
    if (this.examples.length < MAX_EXAMPLES) this.examples.push({ cls, message });
  }

  /** Every gpSeq a role reads passes here: this thread is one observer of the never-backwards check. */
  seeGpSeq(seq: number): number {
    const prev = this.gpSeqSeen.see(seq);
    if (prev !== undefined) this.fail('gp-seq-backwards', `${this.task.role} ${this.task.slot} read gpSeq ${seq} after ${prev}`);
    return seq;
  }
  /** This thread's observer (a reader section checks its two reads at once: seeBoth). */
  readonly gpSeqSeen = new GpSeqObserver();

  nowMs(): number { return Math.floor(this.platform.now()); }

  /**
   * The stall clock (run/stall-clock.ts), which every time judged against the
   * stall timeout is measured on: virtual time under sim; on the threads
   * engine the run's time less what other load on the machine kept its
   * threads from running, as the main thread last published it. `now`: the
   * caller's platform time, when it has just read it (under sim every read is
   * a scheduling point: no more of them than before).
   */
  stallNowMs(now?: number): number {
    return this.platform.engine === 'threads' ? readStallClock(this.shared) : (now ?? this.platform.now());
  }

  setActivity(a: Activity): void {
    const slot = this.shared.slot(this.task.slot);
    this.platform.store(slot + S.ACTIVITY_SINCE, this.nowMs());
    this.platform.store(slot + S.ACTIVITY, a);
  }

  /**
   * Runs an update-side call with its start time published for the stall
   * watchdog, and records how long it took.
   */
  op<T>(kind: UpdaterOp, fn: () => T): T {
    const slot = this.shared.slot(this.task.slot);
    const t0 = this.platform.now();
    this.platform.store(slot + S.OP_SINCE, Math.floor(t0));
    this.platform.store(slot + S.OP, kind);
    try {
      return fn();
    } finally {
      this.platform.store(slot + S.OP, UpdaterOp.None);
      this.latency.recordMs(UPDATER_OP_NAMES[kind], this.platform.now() - t0);
    }
  }

  /** Sleeps a random time in [min, max] ms (no-op for 0); returns the time drawn. */
  pause(minMs: number, maxMs: number): number {
    const ms = minMs + this.random.float() * (maxMs - minMs);
    if (ms > 0) this.platform.sleep(ms);
    return ms;
  }

  result(): RoleResult {
    return {
      role: this.task.role, slot: this.task.slot, examples: this.examples,
      pointHits: this.platform.pointHits(), latency: this.latency.export(),
      firstFailingReader: this.firstFailingReader,
    };
  }
}
