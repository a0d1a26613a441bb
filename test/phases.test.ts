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
