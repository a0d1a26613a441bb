/**
 * Detection power on the sim engine: every planted bug (and qemu-v2's real
 * hangs) is found with its expected class within a budget counted in
 * schedules, not wall time. A sim attempt's verdict follows from its seed
 * alone, so this holds on a loaded CI machine exactly as on a quiet one:
 * the number of the schedule that finds each bug is the same everywhere.
 */
import { describe, expect, it } from 'vitest';
import { MUTANTS, VARIANTS } from '../lib/rcu/registry.js';
import { resolveRunConfig } from '../torture/run/resolve-config.js';
import { runTorture } from '../torture/run/run.js';
import { SIM_UNBOUNDED_MS } from '../torture/engines/sim/sim-config.js';

const CASES = [...MUTANTS, ...VARIANTS.filter((v) => v.expected?.length)]
  .flatMap((m) => (m.targets ?? [{ scenario: m.scenario!, expected: m.expected! }]).map((t) => ({ name: m.name, ...t })));

/**
 * Schedules each may take (runs stop at the first failure). Seed 1 finds
 * every bug within 73 schedules (`mutants --engine sim --seed 1
 * --schedules 1000`, engine sim/3); the budget leaves room for scenario
 * and engine changes that move the finding schedule.
 */
const SCHEDULES = 300;

describe('planted bugs are found under the sim engine within a schedule budget', () => {
  for (const m of CASES) {
    it(`${m.name} on ${m.scenario}: FAILURE with ${m.expected.join(' or ')} within ${SCHEDULES} schedules`, async () => {
      const cfg = await resolveRunConfig({
        variant: m.name, scenario: m.scenario, engine: 'sim', seed: 1, durationMs: SIM_UNBOUNDED_MS, sim: { schedules: SCHEDULES, shrinkRuns: 0 },
      });
      const s = await runTorture(cfg, { resultsRoot: null, stopOnFailure: true }) as Awaited<ReturnType<typeof runTorture>> & { sim: { schedules: number } };
      expect(s.verdict, `after ${s.sim.schedules} schedules`).toBe('FAILURE');
      const found = m.expected.filter((c) => s.failures[c] > 0);
      expect(found, `found ${JSON.stringify(s.failures)} in schedule ${s.sim.schedules}`).not.toEqual([]);
    }, 120_000);
  }
});
