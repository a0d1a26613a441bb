/**
 * A trap in C code (unreachable, out-of-bounds, a bad indirect call) is a
 * WebAssembly.RuntimeError: re-thrown as an Error that names the entry point
 * and, from the stack, the innermost C function, so that the run reports a
 * worker-crash a C programmer can act on. Everything else (PlatformAbort at
 * teardown, an rt_abort) passes through unchanged.
 */

export class CTrap extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CTrap';
  }
}

/** The innermost wasm function on a V8 stack ("at flip_read_lock (wasm://wasm/...)"). */
export function innermostCFunction(stack: string | undefined): string | undefined {
  const m = /at (?:\S+\.)?([A-Za-z_$][\w$.]*) \(wasm:\/\//.exec(stack ?? '');
  return m?.[1];
}

export function guard<A extends unknown[], R>(label: string, entry: string, f: (...a: A) => R): (...a: A) => R {
  if (typeof f !== 'function') throw new Error(`${label}: ${entry} is not a function in the module's table`);
  return (...a: A): R => {
    try {
      return f(...a);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      const trap: Error = e;
      const inner = innermostCFunction(trap.stack);
      throw new CTrap(`${label} trapped in ${entry}${inner ? ` (in C function ${inner})` : ''}: ${trap.message}`);
    }
  };
}
