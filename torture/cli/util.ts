/** Shared plumbing of the commands: usage errors, signals. */
import { UsageError } from './parse.js';

/** Wraps a command action: a UsageError becomes one line on stderr and exit 2. */
export function wrapParser<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      if (e instanceof UsageError) {
        process.stderr.write(`rcutorture: ${e.message}\n`);
        process.exit(2);
      }
      throw e;
    }
  };
}

/** First SIGINT/SIGTERM stops the run in order (summary written); a second exits at once. */
export function installSignalHandlers(controller: AbortController): void {
  let seen = 0;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (++seen > 1) process.exit(sig === 'SIGINT' ? 130 : 143);
      controller.abort(sig);
    });
  }
}
