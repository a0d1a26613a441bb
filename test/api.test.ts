/**
 * The programmatic API: `torture(options)` resolves to the run's summary,
 * for a shipped variant and for --impl flavors, correct and buggy.
 */
import { describe, expect, it } from 'vitest';
import { torture, UsageError } from '../index.js';

// Few threads and short runs: several test files torture at once on 2 cores.
const SHORT = { duration: '3s', readers: 2, fakewriters: 1, results: null } as const;

describe('torture()', () => {
  it('qemu-v0: SUCCESS, with every failure class zero and work done', async () => {
    const lines: string[] = [];
    const s = await torture({ ...SHORT, variant: 'qemu-v0', seed: 8, onLine: (l) => lines.push(l) });
    expect(s.verdict).toBe('SUCCESS');
    expect(s.variant).toBe('qemu-v0');
    expect(s.seed).toBe(8);
    expect(Object.values(s.failures).every((n) => n === 0)).toBe(true);
    expect(s.counters.reads).toBeGreaterThan(0);
    expect(s.counters.gracePeriods).toBeGreaterThan(0);
    expect(s.resultsDir).toBeUndefined();
    expect(lines.at(-1)).toBe('rcutorture: qemu-v0 default SUCCESS');
  });

  it('the example flavor from --impl, picked without naming it: SUCCESS', async () => {
    const s = await torture({ ...SHORT, impl: 'examples/epoch-rcu.mjs' });
    expect(s.variant).toBe('epoch-rcu');
    expect(s.verdict).toBe('SUCCESS');
    expect(s.counters.callbacksInvoked).toBeGreaterThan(0);
  });

  it('its planted-bug copy: FAILURE with premature-callback, the class its comment predicts', async () => {
    const s = await torture({ ...SHORT, impl: 'examples/epoch-rcu-late-batch.mjs' });
    expect(s.variant).toBe('epoch-rcu!late-batch');
    expect(s.verdict).toBe('FAILURE');
    expect(s.failures['premature-callback']).toBeGreaterThan(0);
    expect(s.exitCode).toBe(1);
  });

  it('the simulation engine runs --impl flavors too: with TSO store buffers the example passes, the planted bug is found', async () => {
    const sim = { engine: 'sim', schedules: 3, seed: 1, results: null } as const;
    const ok = await torture({ ...sim, impl: 'examples/epoch-rcu.mjs', memoryModel: 'tso' });
    expect(ok.engine).toBe('sim');
    expect(ok.verdict).toBe('SUCCESS');
    const bad = await torture({ ...sim, impl: 'examples/epoch-rcu-late-batch.mjs' });
    expect(bad.verdict).toBe('FAILURE');
    expect(bad.failures['premature-callback']).toBeGreaterThan(0);
  });

  it('bad options reject with a UsageError naming the value, before anything runs', async () => {
    await expect(torture({ duration: 'forever' })).rejects.toThrow(UsageError);
    await expect(torture({ duration: '1s', readers: 0 })).rejects.toThrow(/bad --readers "0"/);
    await expect(torture({ duration: '1s', variant: 'no-such-rcu' })).rejects.toThrow(/unknown variant "no-such-rcu"/);
    await expect(torture({ duration: '1s', engine: 'quantum' as 'sim' })).rejects.toThrow(/bad engine "quantum"/);
  });
});
