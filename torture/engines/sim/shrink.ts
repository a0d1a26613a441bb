/**
 * Shrinking a failing schedule: remove decisions from its log (each one a
 * preemption or a buffer commit the default schedule would not make) while
 * the replay still fails with the same class, and cut what comes after the
 * failure. Removed decisions fall back to the replay default (keep running
 * the current thread, round robin when it cannot), so a shorter log is a
 * schedule with fewer context switches. A ddmin-style pass: chunks of
 * halving size, each tried out of the log, within a budget of replays.
 */
import type { FailureClass } from '../../checks/classes.js';
import { runSchedule, type ScheduleOutcome, type ScheduleSpec } from './schedule.js';
import { replaySpec } from './schedule-params.js';
import type { SimEnv } from './sim-env.js';

export interface ShrinkBudget { maxRuns: number; maxWallMs: number }
export const DEFAULT_SHRINK: ShrinkBudget = { maxRuns: 40, maxWallMs: 20_000 };

export interface ShrinkResult {
  log: [number, number][];
  outcome: ScheduleOutcome;
  runs: number;
}

type Log = [number, number][];
const upTo = (log: Log, step: number): Log => log.filter(([s]) => s <= step);

export async function shrinkSchedule(
  env: SimEnv, spec: ScheduleSpec, failing: ScheduleOutcome, cls: FailureClass, budget = DEFAULT_SHRINK,
): Promise<ShrinkResult> {
  const t0 = performance.now();
  let best = upTo(failing.log, failing.failStep);
  let bestOutcome = failing;
  let runs = 0;
  const spent = () => runs >= budget.maxRuns || performance.now() - t0 >= budget.maxWallMs;
  const attempt = async (log: Log): Promise<boolean> => {
    runs++;
    const out = await runSchedule(env, replaySpec(spec, log));
    if (out.failures[cls] === 0) return false;
    best = upTo(log, out.failStep);
    bestOutcome = out;
    return true;
  };
  // The log without the decisions past the failure may already fail the same way.
  if (best.length < failing.log.length && !(await attempt(best))) best = failing.log;
  let chunk = Math.ceil(best.length / 2);
  while (chunk >= 1 && best.length > 0 && !spent()) {
    let removedAny = false;
    for (let start = 0; start < best.length && !spent();) {
      const cand = [...best.slice(0, start), ...best.slice(start + chunk)];
      if (await attempt(cand)) removedAny = true;
      else start += chunk;
    }
    if (!removedAny) chunk = Math.floor(chunk / 2);
    else chunk = Math.min(chunk, Math.ceil(best.length / 2));
  }
  return { log: best, outcome: bestOutcome, runs };
}
