/**
 * A closed stdout or stderr (`rcutorture ... | head -1`, a CI log reader gone)
 * ends output quietly: the run goes on to its true verdict, exit code and
 * final summary.json. Without a listener, the EPIPE of the next write would be
 * an uncaught error and the process would die with exit 1 ("failures found").
 */
const closed = new Set<NodeJS.WriteStream>();

/** True once writes to `s` go nowhere. */
export function isClosed(s: NodeJS.WriteStream): boolean {
  return closed.has(s) || s.destroyed;
}

export function guardStdio(): void {
  for (const s of [process.stdout, process.stderr]) {
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED' || e.code === 'ECONNRESET') {
        closed.add(s);
        return;
      }
      // Anything else on stdout/stderr is not ours to hide.
      throw e;
    });
  }
}
