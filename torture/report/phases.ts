/**
 * Where a run's wall time went. `--duration 8s` counts torture time from
 * the moment every role is running; worker start-up before it and the end
 * phase after it (liveness: every outstanding call and callback must finish)
 * come on top, and on a loaded machine they are seconds. Said at the end, so
 * an overshoot is explained rather than hidden.
 */
export interface PhaseTimes {
  /** Node start-up and module loading before the run began: the first run of a process only. */
  processMs?: number;
  startupMs: number; tortureMs: number; endMs: number; teardownMs: number;
  /** The share of the run's time the stall clock counted (run/stall-clock.ts): under 1, other load kept its threads waiting. */
  stallClockShare?: number;
  /** Stall-clock ms counted in all, and the stall timeout: counted below it, the run could not have reported a stall. */
  stallClockMs?: number;
  stallTimeoutMs?: number;
}

/**
 * Below this share the line says how much of the CPU the run's threads got
 * (even a quiet machine counts a little less than the wall: the main thread, V8's helpers, wake-ups).
 */
export const LOADED_SHARE = 0.6;

const s = (ms: number) => `${(Math.max(0, ms) / 1000).toFixed(1)}s`;

let processStartTaken = false;
/**
 * How long the process ran before its first run began (node and module
 * loading), the first time it is asked; undefined after, so a soak's later
 * cases do not count it again.
 */
export function takeProcessStartMs(): number | undefined {
  if (processStartTaken) return undefined;
  processStartTaken = true;
  return performance.now();
}

export function phaseTimesLine(p: PhaseTimes): string {
  const total = (p.processMs ?? 0) + p.startupMs + p.tortureMs + p.endMs + p.teardownMs;
  const load = p.processMs !== undefined ? `node and modules ${s(p.processMs)} + ` : '';
  return `  wall time ${s(total)}${p.processMs !== undefined ? ' since the process started' : ''}: ${load}` +
    `start-up ${s(p.startupMs)} + torture ${s(p.tortureMs)} + end phase ${s(p.endMs)} + teardown ${s(p.teardownMs)}` +
    (p.stallClockShare !== undefined && p.stallClockShare < LOADED_SHARE
      ? `; other load: the run's threads got ${Math.round(p.stallClockShare * 100)}% of the CPU they asked for, and stall timeouts counted only that` +
        (p.stallClockMs !== undefined && p.stallTimeoutMs !== undefined && p.stallClockMs < p.stallTimeoutMs
          ? ` (${s(p.stallClockMs)} in all, less than the stall timeout: no stall could have been reported)`
          : '')
      : '');
}
