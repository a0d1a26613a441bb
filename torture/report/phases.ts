/**
 * Where a run's wall time went. `--duration 8s` counts torture time from
 * the moment every role is running; worker start-up before it and the end
 * phase after it (liveness: every outstanding call and callback must finish)
 * come on top, and on a loaded machine they are seconds. Said at the end, so
 * an overshoot is explained rather than hidden.
 */
export interface PhaseTimes { startupMs: number; tortureMs: number; endMs: number; teardownMs: number }

const s = (ms: number) => `${(Math.max(0, ms) / 1000).toFixed(1)}s`;

export function phaseTimesLine(p: PhaseTimes): string {
  const total = p.startupMs + p.tortureMs + p.endMs + p.teardownMs;
  return `  wall time ${s(total)}: start-up ${s(p.startupMs)} + torture ${s(p.tortureMs)} + end phase ${s(p.endMs)} + teardown ${s(p.teardownMs)}`;
}
