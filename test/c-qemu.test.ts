/**
 * QEMU mode (`--qemu <tree>`): a QEMU-shaped tree of our own
 * (test/fixtures/qemu-tree) is built against include/qemu-compat/ and
 * tortured like any flavor: clean on the scenarios that target the QEMU
 * lineage, on both engines, beside a TypeScript variant in compare; the same
 * tree with one planted bug is caught; a folder that is not a tree is refused.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { qemuTree } from '../torture/c/qemu-tree.js';
import { loadImplFlavors } from '../torture/run/flavors.js';
import { UsageError } from '../torture/run/parse.js';
import { ROOT, runCli, scratchDir } from './helpers.js';

const TREE = 'test/fixtures/qemu-tree';
const SMALL = ['--readers', '2', '--fakewriters', '2', '--seed', '11', '--json'];

interface Summary { verdict: string; variant: string; scenario: string; failures: Record<string, number> }

async function torture(tree: string, args: string[]): Promise<{ code: number | null; summary: Summary; stderr: string }> {
  const r = await runCli(['--qemu', tree, ...SMALL, '--results', scratchDir(), ...args], { timeoutMs: 120_000 });
  return { code: r.code, summary: JSON.parse(r.stdout) as Summary, stderr: r.stderr };
}

describe('QEMU mode on the fixture tree', () => {
  it('reads the tree: its files, a name after the folder, force_rcu found', () => {
    const t = qemuTree(TREE, `--qemu ${TREE}`);
    expect(t.rcuC).toBe(join(ROOT, TREE, 'util/rcu.c'));
    expect(t.notifyC).toBe(join(ROOT, TREE, 'util/notify.c'));
    expect(t.name).toBe('qemu-tree');
    expect(t.hasForceRcu).toBe(true);
  });

  it('maps the API onto a flavor: call_rcu, drain, FIFO, force (the tree has force_rcu), the call_rcu thread, kicks', async () => {
    const [f] = await loadImplFlavors(TREE);
    expect(f.name).toBe('qemu-tree');
    expect(f.caps).toEqual({ callRcu: true, drain: true, barrier: false, force: true, fifoCallbacks: true, qsbr: false });
    expect(f.counterSpecs?.map((c) => c.key)).toEqual(['kicks']);
    expect(f.expected ?? []).toEqual([]);
  });

  for (const scenario of ['default', 'vcpu-busy-loops', 'call-rcu-storm', 'registration-churn']) {
    it(`SUCCESS on ${scenario} (threads engine)`, async () => {
      const { code, summary, stderr } = await torture(TREE, ['--scenario', scenario, '--duration', '2s']);
      expect(summary.variant).toBe('qemu-tree');
      expect(summary.scenario).toBe(scenario);
      expect(Object.entries(summary.failures).filter(([, n]) => n > 0), stderr).toEqual([]);
      expect(summary.verdict).toBe('SUCCESS');
      expect(code).toBe(0);
    });
  }

  it('SUCCESS under --engine sim with TSO store buffers', async () => {
    const { code, summary } = await torture(TREE, ['--engine', 'sim', '--memory-model', 'tso', '--schedules', '8']);
    expect(summary.verdict).toBe('SUCCESS');
    expect(code).toBe(0);
  });

  it('the same tree without the call_rcu thread\'s grace period is caught (use-after-reclaim)', async () => {
    const bad = join(scratchDir('rcutorture-qemu-tree-'), 'qemu-no-gp');
    cpSync(join(ROOT, TREE), bad, { recursive: true });
    const rcu = join(bad, 'util/rcu.c');
    const src = readFileSync(rcu, 'utf8');
    const planted = src.replace('        synchronize_rcu();\n        if (forced) {', '        if (forced) {');
    expect(planted).not.toBe(src);
    writeFileSync(rcu, planted);
    const { code, summary } = await torture(bad, ['--duration', '3s']);
    expect(summary.variant).toBe('qemu-no-gp');
    expect(summary.verdict).toBe('FAILURE');
    expect(summary.failures['use-after-reclaim']).toBeGreaterThan(0);
    expect(code).toBe(1);
  });

  it('compare accepts the tree beside a TypeScript variant', async () => {
    const r = await runCli(['compare', '--variants', 'qemu-v0,qemu-tree', '--qemu', TREE, '--duration', '1s', '--trials', '1',
      '--seed', '3', '--results', scratchDir()], { timeoutMs: 120_000 });
    // Nothing on stderr but the warning that one trial judges no ratio.
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^rcutorture: WARNING: too few trials: 1 trial per variant/)]);
    expect(r.stdout).toContain('qemu-tree');
    expect(r.code).toBe(0);
  });
});

describe.concurrent('QEMU mode refuses a folder that is not a tree (exit 2, one line naming the path)', () => {
  const refused = async (args: string[], says: string) => {
    const r = await runCli([...args, '--duration', '1s', '--results', scratchDir()], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(says);
    expect(r.stdout).toBe('');
  };

  it('no util/rcu.c', () => refused(['--qemu', 'test/fixtures'], `${join(ROOT, 'test/fixtures/util/rcu.c')} not found`));
  it('no such folder', () => refused(['--qemu', 'test/fixtures/no-such-tree'], '--qemu test/fixtures/no-such-tree: no such folder'));
  it('a folder given to --impl is a tree too', () => refused(['--impl', 'test/fixtures'], 'util/rcu.c not found'));
  it('--qemu with --impl', () => refused(['--qemu', TREE, '--impl', 'x.c'], 'give one of them'));

  it('qemuTree throws a UsageError', () => {
    expect(() => qemuTree('test/fixtures', '--qemu test/fixtures')).toThrow(UsageError);
  });
});
