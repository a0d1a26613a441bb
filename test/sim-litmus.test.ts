/**
 * Litmus self-tests of the simulation engine's memory models, on two
 * simulated threads over many seeded schedules: store buffering (SB) is
 * reachable under TSO and not under SC; with fences it is never reached;
 * message passing with release/acquire never shows stale data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { ControlView, H, Mode, Model, Reason, Status, Strategy } from '../lib/platform/sim/control.js';
import { Scheduler } from '../lib/platform/sim/scheduler.js';
import { ROOT } from './helpers.js';

const TRIALS = 300;
const R0 = 8;
const sizes = { threads: 2, logCap: 1024, traceCap: 16 };
const view = ControlView.allocate(sizes);
const mem = new Int32Array(new SharedArrayBuffer(64));
let workers: Worker[] = [];

beforeAll(async () => {
  workers = [0, 1].map((thread) => new Worker(join(ROOT, 'test/fixtures/sim-litmus-worker.mjs'), {
    workerData: { control: view.sab, sizes, mem: mem.buffer, thread },
  }));
  await Promise.all(workers.map((w) => new Promise((ok) => w.once('message', ok))));
});
afterAll(async () => { await Promise.all(workers.map((w) => w.terminate())); });

function reset(seed: number, model: Model): void {
  mem.fill(0);
  new Scheduler(view, mem).reset({
    mode: Mode.Record, strategy: Strategy.Random, model, rngSeed: seed * 7919, switchProbability: 0.5,
    commitOneIn: [2, 4, 16][seed % 3], pctChangePoints: [], pctOrder: [0, 1], stepMs: 0.01, quantum: 1000, spinLimit: 64,
  });
}

/** Runs `test` once per seed; returns how often each outcome (the reads, joined) was seen. */
async function outcomes(test: string, model: Model): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (let seed = 1; seed <= TRIALS; seed++) {
    reset(seed, model);
    const done = workers.map((w) => new Promise((ok) => w.once('message', ok)));
    for (const w of workers) w.postMessage({ test });
    view.handTo(new Scheduler(view, mem).decide(view.main, false));
    await view.awaitTurnAsync(view.main);
    expect(view.i32[H.REASON]).toBe(Reason.Done);
    await Promise.all(done);
    const key = test === 'mp' ? `${mem[R0 + 2]},${mem[R0 + 3]}` : `${mem[R0]},${mem[R0 + 2]}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return seen;
}

describe('sim memory models (litmus)', () => {
  it('SB: both threads reading 0 is reachable under TSO', async () => {
    const seen = await outcomes('sb', Model.Tso);
    expect(seen.get('0,0') ?? 0).toBeGreaterThan(0);
  });
  it('SB: both threads reading 0 is unreachable under SC', async () => {
    const seen = await outcomes('sb', Model.Sc);
    expect(seen.get('0,0') ?? 0).toBe(0);
    expect(seen.size).toBeGreaterThan(1);
  });
  it('SB with fences: both threads reading 0 is unreachable under TSO', async () => {
    expect((await outcomes('sb-fence', Model.Tso)).get('0,0') ?? 0).toBe(0);
  });
  it('MP with release/acquire: flag seen but data stale never happens under TSO', async () => {
    const seen = await outcomes('mp', Model.Tso);
    expect(seen.get('1,0') ?? 0).toBe(0);
    expect(seen.get('1,1') ?? 0).toBeGreaterThan(0);
  });

  it('reports a deadlock (everyone waiting, no timer) to the controller, and tears it down', async () => {
    reset(1, Model.Sc);
    const done = workers.map((w) => new Promise((ok) => w.once('message', ok)));
    for (const w of workers) w.postMessage({ test: 'deadlock' });
    view.handTo(new Scheduler(view, mem).decide(view.main, false));
    await view.awaitTurnAsync(view.main);
    expect(view.i32[H.REASON]).toBe(Reason.Deadlock);
    expect([view.status(0), view.status(1)]).toEqual([Status.Waiting, Status.Waiting]);
    view.i32[H.ABORTING] = 1;
    view.handTo(0);
    await view.awaitTurnAsync(view.main);
    await Promise.all(done);
    expect([view.status(0), view.status(1)]).toEqual([Status.Finished, Status.Finished]);
  });
});
