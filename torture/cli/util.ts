/** Shared plumbing of the commands: usage errors, signals, leaving the process. */
import { UsageError } from '../run/parse.js';
import { EXIT } from '../report/summary.js';
import { pathErrorFrom } from '../io/safe-fs.js';
import { attachRun, signalExitCode } from './signals.js';

/**
 * Wraps a command action: a UsageError, or a file-system error the user can
 * fix (a path that cannot be made, no permission, a full disk), becomes one
 * line on stderr and exit 2.
 */
export function wrapParser<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      const usage = e instanceof UsageError ? e : pathErrorFrom(e);
      if (usage) {
        process.stderr.write(`rcutorture: ${usage.message.split('\n')[0]}\n`);
        process.exit(EXIT.usage);
      }
      throw e;
    }
  };
}

export { signalExitCode };

/**
 * First SIGINT/SIGTERM stops the run in order (roles stopped, summary.json
 * written with interrupted: true); a second exits at once (torture/cli/signals.ts,
 * whose handlers main installs before anything else).
 */
export function installSignalHandlers(controller: AbortController): void {
  attachRun(controller);
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

const warned = new Set<string>();

/** A request that is valid but probably not meant: one stderr line, once per process (a soak resolves many cases). */
export function warnLoudly(line: string): void {
  if (warned.has(line)) return;
  warned.add(line);
  process.stderr.write(`rcutorture: WARNING: ${line}\n`);
}
