/**
 * The sim engine's hang detector judges the baton's holder by its own OS
 * thread's CPU: another thread spinning in the same process (another run, a
 * worker compiling or collecting) never makes a parked holder look like a
 * spin, a holder still attaching is not judged, and a holder that really
 * spins without a step is caught.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { H as CH, type ControlView } from '../lib/platform/sim/control.js';
import { HangDetector } from '../torture/engines/sim/hang-detector.js';
import { ownOsThreadId } from '../torture/run/thread-cpu.js';

const WORKER = new URL('./fixtures/cpu-worker.mjs', import.meta.url);
/** The wait's wall time: short, so that the test is about CPU, not about waiting. */
const WALL_MS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A schedule's header as the detector reads it: the step counter stays put, `holder` holds the baton. */
function view(holder: number): ControlView {
  const i32 = new Int32Array(new SharedArrayBuffer(64 * 4));
  i32[CH.STEP] = 42;
  i32[CH.CURRENT] = holder;
  return { i32 } as unknown as ControlView;
}

async function start(sab: SharedArrayBuffer, spin: boolean): Promise<{ worker: Worker; tid: number }> {
  const worker = new Worker(WORKER, { workerData: { sab, spin } });
  const tid = await new Promise<number>((r) => worker.once('message', r));
  return { worker, tid };
}

describe.runIf(ownOsThreadId() > 0)('sim hang detector (per-thread CPU, Linux)', () => {
  it('a parked holder beside a spinning thread is not spinning; a spinning holder still attaching is not judged; a spinning holder is', async () => {
    const stop = new SharedArrayBuffer(4);
    const parked = await start(stop, false);
    const spinner = await start(stop, true);
    try {
      const tids = [parked.tid, spinner.tid];
      const parkedHolder = new HangDetector(view(0), WALL_MS, (t) => tids[t], () => false);
      const attaching = new HangDetector(view(1), WALL_MS, (t) => tids[t], () => true);
      const spinningHolder = new HangDetector(view(1), WALL_MS, (t) => tids[t], () => false);
      let caughtAfter = -1;
      const t0 = performance.now();
      // Until the spinner is caught (it needs a second of its own CPU: longer on a loaded machine), and at least 2 s.
      while (performance.now() - t0 < 20_000 && (caughtAfter < 0 || performance.now() - t0 < 2000)) {
        expect(parkedHolder.spinning(), 'a parked holder judged by another thread\'s CPU').toBe(false);
        expect(attaching.spinning(), 'a holder still attaching judged').toBe(false);
        if (caughtAfter < 0 && spinningHolder.spinning()) caughtAfter = performance.now() - t0;
        await sleep(50);
      }
      expect(caughtAfter, 'the spinning holder was never caught').toBeGreaterThanOrEqual(WALL_MS);
    } finally {
      Atomics.store(new Int32Array(stop), 0, 1);
      Atomics.notify(new Int32Array(stop), 0);
      await Promise.all([parked.worker.terminate(), spinner.worker.terminate()]);
    }
  });
});
