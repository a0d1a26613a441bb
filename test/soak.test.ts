/**
 * Matrix soak: the shards of a matrix partition it exactly (every case in
 * one shard, seeds agreed without coordination), N*scenario gives N x seeds
 * cases with their own seeds, real shards merged give the same case list as
 * one unsharded soak run side by side under --cpus, with one JUnit test case
 * each, and the folders are laid out as kvm.sh's.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseFolderPath, matrixSize, planMatrix, shardCases, type SoakCaseResult, type SoakMatrix, type SoakSummary } from '../torture/campaign/soak.js';
import { UsageError, parseCopiesList } from '../torture/run/parse.js';
import { spawn } from 'node:child_process';
import { CLI, ROOT, runCli, scratchDir } from './helpers.js';

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

describe('N*scenario', () => {
  it('parses kvm.sh\'s repeat count and refuses a bad one by name', () => {
    expect(parseCopiesList('2*vcpu-busy-loops,default', '--scenarios')).toEqual([{ name: 'vcpu-busy-loops', copies: 2 }, { name: 'default', copies: 1 }]);
    for (const bad of ['0*x', 'x*', '1e3*x', '-1*x', '*x', '2*', '2**x', '1001*x']) {
      expect(() => parseCopiesList(`${bad},y`, '--scenarios'), bad).toThrow(UsageError);
      expect(() => parseCopiesList(bad, '--scenarios'), bad).toThrow(`"${bad}"`);
    }
    expect(() => parseCopiesList('2*x,x', '--scenarios')).toThrow('"x" is listed twice');
  });

  it('runs N x seeds cases of that scenario, each with its own seed and its own folder', () => {
    const m: SoakMatrix = { variants: ['a', 'b'], scenarios: ['x', 'y'], copies: { x: 3 }, seeds: 2, seedBase: 5, durationEachMs: 1000 };
    const all = planMatrix(m);
    expect(matrixSize(m)).toBe(2 * (3 * 2 + 2));
    expect(all.map((c) => c.k)).toEqual(all.map((_, i) => i));
    const x = all.filter((c) => c.variant === 'a' && c.scenario === 'x');
    expect(x).toHaveLength(6);
    expect(new Set(x.map((c) => c.seed)).size).toBe(6);
    // The first copy's seeds are every other scenario's, so N*x extends the plain matrix rather than reshuffling it.
    expect(x.slice(0, 2).map((c) => c.seed)).toEqual(all.filter((c) => c.variant === 'a' && c.scenario === 'y').map((c) => c.seed));
    expect(x.map(caseFolderPath)).toEqual(['x/a', 'x/a.2', 'x/a.3', 'x/a.4', 'x/a.5', 'x/a.6']);
  });

  it('a bad N or --cpus on the command line is one line naming it, exit 2, nothing written', async () => {
    const dir = scratchDir();
    const cases = [[['--scenarios', '0*default'], '"0*default"'], [['--cpus', '0'], '--cpus "0"']] as const;
    const got = await Promise.all(cases.map(([a]) => runCli(['soak', ...a, '--duration-each', '1s', '--results', join(dir, 'r')])));
    got.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(cases[i][1]);
    });
    expect(existsSync(join(dir, 'r'))).toBe(false);
  });
});

describe('rcutorture soak and merge', () => {
  const args = (results: string, ...more: string[]) => ['soak', '--variants', 'qemu-v0,busted', '--scenarios', '2*default',
    '--seeds', '1', '--seed-base', '7', '--duration-each', '500ms', '--readers', '1', '--fakewriters', '1', '--results', results, '-q', ...more];
  const soakJson = (stdout: string): SoakSummary => JSON.parse(stdout) as SoakSummary;
  const caseList = (s: SoakSummary) => s.cases.map((c) => `${c.k} ${c.variant} ${c.scenario} ${c.seed}`);

  it('--shard 1/2 and 2/2 run the whole matrix between them, and merge equals the unsharded soak run side by side', async () => {
    const dir = scratchDir();
    const [s1, s2, whole] = await Promise.all([
      runCli(args(join(dir, 'shard1'), '--shard', '1/2', '--json'), { timeoutMs: 120_000 }),
      runCli(args(join(dir, 'shard2'), '--shard', '2/2', '--json'), { timeoutMs: 120_000 }),
      runCli(args(join(dir, 'whole'), '--cpus', '2', '--json'), { timeoutMs: 120_000 }),
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
    // --cpus 2, cases sized for one CPU: two ran at once. Their run intervals overlap pairwise in case order.
    const span = (c: SoakSummary['cases'][number]) => [Date.parse(c.startedAt!), Date.parse(c.startedAt!) + c.durationMs];
    for (const [a, b] of [[0, 1], [2, 3]]) {
      const [a0, a1] = span(unsharded.cases[a]);
      const [b0, b1] = span(unsharded.cases[b]);
      expect(a0 < b1 && b0 < a1, `cases ${a} and ${b} overlap`).toBe(true);
    }
    // kvm.sh's layout: <soak>/<scenario>/<variant>[.N], each log.txt ending in a greppable case line.
    expect(unsharded.cases.map((c) => c.resultsDir)).toEqual(['default/qemu-v0', 'default/qemu-v0.2', 'default/busted', 'default/busted.2']);
    const soakDir = join(dir, 'whole', readdirSync(join(dir, 'whole'))[0]);
    const last = readFileSync(join(soakDir, 'default/busted.2/log.txt'), 'utf8').trimEnd().split('\n').at(-1)!;
    expect(last).toMatch(new RegExp(`^rcutorture-case: verdict=FAILURE variant=busted scenario=default seed=${unsharded.cases[3].seed} case=3 duration=[\\d.]+s failures=\\S*use-after-reclaim:\\d+`));

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

describe('soak --cpus and signals', () => {
  it('SIGINT interrupts every case running side by side, starts no more, and writes soak.json', async () => {
    const dir = scratchDir();
    const child = spawn(process.execPath, [CLI, 'soak', '--scenarios', '3*default', '--cpus', '2', '--duration-each', '30s',
      '--readers', '1', '--fakewriters', '1', '--results', dir], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    let signal: NodeJS.Signals | null = null;
    const exited = new Promise<number | null>((done) => child.on('close', (code, sig) => { signal = sig; done(code); }));
    // Both lanes' cases started (the third waits for a CPU): then interrupt.
    await new Promise<void>((done) => child.stdout.on('data', (d) => {
      stdout += d;
      if ((stdout.match(/ started, /g) ?? []).length === 2) done();
    }));
    await new Promise((r) => setTimeout(r, 500));
    const t0 = Date.now();
    child.kill('SIGINT');
    const killer = setTimeout(() => child.kill('SIGKILL'), 8000);
    const code = await exited;
    clearTimeout(killer);
    // A failure says how the process ended and what it said on stderr (one such failure, a death by signal, is not understood yet).
    expect(code, `signal ${signal}\n${stdout}\n${stderr}`).toBe(130);
    expect(Date.now() - t0).toBeLessThan(8000);
    const s = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0], 'soak.json'), 'utf8')) as SoakSummary;
    expect(s.final).toBe(true);
    expect(s.verdict).toBe('INTERRUPTED');
    expect(s.cases.map((c) => `${c.k} ${c.verdict}`)).toEqual(['0 INTERRUPTED', '1 INTERRUPTED']);
    expect(s.missing).toEqual([2]);
  }, 60_000);
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

describe('the soak stall-clock line', () => {
  const run = (k: number, share: number | undefined, countedMs: number | undefined, verdict = 'SUCCESS') => ({
    k, variant: `v${k}`, scenario: 'default', seedIndex: 0, seed: 7, verdict, failures: {},
    stallClockShare: share, stallClockMs: countedMs, stallTimeoutMs: 10_000,
  }) as unknown as SoakCaseResult;

  it('is absent when every case got the CPU it asked for, and on the sim engine (no stall clock)', async () => {
    const { stallCoverageLine } = await import('../torture/campaign/soak.js');
    expect(stallCoverageLine([run(0, 0.9, 54_000), run(1, 0.8, 48_000)])).toBeUndefined();
    expect(stallCoverageLine([run(0, undefined, undefined)])).toBeUndefined();
  });

  it('names the cases that counted less than their stall timeout: a SUCCESS there says nothing about stalls', async () => {
    const { stallCoverageLine } = await import('../torture/campaign/soak.js');
    const line = stallCoverageLine([run(0, 0.3, 18_000), run(1, 0.1, 6_000), run(2, 0.4, 24_000), run(3, 0.05, 500, 'INTERRUPTED')])!;
    expect(line).toContain('median 30% of their time (lowest 10%, v1 default seed=7)');
    expect(line).toContain('1 of 3 counted less than their stall timeout, so no stall check could fire in them (v1 default seed=7)');
    expect(line).not.toContain('v3');
  });

  it('says the stall checks could fire everywhere when the machine was loaded but every case counted past its timeout', async () => {
    const { stallCoverageLine } = await import('../torture/campaign/soak.js');
    expect(stallCoverageLine([run(0, 0.3, 18_000), run(1, 0.25, 15_000)])).toMatch(/median 30% .*every case counted more than its stall timeout$/);
  });
});
