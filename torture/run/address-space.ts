/**
 * Whether this process may reserve address space freely. A shared
 * WebAssembly.Memory reserves some 10 GiB of it (V8 bounds-checks wasm
 * accesses with guard pages), and every worker thread reserves its own
 * code range: under `ulimit -v` of 12 GiB the two together ended the
 * process ("Fatal process OOM ... CodeRange") where a plain
 * SharedArrayBuffer ran. Linux only (/proc/self/limits); elsewhere, or
 * when it cannot be read, free.
 */
import { readFileSync } from 'node:fs';

export function addressSpaceLimited(): boolean {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max address space'));
    return line !== undefined && !/^Max address space\s+unlimited/.test(line);
  } catch {
    return false;
  }
}
