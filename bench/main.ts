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
 */
import { Worker } from 'node:worker_threads';
import { mkdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FLAVOR } from '../lib/rcu/registry.js';
import { runTorture } from '../torture/run/run.js';
import { resolveRunConfig } from '../torture/run/resolve-config.js';
import { writeJsonAtomic } from '../torture/report/results.js';
import { findToolchain } from '../torture/c/toolchain.js';

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
  const bare: number[] = [];
  const harness: number[] = [];
  const c: number[] = [];
  const withC = haveClang();
  if (!withC) process.stdout.write('no clang/wasm-ld: the C flavor round is skipped\n');
  for (let r = 0; r < ROUNDS; r++) {
    bare.push(await bareRound());
    harness.push(await harnessRound(1000 + r));
    if (withC) c.push(await harnessRound(1000 + r, C_FLAVOR));
    process.stdout.write(`round ${r + 1}/${ROUNDS}: bare ${Math.round(bare[r])}/s, harness ${Math.round(harness[r])}/s` +
      (withC ? `, C flavor ${Math.round(c[r])}/s` : '') + ' per reader thread\n');
  }
  const barePerThread = median(bare);
  const harnessPerThread = median(harness);
  const result: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    reader: { harnessPerThread, barePerThread, ratio: harnessPerThread / barePerThread, target: 0.5, readers: READERS, roundMs: ROUND_MS, rounds: ROUNDS },
  };
  if (withC) result.cFlavor = { flavor: C_FLAVOR, perThread: median(c), ratioToTypeScript: median(c) / harnessPerThread };

  // The simulation engine's scheduled steps per second, when it is built.
  const simBench = new URL('./sim.js', import.meta.url);
  if (existsSync(fileURLToPath(simBench))) {
    const mod = (await import(simBench.href)) as { benchSim?: () => Promise<{ stepsPerSecond: number }> };
    if (mod.benchSim) result.sim = { ...(await mod.benchSim()), target: 100_000 };
  }

  mkdirSync('results', { recursive: true });
  writeJsonAtomic('results/bench.json', result);
  const reader = result.reader as { harnessPerThread: number; barePerThread: number; ratio: number };
  const rows = [
    ['metric', 'value', 'target'],
    ['reader sections/s per thread, harness', Math.round(reader.harnessPerThread).toLocaleString('en-US'), ''],
    ['reader sections/s per thread, bare loop', Math.round(reader.barePerThread).toLocaleString('en-US'), ''],
    ['ratio harness / bare', reader.ratio.toFixed(2), '>= 0.50'],
  ];
  if (result.cFlavor) {
    const cf = result.cFlavor as { perThread: number; ratioToTypeScript: number };
    rows.push(['reader sections/s per thread, C flip-rcu', Math.round(cf.perThread).toLocaleString('en-US'), '']);
    rows.push(['ratio C / qemu-v0 (TypeScript)', cf.ratioToTypeScript.toFixed(2), '']);
  }
  if (result.sim) rows.push(['sim scheduled steps/s', Math.round((result.sim as { stepsPerSecond: number }).stepsPerSecond).toLocaleString('en-US'), '>= 100,000']);
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) process.stdout.write(r.map((c, i) => c.padEnd(w[i])).join('  ') + '\n');
  process.stdout.write('wrote results/bench.json\n');
}


await main();
