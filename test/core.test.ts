/**
 * The core slice end to end: qemu-v0 is clean, busted is caught, a hang is
 * reported and torn down, bad input is refused.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, scratchDir } from './helpers.js';
import { FAILURE_CLASSES } from '../torture/checks/classes.js';

function summaryOf(resultsRoot: string) {
  const [run] = readdirSync(resultsRoot);
  return JSON.parse(readFileSync(join(resultsRoot, run, 'summary.json'), 'utf8'));
}

describe.concurrent('rcutorture run', () => {
  it('qemu-v0 runs clean: SUCCESS, every failure class zero, reads, grace periods and callbacks advanced', async () => {
    const results = scratchDir();
    const r = await runCli(['--duration', '4s', '--seed', '1', '--readers', '3', '--results', results]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('rcutorture: qemu-v0 default SUCCESS');
    const s = summaryOf(results);
    expect(s.verdict).toBe('SUCCESS');
    expect(Object.keys(s.failures).sort()).toEqual([...FAILURE_CLASSES].sort());
    for (const c of FAILURE_CLASSES) expect(s.failures[c], c).toBe(0);
    expect(s.counters.reads).toBeGreaterThan(0);
    expect(s.counters.gracePeriods).toBeGreaterThan(0);
    expect(s.counters.callbacksInvoked).toBeGreaterThan(0);
    expect(s.counters.callbacksPending).toBe(0);
    expect(s.readerPipe).toHaveLength(11);
    // Every section is in both histograms exactly once (readers count plain sections in batches and flush them at the end).
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(s.readerPipe)).toBe(s.counters.reads);
    expect(sum(s.readerBatch)).toBe(s.counters.reads);
    expect(s.interrupted).toBe(false);
    expect(existsSync(join(results, readdirSync(results)[0], 'log.txt'))).toBe(true);
  });

  it('busted is a FAILURE with use-after-reclaim and readers that saw pipe counts of 2 or more', async () => {
    const results = scratchDir();
    const r = await runCli(['--variant', 'busted', '--duration', '3s', '--seed', '2', '--readers', '3', '--results', results]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/rcutorture: busted default FAILURE: .*use-after-reclaim=\d+/);
    const s = summaryOf(results);
    expect(s.verdict).toBe('FAILURE');
    expect(s.failures['use-after-reclaim']).toBeGreaterThan(0);
    const lateReads = s.readerPipe.slice(2).reduce((a: number, b: number) => a + b, 0);
    expect(lateReads).toBeGreaterThan(0);
  });

  it('a synchronize that never returns is a gp-stall naming the stuck updater at the stall timeout (on the stall clock), and the run ends within 5 s of it', async () => {
    const results = scratchDir();
    const stallMs = 2000;
    const r = await runCli([
      '--impl', join(ROOT, 'test/fixtures/stuck-synchronize.mjs'), '--variant', 'test-stuck-synchronize',
      '--duration', '60s', '--stall-timeout', '2s', '--readers', '2', '--fakewriters', '1', '--results', results,
    ]);
    expect(r.code).toBe(1);
    const s = summaryOf(results);
    expect(s.failures['gp-stall']).toBeGreaterThan(0);
    const stall = s.stalls.find((x: { kind: string }) => x.kind === 'gp-stall');
    expect(['writer', 'fakewriter']).toContain(stall.waiter.role);
    expect(stall.waiter.op).toBe('synchronize');
    expect(stall.waiter.forMs).toBeGreaterThanOrEqual(stallMs);
    expect(r.stdout).toMatch(/gp-stall: (writer|fakewriter) \(thread \d+\) stuck in synchronize/);
    // Reported once the stall clock (wall time less what other load took: all of it on a quiet
    // machine) passed the timeout, within a monitor tick or two of it...
    const counted = stall.stallClockMs ?? stall.waiter.forMs;
    expect(counted).toBeGreaterThanOrEqual(stallMs);
    expect(counted).toBeLessThan(stallMs + 1000);
    // ... and the run, asked for 60 s, ends within 5 s of the report.
    expect(s.durationMs - stall.atMs).toBeLessThan(5000);
  });

  it('a bad --duration exits 2 with one line naming the value', async () => {
    const r = await runCli(['--duration', '10x']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('"10x"');
  });
});
