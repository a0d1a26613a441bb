/**
 * `npm run bench`: speed targets, reported as ratios measured side by side
 * in one run (never as timed assertions in tests).
 *
 * Reader overhead: critical sections per second per reader thread with every
 * check on (the real harness torturing qemu-v0), against a bare loop doing
 * the same Atomics handshake with no checks, in alternating rounds so that
 * machine drift falls on both alike. Target: ratio >= 0.5.
 *
 * C flavor: the same harness round on examples/c/flip-rcu.c (compiled to
 * WebAssembly, every shared access an import), in the same rounds, as a
 * ratio to qemu-v0's TypeScript readers. Skipped when clang is missing.
 *
 * Updaters: the default scenario as a user runs it, grace periods per
 * second beside its reader rate (bench/updaters.ts). Sim: scheduled steps
 * per second (bench/sim.ts). Targets: bench.json (bench/figures.ts).
 */
import { Worker } from 'node:worker_threads';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FLAVOR } from '../lib/rcu/registry.js';
import { runTorture } from '../torture/run/run.js';
import { resolveRunConfig } from '../torture/run/resolve-config.js';
import { writeJsonAtomic } from '../torture/report/results.js';
import { findToolchain } from '../torture/c/toolchain.js';
import { figureTable, loadBenchFile, recordMeasured } from './figures.js';
import { updaterRound, type UpdaterRound } from './updaters.js';
import { benchSim } from './sim.js';

const READERS = 2;
const ROUND_MS = 3000;
const ROUNDS = 3;

async function bareRound(): Promise<number> {
  const sab = new SharedArrayBuffer(4 * (16 + READERS * 16));
  new Int32Array(sab)[0] = 1;
  const file = fileURLToPath(new URL('./bare-reader.js', import.meta.url));
  const runs = await Promise.all(Array.from({ length: READERS }, (_, slot) => new Promise<{ sections: number; ms: number }>((done, fail) => {
    const w = new Worker(file, { workerData: { sab, slot, durationMs: ROUND_MS } });
    w.once('message', done);
    w.once('error', fail);
  })));
  return runs.reduce((a, r) => a + (r.sections / r.ms) * 1000, 0) / READERS;
}

async function harnessRound(seed: number, impl?: string): Promise<number> {
  const flavor = impl ? { impl } : { variant: DEFAULT_FLAVOR };
  const base = await resolveRunConfig({ ...flavor, durationMs: ROUND_MS, seed, readers: READERS, fakewriters: 0 });
  // Every check on, but no deliberate delays inside sections: those are torture, not overhead.
  const cfg = { ...base, faults: { ...base.faults, reader: { ...base.faults.reader, shortDelayOneIn: 0, longDelayOneIn: 0 } } };
  const s = await runTorture(cfg, { resultsRoot: null });
  if (s.verdict !== 'SUCCESS') throw new Error(`bench run was not clean: ${s.verdict}`);
  // Per reader thread over the time readers spent in their loops (not worker start-up or the end phase).
  return s.counters.reads / s.counters.readerSeconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const C_FLAVOR = 'examples/c/flip-rcu.c';

function haveClang(): boolean {
  try { findToolchain('bench'); return true; } catch { return false; }
}

async function main(): Promise<void> {
  const record = process.argv.includes('--record');
  const file = loadBenchFile();
  const bare: number[] = [];
  const harness: number[] = [];
  const c: number[] = [];
  const updaters: UpdaterRound[] = [];
  const withC = haveClang();
  if (!withC) process.stdout.write('no clang/wasm-ld: the C flavor round is skipped\n');
  for (let r = 0; r < ROUNDS; r++) {
    bare.push(await bareRound());
    harness.push(await harnessRound(1000 + r));
    if (withC) c.push(await harnessRound(1000 + r, C_FLAVOR));
    updaters.push(await updaterRound(1000 + r, ROUND_MS));
    const u = updaters[r];
    process.stdout.write(`round ${r + 1}/${ROUNDS}: bare ${Math.round(bare[r])}/s, harness ${Math.round(harness[r])}/s` +
      (withC ? `, C flavor ${Math.round(c[r])}/s` : '') + ' per reader thread; ' +
      `default scenario ${Math.round(u.readsPerReader)}/s per reader, ${Math.round(u.gracePeriodsPerSec)} grace periods/s\n`);
  }
  const barePerThread = median(bare);
  const harnessPerThread = median(harness);
  const mid = (f: (u: UpdaterRound) => number) => median(updaters.map(f));
  const values: Record<string, number> = {
    'reader.harnessPerThread': harnessPerThread,
    'reader.barePerThread': barePerThread,
    'reader.ratio': harnessPerThread / barePerThread,
    'updaters.readsPerReader': mid((u) => u.readsPerReader),
    'updaters.gracePeriodsPerSec': mid((u) => u.gracePeriodsPerSec),
    'updaters.synchronizesPerSec': mid((u) => u.synchronizesPerSec),
  };
  if (withC) {
    values['cFlavor.perThread'] = median(c);
    values['cFlavor.ratioToTypeScript'] = median(c) / harnessPerThread;
  }
  const sim = await benchSim();
  values['sim.stepsPerSecond'] = sim.stepsPerSecond;
  values['sim.tsoStepsPerSecond'] = sim.tsoStepsPerSecond;
  values['sim.noSwitchStepsPerSecond'] = sim.noSwitchStepsPerSecond;
  values['sim.tsoNoSwitchStepsPerSecond'] = sim.tsoNoSwitchStepsPerSecond;

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
    setup: { readers: READERS, roundMs: ROUND_MS, rounds: ROUNDS, defaultScenario: { readers: updaters[0].readers, fakewriters: updaters[0].fakewriters }, simSchedules: sim.schedules },
    figures: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v, ...(file.figures[k]?.min !== undefined ? { min: file.figures[k].min } : {}) }])),
  };
  mkdirSync('results', { recursive: true });
  writeJsonAtomic('results/bench.json', result);
  const { lines, missed } = figureTable(file, values);
  for (const l of lines) process.stdout.write(l + '\n');
  process.stdout.write(`load average at the end: ${result.loadAverage.join(' ')} (figures on a loaded machine are low)\n`);
  if (missed.length) process.stdout.write(`below target: ${missed.join(', ')}\n`);
  process.stdout.write('wrote results/bench.json' + (record ? ' and the measured block of bench.json' : '') + '\n');
  if (record) recordMeasured(file, result);
}

await main();
