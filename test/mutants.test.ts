/**
 * Detection power: every planted bug the threads engine can see is found,
 * on the scenario that targets it, under one of the classes it declares;
 * and the kill matrix draws its conclusions from those runs.
 */
import { describe, expect, it } from 'vitest';
import { MUTANTS, VARIANTS } from '../lib/rcu/registry.js';
import { resolveRunConfig } from '../torture/run/resolve-config.js';
import { runTorture } from '../torture/run/run.js';
import { engineCanSee, median, rowStatus, type KillAttempt } from '../torture/campaign/kill-matrix.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratchDir } from './helpers.js';

/** Planted bugs and the real ones (qemu-v2's hangs), minus what only a weak-memory model shows. */
const DETECTABLE = [...MUTANTS, ...VARIANTS.filter((v) => v.expected?.length)].filter((m) => engineCanSee(m, 'threads'));
/** One case per known bug: a flavor with several (targets) has one per scenario, as in the kill matrix. */
const CASES = DETECTABLE.flatMap((m) => (m.targets ?? [{ scenario: m.scenario!, expected: m.expected! }])
  .map((t) => ({ name: m.name, base: m.base, scenario: t.scenario, expected: t.expected })));

/**
 * Run time each may take; runs stop at the first failure, so this costs
 * nothing unless a bug goes unfound. The slowest (lost-wakeup) needs a race
 * that took 0.6 to 14 s in the runs seen, plus one stall timeout.
 */
const BUDGET_MS = 60_000;
/** Stalls are reported after this long (the scenarios' 10 s would only slow the test). */
const STALL_MS = 3000;

/** One after the other: each run already has more threads than a 2-core machine has cores. */
describe('planted bugs are found with their expected class', () => {
  for (const m of CASES) {
    it(`${m.name} on ${m.scenario}: FAILURE with ${m.expected.join(' or ')}`, async () => {
      const cfg = await resolveRunConfig({
        variant: m.name, scenario: m.scenario, durationMs: BUDGET_MS, seed: 1, readers: 2, stallTimeoutMs: STALL_MS,
      });
      const s = await runTorture(cfg, { resultsRoot: null, stopOnFailure: true });
      expect(s.verdict).toBe('FAILURE');
      const found = m.expected.filter((c) => s.failures[c] > 0);
      expect(found, `found ${JSON.stringify(s.failures)}`).not.toEqual([]);
      // A reader check that tripped leaves the failing reader's record (rtrsp).
      if (s.failures['use-after-reclaim'] + s.failures['short-grace-period'] > 0) expect(s.firstFailingReader?.thread).toBeGreaterThanOrEqual(0);
    });
  }
});

/**
 * Controls: the bases run clean for a few seconds on the same targeted
 * scenarios with the same settings, so the failures above belong to the
 * planted bugs and not to the scenarios.
 */
describe('the bases stay clean on their mutants\' scenarios', () => {
  const pairs = [...new Set(CASES.filter((m) => m.base && m.scenario !== 'default').map((m) => `${m.base} ${m.scenario}`))];
  for (const pair of pairs) {
    const [base, scenario] = pair.split(' ');
    it(`${base} on ${scenario}: SUCCESS`, async () => {
      const cfg = await resolveRunConfig({ variant: base, scenario, durationMs: 2000, seed: 1, readers: 2, stallTimeoutMs: STALL_MS });
      const s = await runTorture(cfg, { resultsRoot: null });
      expect(s.verdict, JSON.stringify(s.examples)).toBe('SUCCESS');
    });
  }
});

describe('kill matrix rules', () => {
  const attempt = (detected: boolean, killed: boolean): KillAttempt =>
    ({ seed: 1, verdict: detected ? 'FAILURE' : 'SUCCESS', failures: {}, detected, killed, detectMs: detected ? 1 : undefined });

  it('killed only when every seed reports an expected class', () => {
    expect(rowStatus([attempt(true, true), attempt(true, true)], 2)).toBe('killed');
    expect(rowStatus([attempt(true, true), attempt(false, false)], 2)).toBe('survived');
    expect(rowStatus([attempt(true, true)], 2)).toBe('survived');
  });

  it('a seed that reports only other classes makes the mutant caught under the wrong class', () => {
    expect(rowStatus([attempt(true, true), attempt(true, false)], 2)).toBe('wrong-class');
  });

  it('weak-memory mutants need the sim engine', () => {
    const weak = MUTANTS.find((m) => m.needsWeakMemory)!;
    expect(engineCanSee(weak, 'threads')).toBe(false);
    expect(engineCanSee(weak, 'sim')).toBe(true);
  });

  it('median time to detect', () => {
    expect(median([])).toBeUndefined();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

/** The stop-at-first-failure option the kill matrix relies on ends a long run early, as a FAILURE. */
describe('stopOnFailure', () => {
  it('ends a 60 s run of busted at its first failure with verdict FAILURE, not INTERRUPTED', async () => {
    const cfg = await resolveRunConfig({ variant: 'busted', durationMs: 60_000, seed: 2, readers: 2 });
    let seenAt: number | undefined;
    const s = await runTorture(cfg, { resultsRoot: null, stopOnFailure: true, onFailure: (ms) => { seenAt = ms; } });
    expect(s.verdict).toBe('FAILURE');
    expect(s.interrupted).toBe(false);
    expect(Object.values(s.failures).some((n) => n > 0), JSON.stringify(s.failures)).toBe(true);
    expect(seenAt).toBeDefined();
    expect(s.durationMs).toBeLessThan(60_000);
  });
});

describe('rcutorture mutants', () => {
  it('kills busted, prints the table, writes kill-matrix.json and .md, exits 0', async () => {
    const results = scratchDir();
    const r = await runCli(['mutants', '--only', 'busted', '--budget', '20s', '--seeds', '1', '--seed', '5', '--results', results]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^busted +default +use-after-reclaim\/premature-callback +\S+ +yes \(1\/1\)/m);
    expect(r.stdout).toMatch(/rcutorture: kill matrix SUCCESS/);
    const [dir] = readdirSync(results);
    const m = JSON.parse(readFileSync(join(results, dir, 'kill-matrix.json'), 'utf8'));
    expect(m).toMatchObject({ kind: 'kill-matrix', final: true, verdict: 'SUCCESS', killed: 1, detectable: 1, seeds: [5] });
    expect(m.rows[0]).toMatchObject({ mutant: 'busted', status: 'killed' });
    expect(readFileSync(join(results, dir, 'kill-matrix.md'), 'utf8')).toMatch(/\| busted \| default \|/);
  });

  it('lists a weak-memory mutant as needing the sim engine on threads, runs nothing, and exits 0', async () => {
    const r = await runCli(['mutants', '--only', 'qemu-v0!no-reader-barrier', '--seeds', '1', '--results', scratchDir()]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/qemu-v0!no-reader-barrier .*needs sim engine/);
    expect(r.stdout).toMatch(/kill rate: 0\/0 killed on engine threads \(1 more need the sim engine/);
  });

  it('refuses bad input with one line and exit 2', async () => {
    for (const args of [['--seeds', '0'], ['--only', 'qemu-v0!nope'], ['--budget', '5x'], ['--engine', 'gpu']]) {
      const r = await runCli(['mutants', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
