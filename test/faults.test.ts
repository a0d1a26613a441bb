/**
 * The fault kinds at work, in short runs: each planted bug a fault targets
 * is found with the right failure class, a correct variant under the same
 * faults is not flagged, and the coverage counters show the faults fired.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratchDir } from './helpers.js';

interface Stall { kind: string; atMs: number; detail?: string; holdouts: { thread: number; role: string; activity: string }[] }

async function run(args: string[]) {
  const results = scratchDir();
  const r = await runCli([...args, '--results', results]);
  const [dir] = readdirSync(results);
  const s = JSON.parse(readFileSync(join(results, dir, 'summary.json'), 'utf8'));
  return { r, s };
}

const fired = (s: { faults: Record<string, number> }, ...names: string[]) => {
  for (const n of names) expect(s.faults[n], n).toBeGreaterThan(0);
};

describe('busy loops (the vCPU model)', () => {
  it('qemu-v0!no-force-notify on vcpu-busy-loops: gp-stall "never kicked" for a busy reader, at a stall timeout of 2 s', async () => {
    // The kick check fires after a spin cap (a tenth of the stall timeout) and half a stall timeout
    // more on the stall clock: 1.2 s on a quiet machine, longer where other load slows the clock;
    // so the run goes until its first failure, within a budget no load eats.
    const { r, s } = await run(['--variant', 'qemu-v0!no-force-notify', '--scenario', 'vcpu-busy-loops', '--duration', '60s',
      '--stop-on-failure', '--stall-timeout', '2s', '--readers', '4', '--seed', '3']);
    expect(r.code).toBe(1);
    expect(s.failures['gp-stall']).toBeGreaterThan(0);
    // Readers 0 and 1 are the busy loopers (half of four, the first slots).
    expect(JSON.stringify(s.examples)).toMatch(/busy reader [01] never kicked/);
    expect(s.config.stallTimeoutMs).toBe(2000);
    expect(s.faults.kicksSeen).toBe(0);
    // --stop-on-failure: the run ended at the failure, not at its 60 s.
    expect(s.durationMs).toBeLessThan(55_000);
  });

  it('qemu-v0 on vcpu-busy-loops: drains kick the busy readers out, no failure, kicks and their latency recorded', async () => {
    const { r, s } = await run(['--scenario', 'vcpu-busy-loops', '--duration', '3s', '--readers', '4', '--seed', '4']);
    expect(r.code, r.stdout).toBe(0);
    fired(s, 'busyLoops', 'kicksSeen');
    expect(s.counters.kicks).toBeGreaterThan(0);
    expect(s.latency['kick-exit'].count).toBe(s.faults.kicksSeen);
    expect(r.stdout).toMatch(/readers 2 plain\/0 sleepy\/2 busy/);
  });
});

describe('wrap-around (narrow counter, preemption at read_lock:after-load)', () => {
  it('kills qemu-v0!narrow-single-phase with use-after-reclaim', async () => {
    const { r, s } = await run(['--variant', 'qemu-v0!narrow-single-phase', '--scenario', 'wrap-around', '--duration', '5s', '--readers', '4', '--seed', '1']);
    expect(r.code).toBe(1);
    expect(s.failures['use-after-reclaim']).toBeGreaterThan(0);
    expect(s.pointHits['read_lock:after-load']).toBeGreaterThan(0);
  });

  it('qemu-v0 (two-phase on a narrow counter) survives the same scenario', async () => {
    const { r, s } = await run(['--scenario', 'wrap-around', '--duration', '4s', '--readers', '4', '--seed', '1']);
    expect(r.code, r.stdout).toBe(0);
    expect(s.config.counterBits).toBe(4);
    fired(s, 'sectionSleeps');
  });
});

describe('callback flood', () => {
  it('a flavor that falls behind the flood is a callback-backlog failure by the oldest callback\'s age, not by a count', async () => {
    // maxPending=200 was a verdict once; now only the age against the stall timeout is.
    const { r, s } = await run(['--variant', 'urcu-mb!flood-starved', '--scenario', 'callback-flood', '--flood', 'maxPending=200',
      '--stall-timeout', '1s', '--duration', '20s', '--seed', '5']);
    expect(r.code).toBe(1);
    const stall = (s.stalls as Stall[]).find((x) => x.kind === 'callback-backlog')!;
    const found = s.failures['callback-backlog'] + s.failures['forward-progress'];
    expect(found, JSON.stringify(s.failures)).toBeGreaterThan(0);
    if (stall) expect(stall.detail).toMatch(/oldest of \d+ pending callbacks was queued \d+ ms ago, (over the stall timeout of 1000 ms|past the bound of \d+ grace periods)/);
    expect(s.durationMs).toBeLessThan(15_000);
    // The flood's statistics: one callback per grace period is what this mutant serves.
    expect(s.faults.floodCallbacksPerGp).toBeLessThanOrEqual(2);
    expect(s.faults.fwdMaxWaitMs).toBeGreaterThan(0);
  });
});

describe('forward progress counted in grace periods', () => {
  it('one callback per grace period behind a flood: the probe is found starved by the grace-period bound with the stall timeout out of reach', async () => {
    // Under sim (virtual time: no load decides anything) with a 120 s stall timeout, so no time-based
    // check can fire first: the probe's bound of MAX_STARVED_GPS grace periods is what finds it.
    const { r, s } = await run(['--engine', 'sim', '--variant', 'urcu-mb!flood-starved', '--scenario', 'forward-progress',
      '--stall-timeout', '120s', '--schedules', '1', '--seed', '5']);
    expect(r.code, r.stdout).toBe(1);
    expect(s.failures['forward-progress'], JSON.stringify(s.failures)).toBe(1);
    expect(r.stdout).toMatch(/probe callback .* past the bound of \d+ grace periods/);
  });

  it('the correct urcu-mb under the same flood, past the bound\'s count of grace periods in all, is not flagged', async () => {
    // Two readers, as the soak record ran it: urcu-mb's grace periods wait for every reader's section.
    const { r, s } = await run(['--variant', 'urcu-mb', '--scenario', 'forward-progress', '--stall-timeout', '120s', '--duration', '6s',
      '--readers', '2', '--seed', '5']);
    expect(r.code, r.stdout).toBe(0);
    expect(s.faults.fwdLaunders).toBeGreaterThan(0);
    // More grace periods in all than the bound (some 500 a second here), the probe's own a handful per launder.
    expect(s.counters.gracePeriods).toBeGreaterThan(1000);
    expect(s.faults.fwdMaxGpsPerLaunder).toBeLessThan(1000);
  });
});

describe('everything at once', () => {
  it('qemu-v0 on soak (with a quick stutter): SUCCESS, and every fault of the scenario fired', async () => {
    const { r, s } = await run(['--scenario', 'soak', '--stutter', 'pauseMs=200,runMs=500', '--duration', '4s', '--readers', '4', '--seed', '6']);
    expect(r.code, r.stdout).toBe(0);
    fired(s, 'sectionSleeps', 'busyLoops', 'slowCallbacks', 'floodPosted', 'registrations', 'stutterPauses', 'yields', 'nestedSections',
      'unregisterCallbacks', 'fwdLaunders');
    expect(Object.keys(s.pointHits).length).toBeGreaterThan(0);
    expect(s.counters.callbacksPending).toBe(0);
    expect(r.stdout).toMatch(/injected: sleeps .*busy loops .*slow callbacks .*preempt .*flood .*churn .*stutter/);
  });

  it('qsbr with busy and sleepy readers (sleeps between sections, busy sections no kick can end): nothing flagged', async () => {
    const { r, s } = await run(['--variant', 'qsbr', '--scenario', 'vcpu-busy-loops', '--sleeps', 'readers=0.5,outsideProbability=0.2',
      '--duration', '4s', '--readers', '4', '--seed', '7']);
    expect(r.code, r.stdout).toBe(0);
    // qsbr has no force notifiers: busy sections end at their (capped) maximum, never by a kick.
    fired(s, 'sectionSleeps', 'outsideSleeps', 'busyLoops', 'busyTimeouts');
    expect(s.faults.kicksSeen).toBe(0);
  });

  it('--swarm prints the kinds it drew and stores them in summary.json', async () => {
    const { r, s } = await run(['--swarm', '--duration', '2s', '--seed', '11']);
    expect(r.code, r.stdout).toBe(0);
    expect(s.config.swarm.length).toBeGreaterThan(0);
    expect(r.stdout).toContain(`swarm: ${s.config.swarm.join(', ')} (drawn from seed 11)`);
  });
});

describe('callback flood under the sim engine', () => {
  it('sizes each flooder\'s pool for virtual time (all pools at most a stall timeout / 4 ms) and runs a flood\'s schedule for two stall timeouts', async () => {
    const { resolveRunConfig } = await import('../torture/run/resolve-config.js');
    const { minRunMs, SIM_MS_PER_FLOOD_NODE } = await import('../torture/engines/sim/sim-config.js');
    const req = { variant: 'urcu-mb', scenario: 'forward-progress', durationMs: 1000, seed: 1 };
    const threads = await resolveRunConfig(req);
    const sim = await resolveRunConfig({ ...req, engine: 'sim' });
    expect(threads.faults.flood!.nodes).toBe(16384);
    expect(sim.stallTimeoutMs).toBe(3000);
    expect(sim.faults.flood!.nodes).toBe(3000 / SIM_MS_PER_FLOOD_NODE / 2);
    expect(minRunMs(sim)).toBe(6000);
    // A pool already small enough stays as the scenario has it; no flood, no minimum run time.
    const small = await resolveRunConfig({ ...req, engine: 'sim', faults: { flood: { nodes: 64 } } });
    expect(small.faults.flood!.nodes).toBe(64);
    expect(minRunMs(await resolveRunConfig({ ...req, scenario: 'default', engine: 'sim' }))).toBe(0);
  });
});
