/**
 * Keep-warm threads for the simulation engine: one spinning thread per CPU
 * at nice 19 while schedules run.
 *
 * Why: a schedule hands the baton from worker to worker thousands of times,
 * and a hand-off to a parked worker is a futex wake. On a virtual machine
 * whose CPUs go idle between hand-offs (the guest halts the vCPU), that
 * wake costs the host's rescheduling of the vCPU: about 20 us a hand-off
 * here, 80% of a schedule's wall time. A CPU that runs something never
 * halts, so a woken worker only has to preempt what runs there; at nice 19
 * (weight 15 against a worker's 1024) that is almost nothing taken from
 * the simulation, and nothing from other work on the machine that needs
 * the CPU more. Measured on this 2-core machine (qemu-v0 default, 8 s):
 * 0.76M scheduled steps/s alone, 1.54M beside one such spinner, 1.73M
 * beside two.
 *
 * The threads never touch a schedule's memory or decisions: replays and
 * results are the same with or without them (`RCUTORTURE_SIM_KEEP_WARM=0`
 * turns them off, e.g. on a machine billed by CPU time).
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { compiledWorker } from '../../run/plan.js';

export interface KeepWarm {
  /** The OS thread ids of the threads that spin (once they do). */
  spinning: Promise<number[]>;
  stop(): Promise<void>;
}

const NONE: KeepWarm = { spinning: Promise.resolve([]), stop: async () => {} };

export function startKeepWarm(): KeepWarm {
  if (process.env.RCUTORTURE_SIM_KEEP_WARM === '0' || process.platform !== 'linux') return NONE;
  const stop = new SharedArrayBuffer(4);
  const file = compiledWorker('engines/sim/keep-warm-worker.js');
  const workers = Array.from({ length: availableParallelism() }, () => {
    const w = new Worker(file, { workerData: { stop } });
    // Never what keeps the process alive, nor what fails it.
    w.unref();
    w.on('error', () => {});
    return w;
  });
  const spinning = Promise.all(workers.map((w) => new Promise<number>((done) => {
    w.once('message', done);
    w.once('exit', () => done(0));
  }))).then((tids) => tids.filter((t) => t > 0));
  return {
    spinning,
    async stop() {
      Atomics.store(new Int32Array(stop), 0, 1);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
