/**
 * The sim engine's hand-off guesses: drawing the next switch's thread in
 * advance (so its worker can spin for it) must leave every candidate its
 * chance 1/k, and designating a spinner must never hand it the baton.
 */
import { describe, expect, it } from 'vitest';
import { ControlView, H, Mode, Model, Strategy, T, Turn } from '../lib/platform/sim/control.js';
import { Scheduler } from '../lib/platform/sim/scheduler.js';

const THREADS = 4;

function scheduler(): { v: ControlView; s: Scheduler } {
  const v = ControlView.allocate({ threads: THREADS, logCap: 1 << 16, traceCap: 16 });
  const s = new Scheduler(v, new Int32Array(new SharedArrayBuffer(64)));
  s.reset({
    mode: Mode.Record, strategy: Strategy.Random, model: Model.Sc, rngSeed: 7, switchProbability: 1,
    commitOneIn: 64, bufferMaxMs: 20, pctChangePoints: [], pctOrder: [0, 1, 2, 3], stepMs: 0.01, quantum: 1e9, spinLimit: 64,
  });
  return { v, s };
}

describe('sim hand-off guesses', () => {
  it('a switch drawn in advance still picks each runnable candidate with chance 1/k', () => {
    const { v, s } = scheduler();
    // Thread 3 sleeps: the candidates are 0, 1 and 2, and the advance draw (over all four) sometimes misses.
    v.i32[v.t(3, T.STATUS)] = 2;
    const counts = [0, 0, 0, 0];
    let hinted = 0;
    let hintRight = 0;
    let me = 0;
    let hint = -1;
    const N = 30_000;
    for (let i = 0; i < N; i++) {
      const next = s.decide(me, false);
      counts[next]++;
      if (next !== me) {
        if (hint >= 0) { hinted++; if (hint === next) hintRight++; }
        hint = v.i32[H.HINT];
      }
      me = next;
    }
    expect(counts[3]).toBe(0);
    for (let t = 0; t < 3; t++) expect(Math.abs(counts[t] / N - 1 / 3)).toBeLessThan(0.02);
    // The guess is the advance draw whenever it could run: right for most switches that had one.
    expect(hintRight / hinted).toBeGreaterThan(0.5);
  });

  it('a designated spinner spins but never holds the baton; a new designation stops the old one', () => {
    const { v } = scheduler();
    v.designate(1);
    expect(v.i32[v.t(1, T.TURN)]).toBe(Turn.Spin);
    expect(v.tookTurn(1)).toBe(true);
    v.designate(2);
    expect(v.i32[v.t(1, T.TURN)]).toBe(Turn.Wait);
    expect(v.i32[v.t(2, T.TURN)]).toBe(Turn.Spin);
    v.handTo(2);
    expect(v.i32[v.t(2, T.TURN)]).toBe(Turn.Go);
    expect(v.tookTurn(2)).toBe(false);
    v.awaitTurn(2);
    expect(v.i32[v.t(2, T.TURN)]).toBe(Turn.Wait);
  });
});
