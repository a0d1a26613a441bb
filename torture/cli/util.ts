/** Shared plumbing of the commands: usage errors, signals, leaving the process. */
import { UsageError } from '../run/parse.js';
import { EXIT } from '../report/summary.js';

/** Wraps a command action: a UsageError becomes one line on stderr and exit 2. */
export function wrapParser<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      if (e instanceof UsageError) {
        process.stderr.write(`rcutorture: ${e.message}\n`);
        process.exit(EXIT.usage);
      }
      throw e;
    }
  };
}

/** The exit code a signal calls for (128 + its number). */
export function signalExitCode(sig: string): number {
  return sig === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
}

/**
 * A run stops within this long of the first signal, whatever the
 * implementation under test is doing: the orchestrator's interrupt teardown
 * fits well inside it, and this is the backstop if it ever does not (the
 * periodic summary.json, written since the start, then tells the story).
 */
const INTERRUPT_DEADLINE_MS = 2800;

/**
 * First SIGINT/SIGTERM stops the run in order (roles stopped, summary.json
 * written with interrupted: true); a second exits at once.
 */
export function installSignalHandlers(controller: AbortController): void {
  let seen = 0;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (++seen > 1) process.exit(signalExitCode(sig));
      process.stderr.write(`rcutorture: ${sig}: stopping and writing the summary (again to exit at once)\n`);
      controller.abort(sig);
      const backstop = setTimeout(() => {
        process.stderr.write(`rcutorture: ${sig}: teardown took too long, exiting\n`);
        process.exit(signalExitCode(sig));
      }, INTERRUPT_DEADLINE_MS);
      backstop.unref();
    });
  }
}

/**
 * Exits once stdout and stderr have taken everything written. Commands end
 * this way rather than by returning: a worker thread stuck in the code under
 * test (terminated, but perhaps not yet gone) must never keep the process alive.
 */
export async function exitWhenFlushed(code: number): Promise<never> {
  const flush = (s: NodeJS.WriteStream) => new Promise<void>((done) => {
    if (!s.write('', () => done())) s.once('drain', () => done());
  });
  await Promise.race([Promise.all([flush(process.stdout), flush(process.stderr)]), new Promise((r) => setTimeout(r, 1000).unref())]);
  process.exit(code);
}
