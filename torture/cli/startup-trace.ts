/**
 * `RCUTORTURE_TRACE_STARTUP=1`: one stderr line per start-up stage, with the
 * milliseconds since the process started (performance.now's origin), for a
 * user asking where a slow start goes and for tests that must act at a known
 * stage (a signal sent once the guards are in, not at a guessed moment).
 * Imports nothing: it runs before the commands load.
 */
const enabled = process.env.RCUTORTURE_TRACE_STARTUP !== undefined && process.env.RCUTORTURE_TRACE_STARTUP !== '0';

export function traceStartup(stage: string): void {
  if (!enabled) return;
  try { process.stderr.write(`rcutorture: start-up +${Math.round(performance.now())} ms: ${stage}\n`); } catch { /* closed */ }
}
