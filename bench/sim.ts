/**
 * The simulation engine's speed for `npm run bench`: scheduled steps per
 * second, torturing the default variant with the default sim settings
 * (random strategy, the per-schedule mix of switch rates), over a few
 * seconds of wall time so that worker start-up is amortised. Target:
 * bench.json (sim.stepsPerSecond).
 */
import { DEFAULT_FLAVOR } from '../lib/rcu/registry.js';
import { runTorture } from '../torture/run/run.js';
import { resolveRunConfig } from '../torture/run/resolve-config.js';
import { noSwitchStepsPerSecond } from './sim-step.js';

const WALL_MS = 8000;

async function stepsPerSecond(memoryModel: 'sc' | 'tso'): Promise<{ stepsPerSecond: number; schedules: number }> {
  const cfg = await resolveRunConfig({ variant: DEFAULT_FLAVOR, durationMs: WALL_MS, seed: 1, engine: 'sim', sim: { memoryModel } });
  const s = await runTorture(cfg, { resultsRoot: null });
  if (s.verdict !== 'SUCCESS') throw new Error(`sim bench run was not clean: ${s.verdict}`);
  const sim = (s as typeof s & { sim: { steps: number; schedules: number } }).sim;
  return { stepsPerSecond: Math.round(sim.steps / (s.durationMs / 1000)), schedules: sim.schedules };
}

export interface SimFigures {
  stepsPerSecond: number;
  tsoStepsPerSecond: number;
  noSwitchStepsPerSecond: number;
  tsoNoSwitchStepsPerSecond: number;
  schedules: number;
}

export async function benchSim(): Promise<SimFigures> {
  const sc = await stepsPerSecond('sc');
  const tso = await stepsPerSecond('tso');
  const alone = noSwitchStepsPerSecond('sc');
  const tsoAlone = noSwitchStepsPerSecond('tso');
  process.stdout.write(`sim: ${sc.stepsPerSecond} steps/s (sc, ${sc.schedules} schedules), ${tso.stepsPerSecond} steps/s (tso); ` +
    `no-switch step ${Math.round(alone)}/s (sc), ${Math.round(tsoAlone)}/s (tso)\n`);
  return { stepsPerSecond: sc.stepsPerSecond, tsoStepsPerSecond: tso.stepsPerSecond, noSwitchStepsPerSecond: alone,
    tsoNoSwitchStepsPerSecond: tsoAlone, schedules: sc.schedules };
}
