/**
 * Reproducibility: summary.json says how the run was made, and
 * `rcutorture again <run-folder>` re-runs it with the same resolved config
 * and seed; bad folders and sim runs are one-line errors with exit 2.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from './helpers.js';

function onlySummary(results: string): Record<string, any> {
  const dirs = readdirSync(results);
  expect(dirs).toHaveLength(1);
  return JSON.parse(readFileSync(join(results, dirs[0], 'summary.json'), 'utf8'));
}

describe('again', () => {
  it('a run records command, version, git, node and machine; again repeats its config and seed exactly', async () => {
    const first = scratchDir();
    const args = ['--duration', '1s', '--readers', '2', '--fakewriters', '1', '--seed', '4242', '--results', first];
    const r1 = await runCli(args, { timeoutMs: 60_000 });
    expect(r1.code, r1.stderr).toBe(0);
    const a = onlySummary(first);
    expect(a.command.slice(2)).toEqual(args);
    expect(a.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(a.node).toBe(process.version);
    expect(a.machine.cores).toBeGreaterThan(0);
    // This test runs from a checkout, so the commit is known.
    expect(a.git.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof a.git.dirty).toBe('boolean');
    expect(a.implHash).toBeUndefined();

    const second = scratchDir();
    const r2 = await runCli(['again', join(first, readdirSync(first)[0]), '--results', second], { timeoutMs: 60_000 });
    expect(r2.code, r2.stderr).toBe(0);
    const b = onlySummary(second);
    // The resolved config holds no folder or time: it must be identical, seed included.
    expect(b.config).toEqual(a.config);
    expect(b.seed).toBe(4242);
    expect(b.config.seed).toBe(4242);
    expect([b.variant, b.scenario, b.engine]).toEqual([a.variant, a.scenario, a.engine]);
    // What differs is where and when it ran, and how it was asked for.
    expect(b.resultsDir).not.toBe(a.resultsDir);
    expect(b.startedAt).not.toBe(a.startedAt);
    expect(b.command).toContain('again');
  }, 120_000);

  it('a folder without summary.json: one line, exit 2', async () => {
    const r = await runCli(['again', scratchDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad run folder .*no summary\.json/);
  });

  it('a summary.json that is not JSON or has no config: one line, exit 2', async () => {
    const d = scratchDir();
    writeFileSync(join(d, 'summary.json'), '{ nope');
    const r = await runCli(['again', d]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not JSON/);
    const e = join(scratchDir(), 'x');
    mkdirSync(e);
    writeFileSync(join(e, 'summary.json'), JSON.stringify({ tool: 'rcutorture' }));
    const r2 = await runCli(['again', e]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/no resolved config/);
  });

  it('a sim run points to replay, exit 2', async () => {
    const results = scratchDir();
    const r = await runCli(['--engine', 'sim', '--schedules', '1', '--results', results], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const r2 = await runCli(['again', join(results, readdirSync(results)[0])]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/sim run: reproduce it with `rcutorture replay /);
  }, 120_000);
});
