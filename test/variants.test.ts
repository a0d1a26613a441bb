/**
 * The shipped variant set (docs/variants.md): everything ships, the ops tables keep the
 * harness's conventions, and every variant believed correct runs clean.
 */
import { describe, expect, it } from 'vitest';
import { FLAVORS, MUTANTS, VARIANTS } from '../lib/rcu/registry.js';
import { FAILURE_CLASSES } from '../torture/checks/classes.js';
import { resolveRunConfig } from '../torture/run/resolve-config.js';
import { runTorture } from '../torture/run/run.js';
import { runCli } from './helpers.js';

const CORRECT = VARIANTS.filter((v) => !v.expected?.length);

describe('the variant set', () => {
  it('ships every variant and mutant of docs/variants.md, once each, variants and mutants apart', () => {
    expect(VARIANTS.map((v) => v.name)).toEqual([
      'qemu-v0', 'qemu-v1', 'qemu-v2', 'qemu-v3', 'qemu-v3-semaphore', 'urcu-mb', 'qsbr', 'ebr',
    ]);
    expect(MUTANTS.map((m) => m.name).sort()).toEqual([
      'busted', 'qemu-v0!early-callbacks', 'qemu-v1!count-after-gp', 'qemu-v0!narrow-single-phase',
      'qemu-v0!lost-wakeup', 'qemu-v0!no-force-notify', 'qemu-v0!unlock-skips-wake',
      'qemu-v0!register-unlocked', 'qemu-v0!no-reader-barrier', 'qemu-v3-semaphore!as-posted',
      'urcu-mb!barrier-own-only', 'urcu-mb!flood-starved',
      'qemu-v0!sometimes-no-wait', 'qemu-v0!nesting-wraps', 'ebr!unregister-drops-bag',
    ].sort());
    expect(new Set(FLAVORS.map((f) => f.name)).size).toBe(FLAVORS.length);
    for (const v of VARIANTS) expect(v.kind, v.name).toBe('variant');
    for (const m of MUTANTS) expect(m.kind, m.name).toBe('mutant');
  });

  it('only qemu-v2 declares known defects among the variants: its two hangs, each with the scenario that finds it', () => {
    expect(VARIANTS.filter((v) => v.expected?.length).map((v) => v.name)).toEqual(['qemu-v2']);
    const v2 = VARIANTS.find((v) => v.name === 'qemu-v2')!;
    expect(v2.targets!.map((t) => t.scenario)).toEqual(['churn-busy-loops', 'call-rcu-storm']);
    expect(v2.expected).toEqual(expect.arrayContaining(['gp-stall', 'callback-stall']));
    expect(v2.scenario).toBe('churn-busy-loops');
  });

  it('every flavor declares its counters and preemption points; counters() reports exactly the declared keys', () => {
    for (const f of FLAVORS) {
      expect(Array.isArray(f.counterSpecs), f.name).toBe(true);
      expect(Array.isArray(f.points) && f.points.length > 0, f.name).toBe(true);
    }
    const qemu = FLAVORS.filter((f) => f.name.startsWith('qemu-') || f.name === 'busted');
    for (const f of qemu) {
      const keys = f.counterSpecs!.map((c) => c.key);
      expect(keys, f.name).toEqual(expect.arrayContaining(['forcedGracePeriods', 'kicks', 'unsolicitedForcedGracePeriods', 'unsolicitedKicks']));
      expect(f.points, f.name).toContain('wait_for_readers:force-walk');
    }
    for (const f of FLAVORS.filter((x) => ['urcu-mb', 'qsbr', 'ebr'].includes(x.name))) expect(f.counterSpecs, f.name).toEqual([]);
  });

  it('every flavor with call_rcu can be flushed at the end of a run (drain or barrier)', () => {
    for (const f of FLAVORS.filter((x) => x.caps.callRcu)) expect(f.caps.drain || f.caps.barrier, f.name).toBe(true);
  });

  it('every mutant names its base, a targeted scenario and failure classes the suite knows', () => {
    for (const m of MUTANTS) {
      expect(VARIANTS.map((v) => v.name), m.name).toContain(m.base);
      expect(m.scenario, m.name).toBeTruthy();
      expect(m.expected?.length, m.name).toBeGreaterThan(0);
      for (const c of m.expected!) expect(FAILURE_CLASSES, m.name).toContain(c);
    }
    expect(MUTANTS.filter((m) => m.needsWeakMemory).map((m) => m.name)).toEqual(['qemu-v0!no-reader-barrier']);
  });

  it('qsbr announces quiescent states and goes offline; the others need no such calls', () => {
    for (const f of VARIANTS) expect(f.caps.qsbr, f.name).toBe(f.name === 'qsbr');
  });
});

describe('rcutorture list', () => {
  it('--json lists every variant and mutant with kind, description, provenance and expected classes', async () => {
    const r = await runCli(['list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const entries = JSON.parse(r.stdout) as { name: string; kind: string; description: string; provenance: string; expected: string[] }[];
    expect(entries.map((e) => e.name)).toEqual(FLAVORS.map((f) => f.name));
    for (const e of entries) {
      expect(e.kind, e.name).toBe(FLAVORS.find((f) => f.name === e.name)!.kind);
      expect(e.description.length, e.name).toBeGreaterThan(0);
      expect(e.provenance.length, e.name).toBeGreaterThan(0);
      expect(Array.isArray(e.expected), e.name).toBe(true);
    }
  });

  it('shows variants and mutants apart, each with what it expects and where it comes from', async () => {
    const r = await runCli(['list']);
    expect(r.code, r.stderr).toBe(0);
    const [variants, mutants] = r.stdout.split(/^MUTANTS/m);
    expect(variants).toMatch(/^VARIANTS \(8\)/);
    expect(variants).toMatch(/qemu-v2 +variant, expects gp-stall\/callback-stall/);
    expect(mutants).toMatch(/qemu-v0!lost-wakeup +mutant of qemu-v0, expects gp-stall/);
    expect(mutants).toMatch(/needs the sim engine/);
    expect(r.stdout.match(/provenance: /g)).toHaveLength(FLAVORS.length);
  });
});

/**
 * Three seconds of the default scenario each, one after the other (each
 * run already has more threads than a 2-core machine has cores). A correct
 * variant must not be flagged however the threads interleave, so these
 * assert exact zeros; the stall timeout stays at the scenario's 10 s, far
 * above any grace period a correct variant takes even on a loaded machine.
 */
describe('correct variants run clean on the default scenario', () => {
  for (const v of CORRECT) {
    it(`${v.name}: SUCCESS, every failure class zero, reads, grace periods and callbacks advanced`, async () => {
      const cfg = await resolveRunConfig({ variant: v.name, durationMs: 2000, seed: 1, readers: 2, fakewriters: 2 });
      const s = await runTorture(cfg, { resultsRoot: null });
      for (const c of FAILURE_CLASSES) expect(s.failures[c], `${c}: ${JSON.stringify(s.examples)}`).toBe(0);
      expect(s.verdict).toBe('SUCCESS');
      expect(s.counters.reads).toBeGreaterThan(0);
      expect(s.counters.gracePeriods).toBeGreaterThan(0);
      expect(s.counters.callbacksInvoked).toBeGreaterThan(0);
      expect(s.counters.callbacksPending).toBe(0);
    });
  }
});

/**
 * Unsolicited expediting (issue 13): qemu-v0 forces only for a drain, so on
 * call-rcu-storm (callbacks only: no drain, force or synchronize) it counts
 * zero forced grace periods in the run phase; the real second/third force_rcu
 * posting (qemu-v3) forces on its own heuristics and counts them, and runs
 * clean on that scenario.
 */
describe('unsolicited expediting on call-rcu-storm, run phase only', () => {
  const run = async (variant: string) => {
    const cfg = await resolveRunConfig({ variant, scenario: 'call-rcu-storm', durationMs: 3000, seed: 1, readers: 2 });
    return runTorture(cfg, { resultsRoot: null });
  };
  it('qemu-v0: SUCCESS, zero unsolicited forced grace periods and kicks', async () => {
    const s = await run('qemu-v0');
    expect(s.verdict, JSON.stringify(s.examples)).toBe('SUCCESS');
    expect(s.runPhase!.counters.unsolicitedForcedGracePeriods).toBe(0);
    expect(s.runPhase!.counters.unsolicitedKicks).toBe(0);
  });
  it('qemu-v3: SUCCESS, and unsolicited forced grace periods above zero', async () => {
    const s = await run('qemu-v3');
    expect(s.verdict, JSON.stringify(s.examples)).toBe('SUCCESS');
    for (const c of FAILURE_CLASSES) expect(s.failures[c], c).toBe(0);
    expect(s.runPhase!.counters.unsolicitedForcedGracePeriods).toBeGreaterThan(0);
  });
});

/**
 * Control for qemu-v2's walk hang: the posting that followed it (qemu-v3)
 * walks the registry with registry_lock held, and so does the fixed
 * semaphore variant; both run clean on the scenario that finds the hang.
 */
describe('the force walk under registry_lock survives churn-busy-loops', () => {
  for (const variant of ['qemu-v3', 'qemu-v3-semaphore']) {
    it(`${variant}: SUCCESS`, async () => {
      const cfg = await resolveRunConfig({ variant, scenario: 'churn-busy-loops', durationMs: 3000, seed: 1, readers: 2 });
      const s = await runTorture(cfg, { resultsRoot: null });
      expect(s.verdict, JSON.stringify(s.examples)).toBe('SUCCESS');
      expect(s.faults?.registrations ?? 0).toBeGreaterThan(0);
    });
  }
});
