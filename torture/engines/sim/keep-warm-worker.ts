/**
 * One keep-warm thread (keep-warm.ts): lowers itself to the weakest CPU
 * priority there is for a thread (nice 19), then spins on its stop flag.
 * It takes no decision and touches nothing of a schedule: the CPU it keeps
 * busy is what the simulated threads do not use.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setPriority } from 'node:os';
import { ownOsThreadId } from '../../run/thread-cpu.js';

const { stop } = workerData as { stop: SharedArrayBuffer };
const flag = new Int32Array(stop);
const tid = ownOsThreadId();
let niced = false;
try {
  // Per thread on Linux: setpriority(PRIO_PROCESS, tid) sets the nice value of that thread alone.
  if (tid > 0) { setPriority(tid, 19); niced = true; }
} catch { /* not allowed here: then do not spin (a full-priority spinner would take the simulation's CPU) */ }
// Its thread id when it spins, 0 when it does not.
parentPort!.postMessage(niced ? tid : 0);
if (niced) while (Atomics.load(flag, 0) === 0) { /* keep this CPU out of its idle state */ }
