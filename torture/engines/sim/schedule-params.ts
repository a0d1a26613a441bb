/**
 * The parameters of schedule i of a run, all drawn from the run seed: the
 * roles' seed, the scheduler's PRNG seed, and how this schedule explores.
 * Schedules differ in how often they switch threads and how long stores sit
 * in buffers, because bugs differ in what they need: a lost wake-up wants
 * frequent switches, a missing barrier wants a store to linger across a
 * whole grace period. PCT schedules cycle their depth d over 1..pctDepth.
 */
import { Mode, Model, Strategy } from '../../../lib/platform/sim/control.js';
import type { ScheduleParams } from '../../../lib/platform/sim/scheduler.js';
import type { RunConfig } from '../../run/config.js';
import { Random } from '../../run/random.js';
import { STREAMS } from '../../run/streams.js';
import type { ScheduleSpec } from './schedule.js';

const SWITCH_PROBABILITIES = [0.2, 0.05, 0.01, 0.002];
const COMMIT_ONE_IN = [2, 16, 256, 4096];
/** Virtual time per step: a reader section costs ~0.1 ms, a 10 ms sleep ~1000 steps of the others. */
export const STEP_MS = 0.01;
export const QUANTUM = 4000;
export const SPIN_LIMIT = 64;
/** The longest a store may linger in a TSO buffer: across a grace period or two, well inside any stall timeout. */
export function bufferMaxMs(stallTimeoutMs: number): number {
  return Math.max(STEP_MS, Math.min(20, stallTimeoutMs / 10));
}

export function scheduleSpec(cfg: RunConfig, index: number, threads: number): ScheduleSpec {
  const sim = cfg.sim!;
  const r = new Random(cfg.seed, STREAMS.schedule(index));
  const seed = r.next32();
  const depth = 1 + (index % Math.max(1, sim.pctDepth));
  const order = Array.from({ length: threads }, (_, t) => t);
  for (let i = order.length - 1; i > 0; i--) {
    const j = r.below(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const params: ScheduleParams = {
    mode: Mode.Record,
    strategy: sim.strategy === 'pct' ? Strategy.Pct : Strategy.Random,
    model: sim.memoryModel === 'tso' ? Model.Tso : Model.Sc,
    rngSeed: r.next32() | 0,
    switchProbability: SWITCH_PROBABILITIES[r.below(SWITCH_PROBABILITIES.length)],
    commitOneIn: COMMIT_ONE_IN[r.below(COMMIT_ONE_IN.length)],
    bufferMaxMs: bufferMaxMs(cfg.stallTimeoutMs),
    pctChangePoints: Array.from({ length: depth - 1 }, () => 1 + r.below(sim.steps)),
    pctOrder: order,
    stepMs: STEP_MS,
    quantum: QUANTUM,
    spinLimit: SPIN_LIMIT,
  };
  return { index, seed, params };
}

/** The same schedule, to be replayed from a decision log. */
export function replaySpec(spec: ScheduleSpec, log: readonly (readonly [number, number])[]): ScheduleSpec {
  return { ...spec, params: { ...spec.params, mode: Mode.Replay }, log };
}
