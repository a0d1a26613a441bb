/**
 * The programmatic API: `torture(options)` resolves to the run's summary,
 * for a shipped variant and for --impl flavors, correct and buggy;
 * `compare(options)` to the comparison's result.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, torture, UsageError } from '../index.js';

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

describe('compare()', () => {
  it('runs interleaved trials and resolves to what compare.json holds, with the three files written', async () => {
    const results = mkdtempSync(join(tmpdir(), 'rcutorture-api-compare-'));
    const lines: string[] = [];
    const c = await compare({ variants: ['qemu-v0', 'busted'], duration: '1500ms', trials: 1, seed: 7, results, onLine: (l) => lines.push(l) });
    expect(c.kind).toBe('compare');
    expect(c.trials.map((t) => t.verdict)).toEqual(['SUCCESS', 'FAILURE']);
    expect(c.seeds).toEqual([7]);
    for (const f of ['compare.json', 'compare.md', 'report.html']) expect(existsSync(join(c.dir, f)), f).toBe(true);
    expect(lines.some((l) => l.startsWith('rcutorture ') && l.includes('compare: qemu-v0 vs busted'))).toBe(true);
  });

  it('refuses fewer than two variants with a UsageError, writing nothing', async () => {
    const results = mkdtempSync(join(tmpdir(), 'rcutorture-api-compare-'));
    await expect(compare({ variants: ['qemu-v0'], results })).rejects.toThrow(/bad --variants "qemu-v0"/);
    expect(readdirSync(results)).toEqual([]);
  });
});
