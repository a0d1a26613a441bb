/**
 * The harness survives its own faults and the implementation's: an exception
 * in a worker is a worker-crash with its stack and the run is still
 * summarised; a role that stops making progress outside any update-side call
 * is caught by its heartbeat; an implementation that deadlocks (spinning where
 * no abort can reach it) gets its stall report and a forced teardown, and the
 * process exits instead of hanging.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../torture/run/resolve-config.js';
import { runTorture } from '../torture/run/run.js';
import { runCli, scratchDir } from './helpers.js';

const FIXTURES = 'test/fixtures/faulty-flavors.mjs';
const summaryIn = (stdout: string) => JSON.parse(stdout);

/**
 * The harness's promise about a hang: its report at the stall timeout (on the
 * stall clock, which other load on the machine slows: a test's wall-clock
 * timer would be a margin load eats), and the run over within 5 s of it.
 * The kill timer of runCli is only the backstop that turns a harness hang
 * into a failure instead of a stuck test.
 */
const BACKSTOP_MS = 90_000;
function expectEndSoonAfterReport(s: { durationMs: number; stalls: { atMs: number; sinceMs?: number; stallClockMs?: number }[] }, stallMs: number): void {
  const first = s.stalls[0];
  expect(first, 'a stall report').toBeDefined();
  const counted = first.stallClockMs ?? first.atMs - (first.sinceMs ?? 0);
  expect(counted).toBeGreaterThanOrEqual(stallMs);
  expect(counted).toBeLessThan(stallMs + 1000);
  expect(s.durationMs - first.atMs).toBeLessThan(5000);
}

describe.concurrent('harness faults', () => {
  it('an exception inside readLock: worker-crash with its stack, and a full summary', async () => {
    const results = scratchDir();
    const r = await runCli(['--impl', FIXTURES, '--variant', 'fixture-read-lock-throws', '--duration', '20s',
      '--readers', '2', '--fakewriters', '1', '--results', results, '--json'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(1);
    const s = summaryIn(r.stdout);
    expect(s).toMatchObject({ verdict: 'FAILURE', final: true, interrupted: false });
    expect(s.failures['worker-crash']).toBeGreaterThanOrEqual(1);
    const crash = s.examples.find((e: { cls: string }) => e.cls === 'worker-crash');
    expect(crash.message).toContain('reader');
    expect(crash.message).toContain('fixture: readLock exploded');
    expect(crash.message).toMatch(/\n\s+at .*readLock/);
    // The same verdict is on disk.
    expect(JSON.parse(readFileSync(join(s.resultsDir, 'summary.json'), 'utf8'))).toMatchObject({ verdict: 'FAILURE', final: true });
  });

  it('synchronize spinning forever outside the Platform: gp-stall report, forced teardown, the process exits', async () => {
    const r = await runCli(['--impl', FIXTURES, '--variant', 'fixture-synchronize-spins', '--duration', '60s',
      '--stall-timeout', '1s', '--readers', '1', '--fakewriters', '1', '--results', scratchDir(), '--json'], { timeoutMs: BACKSTOP_MS });
    expect(r.signal, 'killed: the process did not exit by itself').toBeNull();
    expect(r.code, r.stderr).toBe(1);
    const s = summaryIn(r.stdout);
    expect(s.failures['gp-stall']).toBeGreaterThanOrEqual(1);
    expect(s.stalls[0]).toMatchObject({ kind: 'gp-stall', waiter: { op: 'synchronize' } });
    expect(r.stderr).toContain('!!! gp-stall');
    expectEndSoonAfterReport(s, 1000);
  });

  it('a role that stops making progress outside any update-side call is reported by its heartbeat', async () => {
    const cfg = await resolveRunConfig({ variant: 'qemu-v0', durationMs: 30_000, readers: 1, fakewriters: 1, stallTimeoutMs: 1000, seed: 1 });
    // The writer's pause between versions lasts the whole run: it sleeps in harness code, not in RCU.
    cfg.faults = { ...cfg.faults, writer: { ...cfg.faults.writer, delayMinMs: 600_000, delayMaxMs: 600_000 } };
    const s = await runTorture(cfg, { resultsRoot: null });
    expect(s.verdict).toBe('FAILURE');
    expect(s.failures['worker-crash']).toBe(1);
    expect(s.failures['gp-stall']).toBe(0);
    const hung = s.examples.find((e) => e.cls === 'worker-crash');
    expect(hung?.message).toMatch(/^writer \(thread \d+\) hung: no heartbeat/);
  });
});

// One at a time: each run has more threads than the machine has cores, and the verdicts are timed.
describe('hangs inside flavors', () => {
  /**
   * Hangs inside flavors, on both engines: each ends with its report and the
   * process gone by itself, within 5 s of a report made at the stall timeout
   * (threads: on the stall clock; sim: in virtual time, the spin detector in
   * held wall time and burnt CPU).
   */
  const HANGS: [string, string, string[]][] = [
    ['threads', 'fixture-read-lock-spins', ['gp-stall', 'worker-crash']],
    ['threads', 'fixture-synchronize-blocks', ['gp-stall']],
    ['threads', 'fixture-call-rcu-thread-spins', ['callback-stall', 'gp-stall', 'worker-crash']],
    ['sim', 'fixture-read-lock-throws', ['worker-crash']],
    ['sim', 'fixture-synchronize-spins', ['gp-stall']],
    ['sim', 'fixture-read-lock-spins', ['gp-stall', 'worker-crash']],
    ['sim', 'fixture-synchronize-blocks', ['gp-stall']],
    ['sim', 'fixture-call-rcu-thread-spins', ['callback-stall', 'gp-stall', 'worker-crash']],
  ];
  for (const [engine, variant, classes] of HANGS) {
    it(`${variant} on ${engine}: ${classes.join(' or ')}, and the process exits by itself`, async () => {
      const r = await runCli(['--impl', FIXTURES, '--variant', variant, '--engine', engine, '--duration', '60s',
        '--stall-timeout', '2s', '--readers', '2', '--fakewriters', '1', '--results', scratchDir(), '--json'], { timeoutMs: BACKSTOP_MS });
      expect(r.signal, 'killed: the process did not exit by itself').toBeNull();
      expect(r.code, r.stderr).toBe(1);
      const s = summaryIn(r.stdout);
      expect(s.verdict).toBe('FAILURE');
      expect(classes.filter((c) => s.failures[c] > 0), JSON.stringify(s.failures)).not.toEqual([]);
      // Sim stalls are stamped in virtual time, its durationMs in wall time: only threads compares them.
      // (A hang reported only as a worker-crash, by the heartbeat, has no stall report to time.)
      if (engine === 'threads' && s.stalls.length > 0) expectEndSoonAfterReport(s, 2000);
    }, BACKSTOP_MS + 10_000);
  }
});
