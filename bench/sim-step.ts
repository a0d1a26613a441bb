/**
 * The cost of the simulation engine's common step, the one with no
 * hand-off: a single simulated thread, alone in its control block and run
 * in this thread, doing loads, stores, read-modify-writes and points
 * through SimPlatform. Alone, the scheduler always picks it again (the
 * controller's step and time marks are out of reach), so this measures the
 * scheduling point itself, free of the futex round trips that the
 * machine's load decides: the figure to compare across changes of the
 * step. Best of a few rounds.
 */
import { ControlView, Mode, Model, Strategy, T } from '../lib/platform/sim/control.js';
import { Scheduler } from '../lib/platform/sim/scheduler.js';
import { SimPlatform } from '../lib/platform/sim/sim-platform.js';

const STEPS = 2_000_000;
const ROUNDS = 5;

export function noSwitchStepsPerSecond(memoryModel: 'sc' | 'tso'): number {
  const sizes = { threads: 1, logCap: 64, traceCap: 200 };
  const v = ControlView.allocate(sizes);
  const mem = new Int32Array(new SharedArrayBuffer(4096));
  new Scheduler(v, mem).reset({
    mode: Mode.Record, strategy: Strategy.Random, model: memoryModel === 'tso' ? Model.Tso : Model.Sc,
    rngSeed: 1, switchProbability: 0.02, commitOneIn: 64, bufferMaxMs: 20, pctChangePoints: [], pctOrder: [0],
    stepMs: 0.01, quantum: 4000, spinLimit: 64,
  });
  // Thread 0 holds the baton from the start, so its first call does not wait.
  v.i32[v.t(0, T.TURN)] = 1;
  const p = new SimPlatform(v.sab, sizes, mem, 0);
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < STEPS; i += 4) {
      p.load(i & 255);
      p.store(256 + (i & 255), i);
      p.fetchAdd(600, 1);
      p.point('bench');
    }
    best = Math.min(best, performance.now() - t0);
  }
  return (STEPS / best) * 1000;
}
