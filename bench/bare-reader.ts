/**
 * The bare reader loop the benchmark compares the harness against: the same
 * Atomics read_lock/read_unlock handshake as QEMU's read side on the threads
 * engine (load gp_ctr and publish it; clear it and look at `waiting`; the
 * full barriers cost nothing there, Atomics being sequentially consistent),
 * with no Platform indirection, no element, no checks and no statistics.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { sab, slot, durationMs } = workerData as { sab: SharedArrayBuffer; slot: number; durationMs: number };
const i32 = new Int32Array(sab);
const GP_CTR = 0;
// Each reader's cells on a cache line of their own, as the harness's reader records are.
const me = 16 + slot * 16;

let sections = 0;
const t0 = performance.now();
for (;;) {
  for (let i = 0; i < 1024; i++) {
    Atomics.store(i32, me, Atomics.load(i32, GP_CTR));
    Atomics.store(i32, me, 0);
    if (Atomics.load(i32, me + 1) !== 0) Atomics.store(i32, me + 1, 0);
  }
  sections += 1024;
  if (performance.now() - t0 >= durationMs) break;
}
parentPort!.postMessage({ sections, ms: performance.now() - t0 });
