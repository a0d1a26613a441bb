/**
 * Matrix soak: the shards of a matrix partition it exactly (every case in
 * one shard, seeds agreed without coordination), and real shards merged give
 * the same case list as one unsharded soak, with one JUnit test case each.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planMatrix, shardCases, type SoakMatrix, type SoakSummary } from '../torture/campaign/soak.js';
import { runCli, scratchDir } from './helpers.js';

const MATRIX: SoakMatrix = { variants: ['a', 'b', 'c'], scenarios: ['x', 'y'], seeds: 5, seedBase: 99, durationEachMs: 1000 };

describe('soak partition', () => {
  it('shards 1..n of any n cover every case exactly once', () => {
    const all = planMatrix(MATRIX);
    expect(all).toHaveLength(30);
    for (const n of [1, 2, 3, 4, 7, 30, 31]) {
      const got = Array.from({ length: n }, (_, i) => shardCases(all, { index: i + 1, count: n })).flat().map((c) => c.k);
      expect(got.sort((x, y) => x - y)).toEqual(all.map((c) => c.k));
    }
  });

  it('seeds come from the seed base alone: the same on every machine, the same for every variant and scenario', () => {
    const a = planMatrix(MATRIX);
    const b = planMatrix({ ...MATRIX });
    expect(b).toEqual(a);
    const seeds = (v: string, s: string) => a.filter((c) => c.variant === v && c.scenario === s).map((c) => c.seed);
    expect(new Set(seeds('a', 'x')).size).toBe(5);
    expect(seeds('c', 'y')).toEqual(seeds('a', 'x'));
    expect(planMatrix({ ...MATRIX, seedBase: 100 }).map((c) => c.seed)).not.toEqual(a.map((c) => c.seed));
  });
});

describe('rcutorture soak and merge', () => {
  const args = (results: string, ...more: string[]) => ['soak', '--variants', 'qemu-v0,busted', '--scenarios', 'default',
    '--seeds', '2', '--seed-base', '7', '--duration-each', '500ms', '--readers', '1', '--fakewriters', '1', '--results', results, '-q', ...more];
  const soakJson = (stdout: string): SoakSummary => JSON.parse(stdout) as SoakSummary;
  const caseList = (s: SoakSummary) => s.cases.map((c) => `${c.k} ${c.variant} ${c.scenario} ${c.seed}`);

  it('--shard 1/2 and 2/2 run the whole matrix between them, and merge equals the unsharded soak', async () => {
    const dir = scratchDir();
    const [s1, s2, whole] = await Promise.all([
      runCli(args(join(dir, 'shard1'), '--shard', '1/2', '--json'), { timeoutMs: 120_000 }),
      runCli(args(join(dir, 'shard2'), '--shard', '2/2', '--json'), { timeoutMs: 120_000 }),
      runCli(args(join(dir, 'whole'), '--json'), { timeoutMs: 120_000 }),
    ]);
    // busted is in both shards (cases 2 and 3), so both find a failure.
    expect(s1.code, s1.stderr).toBe(1);
    expect(s2.code, s2.stderr).toBe(1);
    const sh1 = soakJson(s1.stdout);
    const sh2 = soakJson(s2.stdout);
    expect(sh1.cases.map((c) => c.k)).toEqual([0, 2]);
    expect(sh2.cases.map((c) => c.k)).toEqual([1, 3]);

    expect(whole.code, whole.stderr).toBe(1);
    const unsharded = soakJson(whole.stdout);
    expect(unsharded.cases.map((c) => c.verdict)).toEqual(['SUCCESS', 'SUCCESS', 'FAILURE', 'FAILURE']);

    const junit = join(dir, 'merged.xml');
    const merged = await runCli(['merge', join(dir, 'shard1'), join(dir, 'shard2'), '--junit', junit, '--out', join(dir, 'merged'), '--json']);
    expect(merged.code, merged.stderr).toBe(1);
    const m = soakJson(merged.stdout);
    expect(caseList(m)).toEqual(caseList(unsharded));
    expect(m.missing).toEqual([]);
    expect(m.verdict).toBe('FAILURE');
    expect(m.totals).toMatchObject({ SUCCESS: 2, FAILURE: 2 });
    expect(JSON.parse(readFileSync(join(dir, 'merged', 'soak.json'), 'utf8'))).toEqual(m);
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml.match(/<failure /g)).toHaveLength(2);

    // One shard alone is not the whole matrix: the merge says which cases are missing.
    const half = await runCli(['merge', join(dir, 'shard1'), '--json']);
    expect(soakJson(half.stdout).missing).toEqual([1, 3]);
  });
});

describe('the soak verdict line', () => {
  it('names the first five failed cases and counts the rest, so it stays one readable line', async () => {
    const { soakVerdictLine } = await import('../torture/campaign/soak.js');
    const cases = Array.from({ length: 8 }, (_, k) => ({
      k, variant: `v${k}`, scenario: 'default', seedIndex: 0, seed: 7, verdict: 'FAILURE', failures: { 'gp-stall': 1 },
    }));
    const s = { shards: [{ index: 1, count: 1 }], cases, planned: cases.map((c) => c.k), missing: [], verdict: 'FAILURE' } as unknown as SoakSummary;
    const line = soakVerdictLine(s);
    for (const k of [0, 1, 2, 3, 4]) expect(line).toContain(`v${k} default seed=7: gp-stall=1`);
    expect(line).not.toContain('v5 default');
    expect(line).toContain('and 3 more failed cases (soak.json)');
    expect(line.startsWith('rcutorture: soak 8/8 cases FAILURE: ')).toBe(true);
  });
});
