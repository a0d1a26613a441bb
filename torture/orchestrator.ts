/**
 * The orchestrator: lays out shared memory, starts one long piscina task per
 * role, watches for stalls and crashes, prints statistics, ends the run in
 * order (roles, liveness, background threads, leak check) or tears it down
 * when something hangs, and returns the summary.
 *
 * It runs in the main thread and never calls into the implementation under
 * test except to read counters, so a hung implementation cannot hang it.
 */
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';
import { Piscina } from 'piscina';
import { ThreadsPlatform } from '../lib/platform/threads.js';
import { allocateHeap, heapView, planLayout, prefixRegions } from '../lib/shm/layout.js';
import type { FailureClass } from '../lib/rcu/flavor.js';
import { planThreads, type RunConfig } from './config.js';
import type { RoleResult, RoleTask } from './context.js';
import { resolveFlavor } from './flavors.js';
import { initElementPool } from './pipe.js';
import { CB, E, ElementState, FLAVOR_PREFIX, H, N, Phase, SharedRun, harnessRegions } from './shared.js';
import { formatStats, takeSnapshot, type Snapshot } from './statistics.js';
import { exitCodeFor, verdictLine, zeroFailures, fromSnapshot, type Summary, type Verdict } from './summary.js';
import { Watchdog, formatStall, type StallReport } from './watchdog.js';
import { RunFolder, runFolderName } from './results.js';
import { LatencyMerger } from './latency.js';

export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export interface RunOptions {
  /** Folder under which the run folder is made; null for none. */
  resultsRoot?: string | null;
  /** Console output, one line at a time, with what kind of line it is. */
  out?: (line: string, kind: LineKind) => void;
  /** Aborting it interrupts the run; its reason names the signal (SIGINT, SIGTERM). */
  signal?: AbortSignal;
}

export type LineKind = 'header' | 'stats' | 'stall' | 'detail' | 'verdict';

const TICK_MS = 100;
/** After a stall, a crash or an interrupt: how long roles get to stop before the teardown. */
const ABORT_GRACE_MS = 1000;
/** How long background threads get to notice their stop flag. */
const BACKGROUND_STOP_MS = 3000;

/** The compiled worker, also when this module runs from source under vitest. */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts')
    ? fileURLToPath(new URL('../dist/torture/worker.js', import.meta.url))
    : fileURLToPath(new URL('./worker.js', import.meta.url));
}

export async function runTorture(cfg: RunConfig, opts: RunOptions = {}): Promise<Summary> {
  const out = opts.out ?? (() => {});
  const flavor = await resolveFlavor(cfg.variant, cfg.impl);
  const startedAt = new Date();
  const folder = opts.resultsRoot ? new RunFolder(opts.resultsRoot, runFolderName(cfg.variant, cfg.scenario, startedAt)) : null;
  const say = (line: string, kind: LineKind = 'header') => { out(line, kind); folder?.log(line); };

  // ---- shared memory ----------------------------------------------------------
  const flavorCfg = { maxThreads: 0, counterMode: cfg.counterMode, counterBits: cfg.counterBits };
  // The main thread attaches only to learn the background threads and read counters.
  const probeNames = flavor.attach(new ThreadsPlatform(new Int32Array(new SharedArrayBuffer(64)), { abortCell: 1, epochMs: 0 }),
    { base: () => 2 }, { ...flavorCfg, maxThreads: 1, slot: -1, invoke: () => {} }).background.map((b) => b.name);
  const threads = planThreads(cfg, probeNames);
  flavorCfg.maxThreads = threads.total;
  const sizes = { threads: threads.total, elements: cfg.elements, cbNodes: cfg.fakewriters * cfg.cbNodesPerFakewriter };
  const specs = [...harnessRegions(sizes), ...prefixRegions(FLAVOR_PREFIX, flavor.layout(flavorCfg))];
  const plan = planLayout(specs);
  const sab = allocateHeap(specs, plan);
  const shared = new SharedRun(sab, plan, sizes);
  initElementPool(shared.i32, shared.cell(H.FREE_HEAD), shared.cell(H.FREE_COUNT),
    Array.from({ length: cfg.elements }, (_, i) => shared.element(i)));
  const epochMs = performance.timeOrigin + performance.now();
  const mainPlatform = new ThreadsPlatform(shared.i32, { abortCell: shared.cell(H.ABORT), epochMs });
  const rcu = flavor.attach(mainPlatform, heapView(plan, FLAVOR_PREFIX), { ...flavorCfg, slot: -1, invoke: () => {} });
  const elapsed = () => mainPlatform.now();

  const roleOf = (slot: number): string => {
    const bg = threads.background.find((b) => b.slot === slot);
    return bg ? `background ${bg.name}` : (threads.roles.find((r) => r.slot === slot)?.role ?? 'unknown');
  };

  // ---- header -------------------------------------------------------------------
  say(`rcutorture ${VERSION}: variant ${flavor.name} (${flavor.kind}), scenario ${cfg.scenario}, engine ${cfg.engine}, seed ${cfg.seed}`);
  say(`  threads: ${cfg.readers} readers, 1 writer, ${cfg.fakewriters} fakewriters, ${threads.background.length} background (${probeNames.join(', ') || 'none'}); ` +
    `duration ${cfg.durationMs / 1000}s, stall timeout ${cfg.stallTimeoutMs / 1000}s, counter ${cfg.counterMode}/${cfg.counterBits} bits`);
  if (folder) say(`  results: ${folder.dir}`);

  // ---- roles ----------------------------------------------------------------------
  const pool = new Piscina<RoleTask, RoleResult>({
    filename: workerFile(), minThreads: threads.total, maxThreads: threads.total,
    idleTimeout: 60_000, concurrentTasksPerWorker: 1, atomics: 'disabled',
  });
  const base = { sab, plan, sizes, threads, epochMs, config: cfg };
  const tasks: RoleTask[] = threads.roles.map((r) => ({ ...base, ...r }));
  const results: RoleResult[] = [];
  const settled = new Set<number>();
  const crashes: { thread: number; message: string }[] = [];
  let tearingDown = false;
  for (const t of tasks) {
    pool.run(t).then(
      (r) => { results.push(r); settled.add(t.slot); },
      (err: unknown) => {
        settled.add(t.slot);
        if (tearingDown) return;
        const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
        crashes.push({ thread: t.slot, message: `${roleOf(t.slot)} (thread ${t.slot}) crashed: ${message}` });
      },
    );
  }
  const tortureSlots = tasks.filter((t) => t.role !== 'background').map((t) => t.slot);
  const allSettled = (slots: number[]) => slots.every((s) => settled.has(s));

  // ---- the run --------------------------------------------------------------------
  const watchdog = new Watchdog(shared, threads, cfg.stallTimeoutMs, roleOf);
  const stalls: StallReport[] = [];
  const setCell = (h: number, v: number) => Atomics.store(shared.i32, shared.cell(h), v);
  let prev: Snapshot | null = null;
  let nextStat = cfg.statIntervalMs;
  let phase: 'run' | 'stopping' | 'background' = 'run';
  let deadline = Infinity;
  let orderly = false;
  let interruptedBy: string | undefined;
  let endNote: string | undefined;

  const partialSummary = (verdict: Verdict, snap: Snapshot): Summary => ({
    tool: 'rcutorture', version: VERSION, verdict, final: false, variant: flavor.name, scenario: cfg.scenario,
    engine: cfg.engine, seed: cfg.seed, startedAt: startedAt.toISOString(), durationMs: Math.round(snap.atMs), config: cfg,
    threads: { readers: cfg.readers, writers: 1, fakewriters: cfg.fakewriters, background: probeNames },
    failures: { ...zeroFailures(), ...snap.failures }, ...fromSnapshot(snap), stalls,
    examples: [], pointHits: {}, latency: {}, histograms: {}, interrupted: verdict === 'INTERRUPTED', exitCode: exitCodeFor(verdict),
    resultsDir: folder?.dir,
  });
  // A summary exists from the first moment: a kill still leaves a readable one.
  folder?.writeSummary(partialSummary('INTERRUPTED', takeSnapshot(shared, rcu, 0)));

  for (;;) {
    await delay(TICK_MS);
    const now = elapsed();
    for (const s of watchdog.check(now)) {
      stalls.push(s);
      for (const l of formatStall(s)) say(l, 'stall');
    }
    if (now >= nextStat) {
      const snap = takeSnapshot(shared, rcu, now);
      for (const l of formatStats(`rcutorture: ${flavor.name} ${cfg.scenario}`, snap, prev, cfg.durationMs)) say(l, 'stats');
      folder?.writeSummary(partialSummary('INTERRUPTED', snap));
      prev = snap;
      nextStat += cfg.statIntervalMs;
    }
    if (opts.signal?.aborted) { interruptedBy = String(opts.signal.reason ?? 'SIGINT'); break; }
    if (stalls.length > 0 || crashes.length > 0) break;
    if (phase === 'run' && now >= cfg.durationMs) {
      setCell(H.PHASE, Phase.Stop);
      phase = 'stopping';
      // The liveness phase: everything outstanding must finish within a stall timeout.
      deadline = now + cfg.stallTimeoutMs + 2 * TICK_MS;
    } else if (phase === 'stopping' && allSettled(tortureSlots)) {
      setCell(H.BG_STOP, 1);
      phase = 'background';
      deadline = now + BACKGROUND_STOP_MS;
    } else if (phase === 'background' && allSettled(tasks.map((t) => t.slot))) {
      orderly = true;
      break;
    } else if (now > deadline) {
      endNote = phase === 'stopping' ? 'roles did not finish the end-of-run liveness phase' : 'background threads did not stop';
      break;
    }
  }

  // ---- teardown ---------------------------------------------------------------------
  if (!orderly) {
    setCell(H.PHASE, Phase.Stop);
    setCell(H.BG_STOP, 1);
    const until = elapsed() + ABORT_GRACE_MS;
    while (!allSettled(tasks.map((t) => t.slot)) && elapsed() < until) await delay(20);
    tearingDown = true;
    setCell(H.ABORT, 1);
    const until2 = elapsed() + 500;
    while (!allSettled(tasks.map((t) => t.slot)) && elapsed() < until2) await delay(20);
  }
  tearingDown = true;
  await Promise.race([pool.destroy().catch(() => {}), delay(2000)]);

  // ---- verdict ----------------------------------------------------------------------
  const snap = takeSnapshot(shared, rcu, elapsed());
  const failures = { ...zeroFailures(), ...snap.failures };
  const add = (c: FailureClass, n = 1) => { failures[c] += n; };
  for (const s of stalls) add(s.kind);
  add('worker-crash', crashes.length);
  if (endNote && stalls.length === 0 && crashes.length === 0 && !interruptedBy) {
    // Nothing else explains why the end did not come: the wait itself is the stall.
    add(phase === 'stopping' ? 'gp-stall' : 'callback-stall');
  }
  const examples: Summary['examples'] = [];
  for (const r of results) for (const e of r.examples) examples.push({ ...e, thread: r.slot });
  for (const c of crashes) examples.push({ cls: 'worker-crash', thread: c.thread, message: c.message });
  if (endNote) examples.push({ cls: phase === 'stopping' ? 'gp-stall' : 'callback-stall', thread: -1, message: endNote });
  if (orderly) checkEnd(shared, cfg, add, examples);

  const latency = new LatencyMerger();
  for (const r of results) latency.add(r.latency);
  const pointHits: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.pointHits)) pointHits[k] = (pointHits[k] ?? 0) + v;

  const anyFailure = Object.values(failures).some((n) => n > 0);
  const verdict: Verdict = anyFailure ? 'FAILURE' : interruptedBy ? 'INTERRUPTED' : 'SUCCESS';
  const summary: Summary = {
    ...partialSummary(verdict, snap),
    final: true,
    failures,
    examples,
    pointHits,
    latency: latency.stats(),
    histograms: latency.export(),
    interrupted: interruptedBy !== undefined,
    signal: interruptedBy,
    exitCode: exitCodeFor(verdict, interruptedBy),
  };
  if (interruptedBy) say(`rcutorture: interrupted by ${interruptedBy}`, 'detail');
  for (const l of formatStats(`rcutorture: ${flavor.name} ${cfg.scenario} end`, snap, null, cfg.durationMs)) say(l, 'stats');
  for (const e of examples.slice(0, 10)) say(`  ${e.cls}: ${e.message.split('\n')[0]}`, 'detail');
  say(verdictLine(summary), 'verdict');
  folder?.writeSummary(summary);
  folder?.close();
  return summary;
}

/**
 * After an orderly end every callback has run and every element is back on
 * the free list: a queued node is a lost callback, anything else missing a leak.
 */
function checkEnd(
  shared: SharedRun, cfg: RunConfig, add: (c: FailureClass, n?: number) => void, examples: Summary['examples'],
): void {
  const i32 = shared.i32;
  let lost = 0;
  let leaked = 0;
  for (let i = 0; i < cfg.elements; i++) {
    const e = shared.element(i);
    if (i32[e + CB.QUEUED] === 1) lost++;
    else if (i32[e + E.STATE] !== ElementState.Free) leaked++;
  }
  for (let i = 0; i < shared.sizes.cbNodes; i++) {
    const n = shared.cbNode(i);
    if (i32[n + CB.QUEUED] === 1) lost++;
    else if (i32[n + N.STATE] !== 0) leaked++;
  }
  if (lost > 0) add('callback-lost', lost);
  if (lost > 0) examples.push({ cls: 'callback-lost', thread: -1, message: `${lost} callbacks still queued after the final drain` });
  // The free list's own count must agree with the elements marked free.
  let markedFree = 0;
  for (let i = 0; i < cfg.elements; i++) if (i32[shared.element(i) + E.STATE] === ElementState.Free) markedFree++;
  leaked += Math.abs(i32[shared.cell(H.FREE_COUNT)] - markedFree);
  if (leaked > 0) {
    add('leak', leaked);
    examples.push({ cls: 'leak', thread: -1, message: `${leaked} elements or callback nodes not back on their free lists` });
  }
}
