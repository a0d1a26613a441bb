/**
 * The threads engine: lays out shared memory, starts one long piscina task
 * per role, ticks the shared monitors (run/lifecycle.ts) in wall time,
 * watches for crashes and still heartbeats, prints statistics, ends the run
 * in order (roles, liveness, background threads, end checks) or tears it
 * down when something hangs, and returns the summary.
 *
 * It runs in the main thread and never calls into the implementation under
 * test except to read counters, so a hung implementation cannot hang it.
 */
import { phaseTimesLine, takeProcessStartMs } from '../../report/phases.js';
import { setTimeout as delay } from 'node:timers/promises';
import { availableParallelism, loadavg } from 'node:os';
import { Piscina } from 'piscina';
import { addressSpaceLimited } from '../../run/address-space.js';
import { ThreadsPlatform } from '../../../lib/platform/threads.js';
import { heapView } from '../../../lib/shm/layout.js';
import { allocateRunHeap } from '../../../lib/wasm/heap.js';
import type { RunConfig } from '../../run/config.js';
import type { RoleResult, RoleTask } from '../../run/context.js';
import { compiledWorker, planRun } from '../../run/plan.js';
import { initElementPool } from '../../checks/pipe.js';
import { FLAVOR_PREFIX, H, Phase, SharedRun, S } from '../../run/heap-layout.js';
import { formatStats, takeSnapshot, type Snapshot } from '../../report/statistics.js';
import { exitCodeFor, runIdentity, verdictLine, fromSnapshot, type Summary, type Verdict } from '../../report/summary.js';
import type { StallReport } from '../../checks/watchdog.js';
import type { FailureClass } from '../../checks/classes.js';
import { openRunFolder } from '../../report/results.js';
import { LatencyMerger, loadLatencyLibrary } from '../../report/latency.js';
import { HeartbeatMonitor } from '../../checks/heartbeat.js';
import { MemoryTracker } from '../../report/memory.js';
import { TimelineRecorder } from '../../report/timeline.js';
import { reproInfo } from '../../run/repro.js';
import { failureExamples } from '../../report/examples.js';
import { formatReaderRecord } from '../../report/reader-record.js';
import type { LineKind, RunClock, RunOptions } from '../../run/options.js';
import { CpuStallClock, publishStallClock } from '../../run/stall-clock.js';
import { CHECKPOINT_MS, RunMonitors, Tally, endLine, headerLines, stallLines, writerState, type Finding } from '../../run/lifecycle.js';

const TICK_MS = 100;
/** How often start-up looks whether every role runs. */
const START_POLL_MS = 5;
/** After a stall, a crash or an interrupt: how long roles get to stop before the teardown. */
const ABORT_GRACE_MS = 1000;
/** How long background threads get to notice their stop flag. */
const BACKGROUND_STOP_MS = 3000;
/**
 * An interrupt promises an exit within 3 s, so its teardown gets shorter
 * waits: roles to stop, roles to unwind after ABORT, workers to terminate.
 */
const INTERRUPT_WAITS_MS = [400, 300, 1000] as const;
const FAULT_WAITS_MS = [ABORT_GRACE_MS, 500, 2000] as const;
/** A signal during the end phase lets it go on this long (plus the interrupt teardown: still inside the 3 s promise). */
const END_AFTER_SIGNAL_MS = 1000;
/** Longest wait for the worker threads to start (at least the stall timeout). */
const WORKER_START_MS = 30_000;

export async function runThreads(cfg: RunConfig, opts: RunOptions = {}): Promise<Summary> {
  const processMs = takeProcessStartMs();
  const enteredAt = performance.now();
  const out = opts.out ?? (() => {});
  // git and the machine are asked while the plan is made, not before it.
  const reproAsked = reproInfo(cfg);
  const { flavor, flavorCfg, threads, backgroundNames: probeNames, sizes, specs, plan, roleOf } = await planRun(cfg);
  const startedAt = new Date();
  const folder = openRunFolder(opts, cfg.variant, cfg.scenario, startedAt);
  const say = (line: string, kind: LineKind = 'header') => { out(line, kind); folder?.log(line); };

  const repro = await reproAsked;

  // ---- shared memory ----------------------------------------------------------
  // A shared WebAssembly.Memory for every flavor: the Platform's atomics are inlined wasm (lib/platform/wasm-atomics.ts);
  // not where the address space is limited (a C flavor has one anyway).
  const { sab, memory: wasmMemory } = allocateRunHeap(flavor, specs, plan, !addressSpaceLimited());
  const shared = new SharedRun(sab, plan, sizes);
  initElementPool(shared.i32, shared.cell(H.FREE_HEAD), shared.cell(H.FREE_COUNT),
    Array.from({ length: cfg.elements }, (_, i) => shared.element(i)));
  const epochMs = performance.timeOrigin + performance.now();
  const mainPlatform = new ThreadsPlatform(shared.i32, { abortCell: shared.cell(H.ABORT), epochMs, memory: wasmMemory });
  const rcu = flavor.attach(mainPlatform, heapView(plan, FLAVOR_PREFIX), { ...flavorCfg, slot: -1, invoke: () => {}, memory: wasmMemory });
  const elapsed = () => mainPlatform.now();

  // ---- header -------------------------------------------------------------------
  const engine = { label: 'threads', length: `duration ${cfg.durationMs / 1000}s`, stallTimeout: `${cfg.stallTimeoutMs / 1000}s`, extra: [] };
  for (const l of headerLines(cfg, flavor, threads, probeNames, engine, folder?.dir)) say(l);

  // ---- roles ----------------------------------------------------------------------
  const pool = new Piscina<RoleTask, RoleResult>({
    filename: compiledWorker('engines/threads/worker.js'), minThreads: threads.total, maxThreads: threads.total,
    idleTimeout: 60_000, concurrentTasksPerWorker: 1, atomics: 'disabled',
  });
  let tearingDown = false;
  const crashes: { thread: number; message: string }[] = [];
  // An error in a worker outside its task (a stray timer, an unhandled rejection)
  // reaches the pool, not a task: unhandled, it would kill this process unsummarised.
  pool.on('error', (err: unknown) => {
    if (tearingDown) return;
    crashes.push({ thread: -1, message: `a worker thread failed outside its role: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` });
  });
  const base = { sab, memory: wasmMemory, plan, sizes, threads, epochMs, config: cfg };
  const tasks: RoleTask[] = threads.roles.map((r) => ({ ...base, ...r }));
  const results: RoleResult[] = [];
  const settled = new Set<number>();
  // After the torture phase the loop waits for roles to settle: it looks again as soon as one does, not a tick later.
  let onSettle: (() => void) | undefined;
  const settle = (slot: number) => { settled.add(slot); onSettle?.(); };
  const settledOrTick = () => new Promise<void>((done) => { onSettle = done; void delay(TICK_MS).then(done); });
  for (const t of tasks) {
    pool.run(t).then(
      (r) => { results.push(r); settle(t.slot); },
      (err: unknown) => {
        settle(t.slot);
        if (tearingDown) return;
        const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
        crashes.push({ thread: t.slot, message: `${roleOf(t.slot)} (thread ${t.slot}) crashed: ${message}` });
      },
    );
  }
  const tortureSlots = tasks.filter((t) => t.role !== 'background').map((t) => t.slot);
  const allSettled = (slots: number[]) => slots.every((s) => settled.has(s));

  // ---- the run --------------------------------------------------------------------
  // Stall timeouts count the time the run's threads could run (run/stall-clock.ts); the roles read it from the heap.
  const osTids = () => tasks.map((t) => Atomics.load(shared.i32, shared.slot(t.slot) + S.OS_TID));
  const stallClock = new CpuStallClock(osTids, (stallMs) => publishStallClock(shared, stallMs), undefined, undefined, () => rolesUpAt >= 0);
  const monitors = new RunMonitors(shared, cfg, threads, roleOf, rcu, { memoryCap: true, clock: stallClock });
  const heartbeat = new HeartbeatMonitor(shared, tortureSlots, cfg.stallTimeoutMs, roleOf, stallClock);
  const memory = new MemoryTracker();
  const stalls: StallReport[] = [];
  const findings: Finding[] = [];
  const setCell = (h: number, v: number) => Atomics.store(shared.i32, shared.cell(h), v);
  let prev: Snapshot | null = null;
  let nextStat = cfg.statIntervalMs;
  let phase: 'run' | 'stopping' | 'background' = 'run';
  /** The end's phases have limits on the stall clock (other load on the machine does not count): from when, how long. */
  let phaseFrom = -1;
  let phaseLimitMs = Infinity;
  /** After a signal in the end phase: the wall-clock end of its wait. */
  let deadline = Infinity;
  const overdue = (now: number) => now > deadline || (phaseFrom >= 0 && stallClock.age(phaseFrom, now) > phaseLimitMs);
  let orderly = false;
  let interruptedBy: string | undefined;
  /** When a signal came after the torture phase (-1: none did). */
  let signalledAt = -1;
  let endNote: string | undefined;
  const timeline = new TimelineRecorder(cfg.durationMs);

  const partialSummary = (verdict: Verdict, snap: Snapshot): Summary => ({
    ...runIdentity(cfg, flavor.name, startedAt, repro, probeNames), verdict, final: false, durationMs: Math.round(snap.atMs),
    failures: failuresSoFar(snap, stalls, crashes.length, findings), ...fromSnapshot(snap), stalls,
    examples: [], pointHits: {}, latency: {}, histograms: {}, ...timeline.toSummary(), interrupted: verdict === 'INTERRUPTED',
    exitCode: verdict === 'RUNNING' ? null : exitCodeFor(verdict), resultsDir: folder?.dir, memory: memory.usage(),
    stallClockShare: Math.round(stallClock.share() * 1000) / 1000, stallClockMs: Math.round(stallClock.counted()),
  });
  // A summary exists from the first moment, and is rewritten at least every
  // CHECKPOINT_MS: a kill -9 still leaves a readable one saying RUNNING, with
  // the counts, failures and duration so far.
  const checkpoint = (snap: Snapshot) => { folder?.writeSummary(partialSummary('RUNNING', snap)); nextCheckpoint = snap.atMs + CHECKPOINT_MS; };
  let nextCheckpoint = 0;
  checkpoint(takeSnapshot(shared, rcu, elapsed()));

  // The duration counts from when every role is running: on a loaded machine
  // starting the workers can outlast a short run, which would then end
  // before a single read and pass. Roles that never start are a crash.
  let rolesUpAt = -1;
  /** When the torture phase ended (-1: it did not end by its duration). */
  let stoppedAt = -1;
  const rolesUp = () => tortureSlots.every((s) => settled.has(s) || Atomics.load(shared.i32, shared.slot(s) + S.STARTED) !== 0);
  // The limit stretches with the machine's load (its run queue per core): the stall clock stands still
  // until the roles run, and 8 workers loading their modules took over 30 s at load 160 on 2 cores.
  const startLimitMs = () => Math.max(cfg.stallTimeoutMs, WORKER_START_MS) * Math.max(1, loadavg()[0] / availableParallelism());

  /** The clock --duration counts: from when every role runs until the torture phase ends. */
  const clock = (now: number): RunClock => rolesUpAt < 0 ? { tortureMs: 0, phase: 'start-up' }
    : stoppedAt < 0 ? { tortureMs: now - rolesUpAt, phase: 'torture' } : { tortureMs: stoppedAt - rolesUpAt, phase: 'end' };
  const clockNote = (c: RunClock) => (c.phase === 'torture' ? undefined : c.phase === 'end' ? 'end phase' : 'starting workers');

  /** The next tick; during start-up sooner, as soon as the last role runs: the torture clock starts then, not a tick later. */
  const nextTick = async () => {
    if (phase !== 'run') return settledOrTick();
    // The tick that ends the torture phase comes at its duration, not up to a tick after it.
    if (rolesUpAt >= 0) return delay(Math.max(1, Math.min(TICK_MS, rolesUpAt + cfg.durationMs - elapsed())));
    const until = elapsed() + TICK_MS;
    while (elapsed() < until && !rolesUp()) await delay(START_POLL_MS);
  };
  for (;;) {
    await nextTick();
    const now = elapsed();
    if (rolesUpAt < 0 && rolesUp()) {
      rolesUpAt = now;
      // The main thread is idle while roles run; the end would otherwise pay for this.
      loadLatencyLibrary();
    }
    const tickSnap = takeSnapshot(shared, rcu, now);
    timeline.tick(tickSnap, phase === 'run');
    const seen = monitors.tick(now);
    for (const s of seen.stalls) {
      stalls.push(s);
      for (const l of stallLines(flavor, s)) say(l, 'stall');
    }
    for (const f of seen.findings) {
      findings.push(f);
      say(`!!! ${f.cls}: ${f.message}`, 'stall');
    }
    if (phase === 'run' && rolesUpAt < 0 && now > startLimitMs()) {
      crashes.push({ thread: -1, message: `worker threads did not all start within ${Math.round(now)} ms (load average ${loadavg()[0].toFixed(1)})` });
    }
    if (phase === 'run' && rolesUpAt >= 0) {
      for (const h of heartbeat.check(now, (slot) => settled.has(slot))) {
        crashes.push(h);
        say(`!!! worker-crash: ${h.message}`, 'stall');
      }
    }
    memory.sample(now, phase === 'run');
    if (now >= nextCheckpoint) checkpoint(tickSnap);
    opts.onTick?.(tickSnap, cfg.durationMs, clock(now));
    // Statistics every interval from when the roles run; shown on the torture clock.
    if (rolesUpAt >= 0 && now - rolesUpAt >= nextStat) {
      const snap = takeSnapshot(shared, rcu, now);
      // summary.json first: whatever the log shows, a kill -9 right after it finds in the summary too.
      checkpoint(snap);
      const c = clock(now);
      const stats = formatStats(`rcutorture: ${flavor.name} ${cfg.scenario}`, snap, prev, cfg.durationMs, flavor.counterSpecs,
        { writer: writerState(shared, phase === 'run'), failures: failuresSoFar(snap, stalls, crashes.length, findings), elapsedMs: c.tortureMs, phase: clockNote(c) });
      for (const l of stats) say(l, 'stats');
      prev = snap;
      nextStat += cfg.statIntervalMs;
    }
    if (opts.signal?.aborted) {
      if (phase === 'run') { interruptedBy = String(opts.signal.reason ?? 'SIGINT'); break; }
      // The torture phase is complete: its end goes on a little longer, so that a run
      // that finishes in time keeps its verdict; only an end cut short is INTERRUPTED.
      if (signalledAt < 0) { signalledAt = now; deadline = Math.min(deadline, now + END_AFTER_SIGNAL_MS); }
    }
    if (opts.stopOnFailure && (stalls.length > 0 || crashes.length > 0 || findings.length > 0 || Object.values(tickSnap.failures).some((n) => n > 0))) {
      opts.onFailure?.(stalls[0]?.atMs ?? now);
      break;
    }
    if (stalls.length > 0 || crashes.length > 0) break;
    if (phase === 'run' && rolesUpAt >= 0 && now >= rolesUpAt + cfg.durationMs) {
      stoppedAt = now;
      setCell(H.PHASE, Phase.Stop);
      timeline.endRunPhase(tickSnap);
      phase = 'stopping';
      say(`rcutorture: torture phase complete; end phase: outstanding grace periods and callbacks finish (within the stall timeout, ${(cfg.stallTimeoutMs / 1000).toFixed(1)} s)`, 'detail');
      // The liveness phase: everything outstanding must finish within a stall timeout.
      phaseFrom = now;
      phaseLimitMs = cfg.stallTimeoutMs + 2 * TICK_MS;
    } else if (phase === 'stopping' && allSettled(tortureSlots)) {
      setCell(H.BG_STOP, 1);
      phase = 'background';
      phaseFrom = now;
      phaseLimitMs = BACKGROUND_STOP_MS;
    } else if (phase === 'background' && allSettled(tasks.map((t) => t.slot))) {
      orderly = true;
      break;
    } else if (overdue(now) && signalledAt >= 0) {
      interruptedBy = String(opts.signal?.reason ?? 'SIGINT');
      break;
    } else if (overdue(now)) {
      // What is stuck, when the watchdog can tell: its report, with the class of the oldest stuck thing.
      const stuck = phase === 'stopping' ? monitors.endStall(now) : undefined;
      if (stuck) {
        stalls.push(stuck);
        for (const l of stallLines(flavor, stuck)) say(l, 'stall');
      } else {
        endNote = phase === 'stopping' ? 'roles did not finish the end-of-run liveness phase' : 'background threads did not stop';
      }
      break;
    }
  }

  // ---- teardown ---------------------------------------------------------------------
  const loopEndAt = elapsed();
  const [graceMs, unwindMs, destroyMs] = interruptedBy ? INTERRUPT_WAITS_MS : FAULT_WAITS_MS;
  if (!orderly) {
    setCell(H.PHASE, Phase.Stop);
    setCell(H.BG_STOP, 1);
    const until = elapsed() + graceMs;
    while (!allSettled(tasks.map((t) => t.slot)) && elapsed() < until) await delay(20);
    tearingDown = true;
    setCell(H.ABORT, 1);
    const until2 = elapsed() + unwindMs;
    const parkCells = tasks.map((t) => shared.slot(t.slot) + S.PARKED);
    while (!allSettled(tasks.map((t) => t.slot)) && elapsed() < until2) {
      // Threads blocked in a futex wait see the abort flag only when woken.
      ThreadsPlatform.wakeParked(shared.i32, parkCells);
      await delay(20);
    }
  }
  tearingDown = true;
  // A worker spinning in code that never calls the Platform ignores ABORT;
  // destroy terminates its thread. If even that lags, the run still ends and
  // the command exits the process (never waiting on a stuck thread).
  await Promise.race([pool.destroy().catch(() => {}), delay(destroyMs)]);

  // ---- verdict ----------------------------------------------------------------------
  const snap = takeSnapshot(shared, rcu, elapsed());
  const upAt = rolesUpAt < 0 ? loopEndAt : rolesUpAt;
  const tortureEnd = stoppedAt < 0 ? loopEndAt : stoppedAt;
  // Start-up counts from this function's entry: planning, git, the pool and the heap come before the run clock's epoch.
  const beforeEpochMs = epochMs - performance.timeOrigin - enteredAt;
  // Teardown runs until the line is printed: merging latency and building the summary take a moment too.
  const phases = () => ({ processMs, startupMs: beforeEpochMs + upAt, tortureMs: tortureEnd - upAt, endMs: loopEndAt - tortureEnd, teardownMs: elapsed() - loopEndAt, stallClockShare: stallClock.share(),
    stallClockMs: stallClock.counted(), stallTimeoutMs: cfg.stallTimeoutMs });
  const tally = new Tally(snap);
  tally.roleExamples(results);
  // Stalls were printed as they came; their reports are in summary.stalls.
  tally.stalls(stalls, false);
  for (const c of crashes) tally.crash(c.thread, c.message);
  tally.findings(findings);
  if (endNote) {
    // Nothing else explains why the end did not come: the wait itself is the stall.
    tally.endNotReached(phase === 'stopping' ? 'gp-stall' : 'callback-stall', endNote,
      stalls.length === 0 && crashes.length === 0 && !interruptedBy);
  }
  if (orderly) tally.endOfRun(shared, cfg);
  const { failures, examples } = tally;

  const latency = new LatencyMerger();
  for (const r of results) latency.addRecorded(r.latency);
  const pointHits: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.pointHits)) pointHits[k] = (pointHits[k] ?? 0) + v;

  const anyFailure = tally.any();
  const verdict: Verdict = anyFailure ? 'FAILURE' : interruptedBy ? 'INTERRUPTED' : 'SUCCESS';
  const summary: Summary = {
    ...partialSummary(verdict, snap),
    final: true,
    failures,
    examples,
    firstFailingReader: tally.firstFailingReader,
    pointHits,
    latency: latency.stats(),
    histograms: latency.export(),
    interrupted: interruptedBy !== undefined,
    signal: interruptedBy,
    exitCode: exitCodeFor(verdict, interruptedBy),
  };
  if (interruptedBy) say(`rcutorture: interrupted by ${interruptedBy}`, 'detail');
  else if (signalledAt >= 0) {
    say(`rcutorture: ${String(opts.signal?.reason ?? 'SIGINT')} came in the end phase, after the torture phase had completed; the end finished in time, so the verdict stands`, 'detail');
  }
  const endStats = formatStats(`rcutorture: ${flavor.name} ${cfg.scenario} end`, snap, null, cfg.durationMs, flavor.counterSpecs,
    { writer: writerState(shared, false), failures, elapsedMs: tortureEnd - upAt });
  for (const l of endStats) say(l, 'stats');
  say(phaseTimesLine(phases()), 'detail');
  for (const l of failureExamples(examples, failures, stalls.length)) say(l, 'detail');
  if (tally.firstFailingReader) for (const l of formatReaderRecord(tally.firstFailingReader)) say(l, 'detail');
  say(endLine(cfg, flavor, verdict, interruptedBy), 'verdict');
  say(verdictLine(summary), 'verdict');
  folder?.writeSummary(summary);
  folder?.close();
  return summary;
}

/** The failure counts of a summary written before the end: the end's Tally over what was seen so far. */
function failuresSoFar(snap: Snapshot, stalls: StallReport[], crashes: number, findings: Finding[]): Record<FailureClass, number> {
  const t = new Tally(snap);
  t.stalls(stalls, false);
  t.findings(findings);
  t.add('worker-crash', crashes);
  return t.failures;
}
