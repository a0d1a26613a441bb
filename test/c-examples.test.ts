/**
 * The C path on our own examples (examples/c): the correct flip-rcu.c runs
 * clean on both engines and both memory models; each planted bug is found
 * with its class on the engine its header names, and the missing fence only
 * under TSO; without clang/wasm-ld the C path is a one-line exit 2 with the
 * install hint, and TypeScript flavors still run.
 *
 * The acceptance budgets (20 s threads, 2000 schedules) are the manual
 * commands in the README; here the budgets are what `npm test` can afford.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from './helpers.js';

interface Summary { verdict: string; variant: string; failures: Record<string, number> }

async function torture(file: string, args: string[], timeoutMs = 150_000): Promise<Summary> {
  const r = await runCli(['--impl', `examples/c/${file}`, '--json', '--quiet', '--results', scratchDir(), ...args], { timeoutMs });
  expect(r.stdout, r.stderr).not.toBe('');
  return JSON.parse(r.stdout) as Summary;
}

const classes = (s: Summary) => Object.keys(s.failures).filter((k) => s.failures[k] > 0);

describe('examples/c/flip-rcu.c, the correct C RCU', () => {
  it('threads engine: SUCCESS', async () => {
    const s = await torture('flip-rcu.c', ['--duration', '4s', '--seed', '1']);
    expect(s.variant).toBe('c-flip');
    expect(classes(s)).toEqual([]);
    expect(s.verdict).toBe('SUCCESS');
  }, 60_000);

  it('sim engine, SC and TSO: SUCCESS (store buffers drain before a stall timeout can count them)', async () => {
    for (const mm of ['sc', 'tso']) {
      const s = await torture('flip-rcu.c', ['--engine', 'sim', '--memory-model', mm, '--schedules', '30', '--seed', '7']);
      expect({ mm, classes: classes(s) }).toEqual({ mm, classes: [] });
      expect(s.verdict).toBe('SUCCESS');
    }
  }, 240_000);
});

describe('planted bugs in examples/c are found with their class', () => {
  it('flip-rcu-uaf.c (callbacks queued during a grace period ride along): threads engine, 3 seeds', async () => {
    for (const seed of ['1', '2', '3']) {
      const s = await torture('flip-rcu-uaf.c', ['--duration', '2s', '--seed', seed]);
      expect(s.verdict).toBe('FAILURE');
      expect(classes(s).some((c) => c === 'premature-callback' || c === 'use-after-reclaim'), JSON.stringify(s.failures)).toBe(true);
    }
  }, 120_000);

  it('flip-rcu-no-fence.c: sim under TSO finds a too-short grace period (use-after-reclaim or short-grace-period) over 3 seeds; SC in the same budget does not', async () => {
    const budget = ['--engine', 'sim', '--schedules', '120'];
    for (const seed of ['1', '2', '3']) {
      const tso = await torture('flip-rcu-no-fence.c', [...budget, '--memory-model', 'tso', '--seed', seed]);
      // The schedule stops at whichever reader check trips first.
      const found = classes(tso);
      expect(found.length, `seed ${seed}`).toBeGreaterThan(0);
      for (const c of found) expect(['use-after-reclaim', 'short-grace-period'], `seed ${seed}`).toContain(c);
    }
    const sc = await torture('flip-rcu-no-fence.c', [...budget, '--memory-model', 'sc', '--seed', '1']);
    expect(classes(sc)).toEqual([]);
    expect(sc.verdict).toBe('SUCCESS');
  }, 280_000);

  it('flip-rcu-lost-wakeup.c: the sim engine reports the hang as a stall, 3 seeds', async () => {
    for (const seed of ['1', '2', '3']) {
      const s = await torture('flip-rcu-lost-wakeup.c', ['--engine', 'sim', '--schedules', '300', '--seed', seed]);
      expect(s.verdict).toBe('FAILURE');
      expect(classes(s).some((c) => c === 'gp-stall' || c === 'callback-stall'), JSON.stringify(s.failures)).toBe(true);
    }
  }, 200_000);
});

describe('without a compiler', () => {
  // A PATH with node and nothing else: no clang, no wasm-ld.
  const bin = scratchDir('rcutorture-nocc-');
  mkdirSync(join(bin, 'bin'));
  symlinkSync(process.execPath, join(bin, 'bin', 'node'));
  const env = { PATH: join(bin, 'bin'), RCUTORTURE_CACHE: join(bin, 'cache') };

  it('--impl file.c exits 2 with one line naming what to install; nothing is written', async () => {
    const results = join(bin, 'results');
    const r = await runCli(['--impl', 'examples/c/flip-rcu.c', '--duration', '1s', '--results', results], { env });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/clang/);
    expect(lines[0]).toMatch(/apt-get install clang lld/);
    expect(r.stdout).toBe('');
  }, 30_000);

  it('TypeScript flavors still run', async () => {
    const r = await runCli(['--variant', 'qemu-v0', '--duration', '1s', '--json', '--quiet', '--results', scratchDir()], { env });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Summary).verdict).toBe('SUCCESS');
  }, 30_000);
});
