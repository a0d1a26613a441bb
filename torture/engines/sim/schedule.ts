/**
 * One simulated schedule, driven from the main thread (the controller): a
 * fresh heap, every role started as a simulated thread, and the baton
 * handed back and forth. The controller takes the baton only at points the
 * scheduler fixes (every CONTROL_EVERY steps, every TICK_MS of virtual
 * time, on a failure, on a deadlock, when all threads are done), so what it
 * does (end the run phase, stop the background threads, check for stalls)
 * happens at the same simulated moment in a replay.
 */
import { F, H as CH, Reason, Status, T, TF, type ControlView } from '../../../lib/platform/sim/control.js';
import { Scheduler, type ScheduleParams } from '../../../lib/platform/sim/scheduler.js';
import { OP_NAMES, Op, pointId } from '../../../lib/platform/sim/ops.js';
import { heapView } from '../../../lib/shm/layout.js';
import { allocateRunHeap } from '../../../lib/wasm/heap.js';
import { FAILURE_CLASSES, type FailureClass } from '../../checks/classes.js';
import { ThreadsPlatform } from '../../../lib/platform/threads.js';
import { initElementPool } from '../../checks/pipe.js';
import { FLAVOR_PREFIX, H, Phase, S, SharedRun, UPDATER_OP_NAMES, UpdaterOp } from '../../run/heap-layout.js';
import { takeSnapshot, type Snapshot } from '../../report/statistics.js';
import type { StallReport } from '../../checks/watchdog.js';
import { pendingCallbacks } from '../../checks/pending-callbacks.js';
import type { Summary } from '../../report/summary.js';
import { RunMonitors, Tally, type Finding } from '../../run/lifecycle.js';
import type { SimEnv } from './sim-env.js';
import { HUNG_WALL_MIN_MS, HangDetector } from './hang-detector.js';
import type { RunConfig } from '../../run/config.js';
import type { SimRoleResult, SimRoleTask } from './sim-worker.js';
import { minRunMs } from './sim-config.js';
import { VIRTUAL_STALL_CLOCK } from '../../run/stall-clock.js';

/** Virtual milliseconds between watchdog checks. */
const TICK_MS = 50;
/** Steps between controller visits when nothing else calls it. */
const CONTROL_EVERY = 8192;
/** Virtual time the background threads get to notice their stop flag. */
const BACKGROUND_STOP_MS = 1000;
/** How often a waiting controller asks the hang detector. */
const HUNG_POLL_MS = 250;
/** How piscina rejects the task of a worker it terminated. */
const TERMINATED = /Terminating worker thread/;

/** Longest the controller blocks the main thread in one synchronous wait for the baton. */
const SYNC_SLICE_MS = 20;
let lastYield = 0;
/** One event-loop turn (signals, timers, the pool's messages). */
const yieldToEventLoop = () => new Promise<void>((done) => setImmediate(() => { lastYield = performance.now(); done(); }));

/**
 * Waits for the baton; false if its holder spins in plain JavaScript
 * (hang-detector.ts, asked every HUNG_POLL_MS).
 *
 * `sync`: the wait is a synchronous futex wait in slices of SYNC_SLICE_MS,
 * with an event-loop turn between slices and at least once per slice of
 * wall time however often the controller is called. Not while the pool may
 * still be starting workers or handing them their tasks (a schedule's
 * first visit), which wants the event loop at every turn.
 */
async function awaitController(v: ControlView, hang: HangDetector, sync: boolean): Promise<boolean> {
  const turn = sync ? null : v.awaitTurnAsync(v.main).then(() => true as const);
  for (;;) {
    if (hang.spinning()) return false;
    if (turn) {
      let timer: NodeJS.Timeout | undefined;
      const poll = new Promise<false>((done) => { timer = setTimeout(() => done(false), HUNG_POLL_MS); });
      try {
        if (await Promise.race([turn, poll])) return true;
      } finally {
        clearTimeout(timer);
      }
    } else {
      const t0 = performance.now();
      for (;;) {
        if (performance.now() - lastYield >= SYNC_SLICE_MS) await yieldToEventLoop();
        const left = HUNG_POLL_MS - (performance.now() - t0);
        if (left <= 0) break;
        if (v.awaitTurnFor(v.main, Math.min(left, SYNC_SLICE_MS))) return true;
      }
    }
  }
}

/** Wall time a thread may hold the baton: the run's stall timeout, but never under HUNG_WALL_MIN_MS (GC pauses, a loaded machine). */
function hungWallMs(cfg: RunConfig): number { return Math.max(HUNG_WALL_MIN_MS, cfg.stallTimeoutMs); }

export interface ScheduleSpec {
  index: number;
  /** The roles' seed in this schedule (each role derives its stream from it). */
  seed: number;
  params: ScheduleParams;
  /** Replay: the decision log to follow. */
  log?: readonly (readonly [number, number])[];
}

export interface ScheduleOutcome {
  failures: Record<FailureClass, number>;
  /** The first failure class in FAILURE_CLASSES order, if any. */
  failure?: FailureClass;
  /** Step at which a role first reported a failure (or the controller stopped the schedule). */
  failStep: number;
  /** A thread spun without Platform calls and the workers were terminated: not replayable. */
  hung?: boolean;
  stalls: StallReport[];
  examples: Summary['examples'];
  firstFailingReader: Summary['firstFailingReader'];
  steps: number;
  vtimeMs: number;
  log: [number, number][];
  logOverflow: boolean;
  /** The last steps, rendered (trace.txt). */
  trace: string[];
  snapshot: Snapshot;
  results: SimRoleResult[];
  interrupted: boolean;
}

export async function runSchedule(env: SimEnv, spec: ScheduleSpec, signal?: AbortSignal): Promise<ScheduleOutcome> {
  const { cfg, threads, plan, sizes, control: v } = env;
  const { sab, memory } = allocateRunHeap(env.flavor, env.specs, plan);
  const shared = new SharedRun(sab, plan, sizes);
  initElementPool(shared.i32, shared.cell(H.FREE_HEAD), shared.cell(H.FREE_COUNT),
    Array.from({ length: cfg.elements }, (_, i) => shared.element(i)));
  const sched = new Scheduler(v, shared.i32);
  sched.reset(spec.params);
  if (spec.log) v.loadLog(spec.log);

  const base = { sab, memory, plan, sizes, threads, epochMs: 0, config: { ...cfg, seed: spec.seed }, control: v.sab, controlSizes: env.controlSizes };
  const running = threads.roles.map((r) => env.pool.run({ ...base, ...r } as SimRoleTask).catch((e: unknown): SimRoleResult => ({
    role: r.role, slot: r.slot, examples: [], pointHits: {}, latency: {}, aborted: false,
    crash: e instanceof Error ? (e.stack ?? e.message) : String(e),
  })));

  const i32 = v.i32;
  const budget = cfg.sim!.steps;
  /** The run phase ends once the step budget is spent and at least this much virtual time has passed. */
  const runMs = minRunMs(cfg);
  // The main thread's view of the flavor: read-only, for the monitors and the counters.
  const rcu = env.flavor.attach(new ThreadsPlatform(shared.i32, { abortCell: shared.cell(H.ABORT), epochMs: 0 }),
    heapView(plan, FLAVOR_PREFIX), { ...env.flavorCfg, slot: -1, invoke: () => {}, memory });
  const monitors = new RunMonitors(shared, cfg, threads, env.roleOf, rcu, { memoryCap: false, clock: VIRTUAL_STALL_CLOCK });
  const stalls: StallReport[] = [];
  const findings: Finding[] = [];
  const tortureSlots = threads.roles.filter((r) => r.role !== 'background').map((r) => r.slot);
  let phase: 'run' | 'stopping' | 'background' = 'run';
  let deadline = Infinity;
  let orderly = false;
  let interrupted = false;
  let endNote: { cls: FailureClass; message: string } | undefined;
  let allDone = false;

  const scheduleControl = () => {
    const step = i32[CH.STEP];
    i32[CH.CONTROL_STEP] = phase === 'run' && step < budget ? Math.min(budget, step + CONTROL_EVERY) : step + CONTROL_EVERY;
    v.f64[v.hf(F.CONTROL_TIME)] = (Math.floor(v.vtime / TICK_MS) + 1) * TICK_MS;
  };
  scheduleControl();
  v.handTo(sched.decide(v.main, false));

  const slotCell = (t: number, cell: number) => (t >= 0 && t < threads.total ? Atomics.load(shared.i32, shared.slot(t) + cell) : 0);
  /** A new detector per wait: the holder's CPU is counted from the wait's start. */
  // Attaching: the worker has not stored its thread id, or has not yet taken the baton up (loading modules is CPU too).
  const hangDetector = () => new HangDetector(v, hungWallMs(cfg), (t) => slotCell(t, S.OS_TID),
    (t) => slotCell(t, S.OS_TID) === 0 || !v.tookTurn(t));
  let hungThread = -1;
  let visits = 0;
  for (;;) {
    if (!(await awaitController(v, hangDetector(), visits++ > 0))) {
      hungThread = i32[CH.CURRENT];
      endNote = { cls: 'gp-stall', message: `${env.roleOf(hungThread)} (thread ${hungThread}) held the baton over ${hungWallMs(cfg)} ms of wall time, ` +
        `burning CPU without a Platform call (a spin in plain JavaScript): the schedule is abandoned and its workers terminated` };
      break;
    }
    const reason = i32[CH.REASON] as Reason;
    i32[CH.REASON] = Reason.None;
    // Whole virtual milliseconds, as the roles stamp their activity.
    const now = Math.floor(v.vtime);
    if (reason === Reason.Done) { allDone = true; orderly = phase === 'background'; break; }
    const seen = monitors.tick(now);
    stalls.push(...seen.stalls);
    findings.push(...seen.findings);
    if (reason === Reason.Deadlock) stalls.push(deadlockReport(env, shared, now));
    if (signal?.aborted) interrupted = true;
    if (interrupted || i32[CH.FAILED] !== 0 || stalls.length > 0 || findings.length > 0) break;
    if (phase === 'run' && i32[CH.STEP] >= budget && v.vtime >= runMs) {
      shared.i32[shared.cell(H.PHASE)] = Phase.Stop;
      phase = 'stopping';
      // The liveness phase: everything outstanding must finish within a stall timeout.
      deadline = now + cfg.stallTimeoutMs;
    } else if (phase === 'stopping' && tortureSlots.every((s) => v.status(s) === Status.Finished)) {
      shared.i32[shared.cell(H.BG_STOP)] = 1;
      phase = 'background';
      deadline = now + BACKGROUND_STOP_MS;
    } else if (now > deadline) {
      // What is stuck, when the watchdog can tell: its report, with the class of the oldest stuck thing.
      const stuck = phase === 'stopping' ? monitors.endStall(now) : undefined;
      if (stuck) stalls.push(stuck);
      else {
        endNote = phase === 'stopping'
          ? { cls: 'gp-stall', message: 'roles did not finish the end-of-run liveness phase' }
          : { cls: 'callback-stall', message: 'background threads did not stop' };
      }
      break;
    }
    scheduleControl();
    v.handTo(i32[CH.CURRENT]);
  }

  // The trace and the log as the schedule left them, before the teardown touches anything.
  const failStep = i32[CH.FAILED] !== 0 ? i32[CH.FAIL_STEP] : i32[CH.STEP];
  const traceEntries = v.traceEntries();
  const log = v.logEntries();
  const logOverflow = i32[CH.LOG_OVERFLOW] !== 0;
  const steps = i32[CH.STEP];
  const vtimeMs = v.vtime;

  if (hungThread >= 0) {
    // No thread can be handed the baton past a spinning one: end them all (the pool is made afresh).
    await env.restartPool();
  } else if (!allDone) {
    // Teardown: every thread unwinds with PlatformAbort; the last one hands the baton back.
    i32[CH.ABORTING] = 1;
    shared.i32[shared.cell(H.ABORT)] = 1;
    let first = -1;
    for (let t = 0; t < v.threads && first < 0; t++) if (v.status(t) !== Status.Finished) first = t;
    if (first >= 0) {
      v.handTo(first);
      // A thread that never reaches a Platform call cannot unwind: end the workers instead.
      if (!(await awaitController(v, hangDetector(), false))) await env.restartPool();
    }
  }
  const results = await Promise.all(running);

  // ---- what failed ----------------------------------------------------------------
  const snapshot = takeSnapshot(shared, rcu, vtimeMs);
  const tally = new Tally(snapshot);
  tally.roleExamples(results);
  tally.stalls(stalls, true);
  // Workers terminated for a hang report the termination, not a crash of theirs; a crash before it counts.
  for (const r of results) {
    if (r.crash !== undefined && !(hungThread >= 0 && TERMINATED.test(r.crash))) tally.crash(r.slot, `${env.roleOf(r.slot)} (thread ${r.slot}) crashed: ${r.crash}`);
  }
  tally.findings(findings);
  if (endNote) tally.endNotReached(endNote.cls, endNote.message, stalls.length === 0);
  if (orderly) tally.endOfRun(shared, cfg);
  const { failures, examples } = tally;

  const pointNames = new Map<number, string>();
  for (const r of results) for (const name of Object.keys(r.pointHits)) pointNames.set(pointId(name), name);
  return {
    failures,
    failure: FAILURE_CLASSES.find((c) => failures[c] > 0),
    failStep,
    stalls,
    examples,
    firstFailingReader: tally.firstFailingReader,
    steps,
    vtimeMs,
    log,
    logOverflow,
    trace: traceEntries.map((e) => traceLine(env, e, pointNames)),
    snapshot,
    results,
    interrupted,
    hung: hungThread >= 0,
  };
}

/** One line of trace.txt: step, thread and role, operation, cell, value. */
function traceLine(env: SimEnv, [step, thread, op, cell, value]: number[], points: Map<number, string>): string {
  const who = `t${thread} ${env.roleOf(thread)}`;
  let what: string;
  switch (op as Op) {
    case Op.Point: what = points.get(cell) ?? `#${cell}`; break;
    case Op.Fence: case Op.Relax: what = ''; break;
    case Op.Now: what = `= ${(value / 1000).toFixed(3)} ms`; break;
    case Op.Sleep: what = `${(value / 1000).toFixed(3)} ms`; break;
    case Op.Wait: what = `${env.cellName(cell)} ${value === -1 ? 'not-equal' : `while == ${value}`}`; break;
    case Op.Wake: what = `${env.cellName(cell)} woke ${value}`; break;
    case Op.Load: case Op.Exchange: case Op.CompareExchange: case Op.FetchAdd: case Op.FetchOr: case Op.FetchAnd:
      what = `${env.cellName(cell)} -> ${value}`; break;
    default: what = `${env.cellName(cell)} <- ${value}`;
  }
  return `${String(step).padStart(8)}  ${who.padEnd(22)} ${OP_NAMES[op].padEnd(15)} ${what}`.trimEnd();
}

/** Everybody blocked and no timer pending: a stall, with every thread's blocking point. */
function deadlockReport(env: SimEnv, shared: SharedRun, now: number): StallReport {
  const v = env.control;
  const holdouts = [];
  let waiter: StallReport['waiter'];
  for (let t = 0; t < v.threads; t++) {
    const st = v.status(t);
    if (st === Status.Finished) continue;
    const since = v.f64[v.tf(t, TF.SINCE)];
    const op = v.i32[v.t(t, T.BLOCK_OP)] as Op;
    const cell = v.i32[v.t(t, T.WAIT_CELL)];
    const activity = st === Status.Waiting
      ? `blocked in ${OP_NAMES[op]} on ${env.cellName(cell)} (while == ${v.i32[v.t(t, T.WAIT_EXPECTED)]}), no timeout`
      : st === Status.Sleeping ? 'sleeping' : 'runnable';
    holdouts.push({ thread: t, role: env.roleOf(t), activity, forMs: Math.round(now - since) });
    const opCell = shared.i32[shared.slot(t) + S.OP];
    if (!waiter && opCell !== UpdaterOp.None && env.threads.roles.some((r) => r.slot === t && r.role !== 'reader' && r.role !== 'background')) {
      waiter = { thread: t, role: env.roleOf(t), op: UPDATER_OP_NAMES[opCell], forMs: Math.round(now - shared.i32[shared.slot(t) + S.OP_SINCE]) };
    }
  }
  const pending = pendingCallbacks(shared);
  // Nobody in an update and nothing pending, yet nobody can run: still a hang, named as such.
  if (!waiter && pending <= 0) waiter = { thread: -1, role: 'no updater', op: 'deadlock', forMs: 0 };
  return {
    kind: waiter ? 'gp-stall' : 'callback-stall',
    atMs: Math.round(now), waiter, holdouts, pendingCallbacks: pending, oldestPendingMs: 0,
  };
}
