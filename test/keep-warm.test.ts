/**
 * The sim engine's keep-warm threads (torture/engines/sim/keep-warm.ts):
 * one per CPU, each at nice 19 while it spins, all gone after stop(); none
 * when turned off.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { startKeepWarm } from '../torture/engines/sim/keep-warm.js';

/** The nice value of this process's thread `tid` (field 19 of its stat), or undefined once it is gone. */
function niceOf(tid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  } catch {
    return undefined;
  }
}

describe.runIf(process.platform === 'linux')('keep-warm threads', () => {
  it('one per CPU, each at nice 19, and gone after stop()', async () => {
    const kw = startKeepWarm();
    const tids = await kw.spinning;
    expect(tids).toHaveLength(availableParallelism());
    for (const tid of tids) expect(niceOf(tid), `thread ${tid}`).toBe(19);
    // The thread that started them keeps the priority the process has.
    const processNice = Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[16]);
    expect(niceOf(Number(readFileSync('/proc/thread-self/stat', 'utf8').split(' ')[0]))).toBe(processNice);
    await kw.stop();
    for (const tid of tids) expect(niceOf(tid), `thread ${tid} after stop`).toBeUndefined();
  });

  it('RCUTORTURE_SIM_KEEP_WARM=0 starts none', async () => {
    process.env.RCUTORTURE_SIM_KEEP_WARM = '0';
    try {
      const kw = startKeepWarm();
      expect(await kw.spinning).toEqual([]);
      await kw.stop();
    } finally {
      delete process.env.RCUTORTURE_SIM_KEEP_WARM;
    }
  });
});
