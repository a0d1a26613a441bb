/**
 * The simulation engine end to end (the compiled CLI): planted bugs are
 * found with a replayable schedule, the TSO-only mutant only under TSO, a
 * correct variant runs clean, the same seed is the same run, and a written
 * schedule replays to the identical trace. Sim runs are deterministic, so
 * fixed seeds and small budgets are honest here.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratchDir } from './helpers.js';
import { formatSchedule, parseSchedule } from '../torture/engines/sim/schedule-file.js';
import { simRequestFromOptions } from '../torture/engines/sim/sim-options.js';
import { scheduleSpec } from '../torture/engines/sim/schedule-params.js';
import { resolveRunConfig } from '../torture/run/resolve-config.js';
import { SIM_ENGINE_VERSION } from '../lib/platform/sim/scheduler.js';
import { UsageError } from '../torture/run/parse.js';

function run(results: string, ...args: string[]) {
  return runCli(['--engine', 'sim', '--results', results, '--json', '-q', ...args]);
}
const runDir = (results: string) => join(results, readdirSync(results)[0]);

describe.concurrent('--engine sim', () => {
  it('kills busted, replays the failure twice identically and shrinks it', async () => {
    const results = scratchDir();
    const r = await run(results, '--variant', 'busted', '--schedules', '5', '--seed', '1');
    expect(r.code, r.stderr).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(s.engine).toBe('sim');
    expect(s.failures['use-after-reclaim'] + s.failures['premature-callback']).toBeGreaterThan(0);
    expect(s.sim.failure.replay).toBe('identical');
    expect(s.sim.failure.shrunk.decisions).toBeLessThan(s.sim.failure.decisions);
    // The replay command reproduces the written schedule, shrunk or not, trace for trace.
    // With --results it also keeps its log, trace and outcome in a replay-<id> folder, as the other commands do.
    const kept = scratchDir();
    for (const file of ['schedule.txt', 'shrunk-schedule.txt']) {
      const rep = await runCli(['replay', join(runDir(results), file), '--results', kept]);
      expect(rep.code, rep.stdout + rep.stderr).toBe(1);
      expect(rep.stdout).toContain('trace identical');
    }
    const folders = readdirSync(kept).filter((d) => d.startsWith('replay-'));
    expect(folders).toHaveLength(2);
    for (const d of folders) {
      expect(readFileSync(join(kept, d, 'log.txt'), 'utf8')).toContain('trace identical');
      expect(JSON.parse(readFileSync(join(kept, d, 'replay.json'), 'utf8')).traceIdentical).toBe(true);
      expect(readFileSync(join(kept, d, 'trace.txt'), 'utf8').length).toBeGreaterThan(0);
    }
  });

  it('finds qemu-v0!no-reader-barrier under TSO and not under SC, with the same seed and budget', async () => {
    const tso = scratchDir();
    const sc = scratchDir();
    const common = ['--variant', 'qemu-v0!no-reader-barrier', '--schedules', '40', '--seed', '1'];
    const rt = await run(tso, ...common, '--memory-model', 'tso');
    expect(rt.code, rt.stderr).toBe(1);
    // The too-short grace period shows as whichever reader check trips first (the schedule stops there), with its reader's record.
    const st = JSON.parse(rt.stdout);
    expect(st.failures['use-after-reclaim'] + st.failures['short-grace-period']).toBeGreaterThan(0);
    expect(['use-after-reclaim', 'short-grace-period']).toContain(st.firstFailingReader?.cls);
    expect(readFileSync(join(runDir(tso), 'trace.txt'), 'utf8')).toContain('store(buffered)');
    const rs = await run(sc, ...common, '--memory-model', 'sc');
    expect(rs.code, rs.stderr).toBe(0);
    expect(JSON.parse(rs.stdout).sim.schedules).toBe(40);
  });

  it('runs qemu-v0 clean under TSO, and the same seed gives the same run', async () => {
    const [a, b] = await Promise.all([scratchDir(), scratchDir()].map((d) => run(d, '--schedules', '10', '--seed', '3', '--memory-model', 'tso')));
    expect(a.code, a.stderr).toBe(0);
    const [sa, sb] = [JSON.parse(a.stdout), JSON.parse(b.stdout)];
    expect(sa.verdict).toBe('SUCCESS');
    expect(sa.counters.gracePeriods).toBeGreaterThan(0);
    expect(sa.counters.callbacksInvoked).toBeGreaterThan(0);
    expect(sb.sim.steps).toBe(sa.sim.steps);
    expect(sb.counters).toEqual(sa.counters);
  });
});

describe('sim configuration and schedule files', () => {
  it('refuses sim flags without --engine sim', () => {
    expect(() => simRequestFromOptions({ memoryModel: 'tso' })).toThrow(UsageError);
    expect(() => simRequestFromOptions({ engine: 'sim', steps: '5' })).toThrow(/--steps/);
  });

  it('writes and reads back a schedule: config, parameters and every decision', async () => {
    const cfg = await resolveRunConfig({ variant: 'qemu-v0', durationMs: 1000, seed: 9, engine: 'sim', sim: { memoryModel: 'tso' } });
    const spec = scheduleSpec(cfg, 4, 5);
    const log: [number, number][] = [[0, 2], [17, 0], [17, -3], [400, 4]];
    const rec = { engine: SIM_ENGINE_VERSION, version: '0', config: cfg, index: 4, seed: spec.seed, params: spec.params, log,
      failure: { cls: 'gp-stall' as const, step: 401 } };
    expect(parseSchedule(formatSchedule(rec), 'x')).toEqual(rec);
    expect(() => parseSchedule(formatSchedule({ ...rec, engine: 'sim/0' }), 'old.txt')).toThrow(/sim\/0/);
  });
});
