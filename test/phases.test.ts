// The end of a run says where its wall time went (duration honesty, issue 15).
import { describe, expect, it } from 'vitest';
import { phaseTimesLine } from '../dist/torture/report/phases.js';

describe('phaseTimesLine', () => {
  it('adds up start-up, torture, end phase and teardown to the wall time it states', () => {
    expect(phaseTimesLine({ startupMs: 4100, tortureMs: 3000, endMs: 700, teardownMs: 240 }))
      .toBe('  wall time 8.0s: start-up 4.1s + torture 3.0s + end phase 0.7s + teardown 0.2s');
  });

  it('counts node and module loading for the first run of a process, so the total is the process\'s wall time', () => {
    expect(phaseTimesLine({ processMs: 600, startupMs: 900, tortureMs: 8000, endMs: 400, teardownMs: 100 }))
      .toBe('  wall time 10.0s since the process started: node and modules 0.6s + start-up 0.9s + torture 8.0s + end phase 0.4s + teardown 0.1s');
  });
});

describe('phaseTimesLine on a loaded machine', () => {
  it('says how much of the CPU the threads got, and when the run counted less than its stall timeout', () => {
    const line = phaseTimesLine({ startupMs: 900, tortureMs: 8000, endMs: 400, teardownMs: 100, stallClockShare: 0.2, stallClockMs: 1700, stallTimeoutMs: 2000 });
    expect(line).toContain("the run's threads got 20% of the CPU they asked for");
    expect(line).toContain('(1.7s in all, less than the stall timeout: no stall could have been reported)');
    expect(phaseTimesLine({ startupMs: 900, tortureMs: 8000, endMs: 400, teardownMs: 100, stallClockShare: 0.2, stallClockMs: 1700, stallTimeoutMs: 1000 }))
      .not.toContain('less than the stall timeout');
  });
});
