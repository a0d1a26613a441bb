/**
 * The checks of torture/checks/: every failure class has a check declaring
 * it, and the check added with the restructuring (gpSeq never goes
 * backwards) holds on both engines: a correct variant passes it, a flavor
 * whose gpSeq steps back is caught with its class.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../torture/checks/registry.js';
import { FAILURE_CLASSES, expectedClasses } from '../torture/checks/classes.js';
import { GpSeqObserver } from '../torture/checks/gp-seq.js';
import { isLateLaunder, isLateProbe, isStarvedProbe, lateBy, MAX_STARVED_GPS } from '../torture/checks/forward-progress.js';
import { gpElapsedInside } from '../torture/checks/short-grace-period.js';
import { nestDepth } from '../torture/roles/reader.js';
import { resolveRunConfig } from '../torture/run/resolve-config.js';
import { runTorture } from '../torture/run/run.js';

const FIXTURE = 'test/fixtures/gp-seq-backwards.mjs';

describe('checks registry', () => {
  it('every failure class is reported by some declared check, and checks declare only known classes', () => {
    const declared = new Set(CHECKS.flatMap((c) => c.classes));
    for (const c of FAILURE_CLASSES) expect(declared.has(c), c).toBe(true);
    for (const c of declared) expect(FAILURE_CLASSES).toContain(c);
    expect(new Set(CHECKS.map((c) => c.name)).size).toBe(CHECKS.length);
  });

  it('a flavor expecting an unknown class is refused, naming it', () => {
    expect(() => expectedClasses(['gp-stall', 'no-such-class'], 'my flavor')).toThrow(/my flavor expects unknown failure class "no-such-class"/);
    expect(expectedClasses(['gp-stall'], 'x')).toEqual(['gp-stall']);
  });
});

describe('forward progress and backlog: late only when the flavor, not the machine, falls behind', () => {
  it('a wait over the stall timeout counts only with >= 3 grace periods and < 2 callbacks served per grace period', () => {
    expect(isLateLaunder(3001, 100, 50, 3000, true)).toBe(true);        // 0.5 per grace period: starved by design
    expect(isLateLaunder(2999, 100, 50, 3000, true)).toBe(false);       // within the stall timeout
    expect(isLateLaunder(8844, 20, 30000, 3000, true)).toBe(false);     // an overloaded but correct call_rcu thread
    expect(isLateLaunder(9000, 2, 1, 3000, true)).toBe(false);          // no grace periods to speak of: a stall, not this
    expect(isLateLaunder(3001, 0, 0, 3000, false)).toBe(true);          // no gpSeq: time alone
  });

  it('the probe waiting MAX_STARVED_GPS grace periods at under 2 callbacks each is starved whatever the clock says', () => {
    expect(isStarvedProbe(MAX_STARVED_GPS, MAX_STARVED_GPS, true)).toBe(true);           // one per grace period
    expect(isStarvedProbe(MAX_STARVED_GPS - 1, 0, true)).toBe(false);                    // one short of the bound
    expect(isStarvedProbe(50 * MAX_STARVED_GPS, 100 * MAX_STARVED_GPS, true)).toBe(false); // served whole batches
    expect(isStarvedProbe(2 * MAX_STARVED_GPS, 0, false)).toBe(false);                   // no gpSeq, no grace periods to count
    // The time path stays as it was: a short wait is never late by time, however many grace periods.
    expect(isLateLaunder(500, 50 * MAX_STARVED_GPS, 0, 10_000, true)).toBe(false);
    // The probe is judged by both: starved by grace periods, or late by the stall timeout.
    expect(isLateProbe(500, MAX_STARVED_GPS, 0, 10_000, true)).toBe(true);
    expect(isLateProbe(10_001, 100, 50, 10_000, true)).toBe(true);
    expect(isLateProbe(500, MAX_STARVED_GPS - 1, 0, 10_000, true)).toBe(false);
    expect(lateBy(MAX_STARVED_GPS, 3000)).toBe(`past the bound of ${MAX_STARVED_GPS} grace periods`);
    expect(lateBy(10, 3000)).toBe('over the stall timeout of 3000 ms');
  });
});

describe('gpSeq never goes backwards', () => {
  it('the observer is wrap-safe: forward across 2^32 is fine, a step back is reported with the value before it', () => {
    const o = new GpSeqObserver();
    expect(o.see(0x7ffffffe)).toBeUndefined();
    expect(o.see(-0x80000000)).toBeUndefined();   // wrapped forward
    expect(o.see(-0x80000000 + 4)).toBeUndefined();
    expect(o.see(-0x80000000 + 2)).toBe(-0x80000000 + 4);
    expect(o.see(-0x80000000 + 2)).toBeUndefined();   // equal is not backwards
  });

  it('a section\'s two reads in one step: recorded when both go forward, nothing recorded when either steps back', () => {
    const o = new GpSeqObserver();
    expect(o.seeBoth(10, 12)).toBe(true);               // the first reads of a thread
    expect(o.seeBoth(12, 12)).toBe(true);
    expect(o.seeBoth(11, 14)).toBe(false);              // the first read went back past 12
    expect(o.seeBoth(14, 13)).toBe(false);              // the second read went back past the first
    expect(o.see(12)).toBeUndefined();                  // nothing of the failed pairs was recorded: 12 is still the last
    expect(o.seeBoth(0x7ffffffe, -0x80000000)).toBe(true); // across the wrap
  });

  it('threads: qemu-v0 passes it; a gpSeq that steps back is caught as gp-seq-backwards', async () => {
    const small = { durationMs: 2000, readers: 2, fakewriters: 1, seed: 7 };
    const good = await runTorture(await resolveRunConfig({ variant: 'qemu-v0', ...small }), { resultsRoot: null });
    expect(good.failures['gp-seq-backwards']).toBe(0);
    expect(good.verdict, JSON.stringify(good.examples)).toBe('SUCCESS');
    const bad = await runTorture(await resolveRunConfig({ impl: FIXTURE, ...small }), { resultsRoot: null });
    expect(bad.verdict).toBe('FAILURE');
    expect(bad.failures['gp-seq-backwards']).toBeGreaterThan(0);
    expect(bad.examples.some((e) => e.cls === 'gp-seq-backwards' && /read gpSeq \d+ after \d+/.test(e.message))).toBe(true);
  });

  it('sim: qemu-v0 passes it over a few schedules; the stepping-back gpSeq fails a schedule with gp-seq-backwards', async () => {
    const small = { engine: 'sim' as const, durationMs: 60_000, seed: 3, sim: { schedules: 3, shrinkRuns: 0 } };
    const good = await runTorture(await resolveRunConfig({ variant: 'qemu-v0', ...small }), { resultsRoot: null });
    expect(good.failures['gp-seq-backwards']).toBe(0);
    expect(good.verdict, JSON.stringify(good.examples)).toBe('SUCCESS');
    const bad = await runTorture(await resolveRunConfig({ impl: FIXTURE, ...small }), { resultsRoot: null }) as Awaited<ReturnType<typeof runTorture>> & { sim: { failure?: { cls: string } } };
    expect(bad.verdict).toBe('FAILURE');
    expect(bad.failures['gp-seq-backwards'], JSON.stringify({ failure: bad.sim.failure, examples: bad.examples })).toBeGreaterThan(0);
    expect(bad.sim.failure?.cls).toBe('gp-seq-backwards');
  });
});

describe('fixed layouts and random streams', () => {
  it('the statistics block has room for every failure class and fault counter, and the assertions guard it', async () => {
    const { ST } = await import('../torture/run/heap-layout.js');
    const { FAULT_COUNTERS } = await import('../torture/faults/coverage.js');
    expect(ST.ERR_BASE + FAILURE_CLASSES.length).toBeLessThanOrEqual(ST.READ_MS);
    expect(ST.FAULT_BASE + FAULT_COUNTERS.length).toBeLessThanOrEqual(ST.SIZE);
  });

  it('stream ids come from one table, keep their historical values, and refuse an index outside their range', async () => {
    const { STREAMS } = await import('../torture/run/streams.js');
    expect([STREAMS.role(3), STREAMS.point(3), STREAMS.swarm(), STREAMS.soakSeed(2), STREAMS.schedule(5)])
      .toEqual([3, (1 << 16) + 3, 1 << 20, 0x50a0000 + 2, 0x5c4e0000 + 5]);
    expect(() => STREAMS.role(1 << 16)).toThrow(/thread slot 65536 is outside/);
    expect(() => STREAMS.schedule(-1)).toThrow(RangeError);
  });
});

describe('short grace period: a full grace period inside one section', () => {
  it('fires only when a grace period that started after the first read ended by the second (rcu_seq, wrap-safe)', () => {
    expect(gpElapsedInside(4, 4)).toBe(false);
    expect(gpElapsedInside(4, 5)).toBe(false);   // one started, still running
    expect(gpElapsedInside(4, 6)).toBe(true);    // started and ended inside
    expect(gpElapsedInside(5, 6)).toBe(false);   // the one in progress may have started before the section
    expect(gpElapsedInside(5, 7)).toBe(false);
    expect(gpElapsedInside(5, 8)).toBe(true);
    expect(gpElapsedInside(0x7ffffffe, -0x80000000)).toBe(true);   // across 2^31, as rcu_seq_done
    expect(gpElapsedInside(0x7ffffffd, 0x7fffffff)).toBe(false);
    expect(gpElapsedInside(0x7ffffffd, -0x80000000)).toBe(true);
  });
});

describe('reader nesting', () => {
  it('depths are 1..maxNesting-1 extra locks, each level about half as likely as the one below', () => {
    const counts = new Map<number, number>();
    for (let low = 0; low < 1 << 12; low++) {
      const d = nestDepth((low * 0x9e3779b1) << 12 | low, 8);
      counts.set(d, (counts.get(d) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (let d = 1; d < 6; d++) expect(counts.get(d)! / counts.get(d + 1)!).toBeCloseTo(2, 0);
    expect(nestDepth(0xffffffff, 2)).toBe(1);
  });
});
