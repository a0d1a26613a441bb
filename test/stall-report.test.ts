// The stall report's content: whole, non-negative milliseconds, and holdouts
// that can really be holding the stalled call up (issue 18 item 7).
import { describe, expect, it } from 'vitest';
import { allocateHeap, planLayout } from '../dist/lib/shm/layout.js';
import { H, S, ST, SharedRun, harnessRegions } from '../dist/torture/run/heap-layout.js';
import { Watchdog, formatStall } from '../dist/torture/checks/watchdog.js';
import { VIRTUAL_STALL_CLOCK } from '../dist/torture/run/stall-clock.js';
import { linuxStallLine } from '../dist/torture/report/linux-lines.js';
import type { ThreadPlan } from '../dist/torture/run/config.js';

// const enums of heap-layout.ts (erased at compile time).
const SYNCHRONIZE = 1;
const Activity = { Section: 1, Sleeping: 2, BusyLoop: 3 };

// Readers 0-2, writer 3, no fakewriters; stall timeout 1000 ms.
function setup() {
  const sizes = { threads: 4, elements: 4, cbNodes: 0 };
  const specs = harnessRegions(sizes);
  const plan = planLayout(specs);
  const shared = new SharedRun(allocateHeap(specs, plan), plan, sizes);
  const threads = { readers: [0, 1, 2], writer: 3, fakewriters: [], roles: [], background: [], total: 4 } as unknown as ThreadPlan;
  const dog = new Watchdog(shared, threads, 1000, (s) => (s === 3 ? 'writer' : 'reader'), VIRTUAL_STALL_CLOCK);
  const set = (slot: number, cell: number, v: number) => { shared.i32[shared.slot(slot) + cell] = v; };
  // A reader making progress: its read count moved since the last tick.
  const reading = (...slots: number[]) => { for (const s of slots) shared.f64[shared.stats(s) + ST.READS]++; };
  // Callbacks queued by the writer and not invoked; the last invocation at `lastInvoke`.
  const pending = (n: number, lastInvoke: number) => {
    shared.f64[shared.stats(3) + ST.CB_QUEUED] += n;
    shared.i32[shared.cell(H.LAST_INVOKE_MS)] = lastInvoke;
  };
  return { dog, set, reading, pending };
}

describe('stall report', () => {
  it('names only readers inside a section since before the stalled call began', () => {
    const { dog, set, reading } = setup();
    dog.check(0);
    reading(0, 1, 2);
    set(3, S.OP_SINCE, 100); set(3, S.OP, SYNCHRONIZE);
    set(0, S.ACTIVITY_SINCE, 50); set(0, S.ACTIVITY, Activity.Sleeping);   // holds it
    set(1, S.ACTIVITY_SINCE, 1180); set(1, S.ACTIVITY, Activity.Section);  // entered a short section just now
    set(2, S.ACTIVITY_SINCE, 150); set(2, S.ACTIVITY, Activity.BusyLoop);  // later, but for over a second: holds the current grace period
    const [r] = dog.check(1200.7);
    expect(r.kind).toBe('gp-stall');
    expect(r.holdouts.map((h) => h.thread)).toEqual([0, 2]);
    expect(r.holdouts[0].forMs).toBe(1151);
  });

  it('says the updater itself is stuck when no reader holds it (a synchronize spinning in plain JS)', () => {
    const { dog, set, reading } = setup();
    dog.check(0);
    set(3, S.OP_SINCE, 10); set(3, S.OP, SYNCHRONIZE);
    set(2, S.ACTIVITY_SINCE, 1500); set(2, S.ACTIVITY, Activity.Section);
    reading(0, 1, 2);
    const [r] = dog.check(1500);
    expect(r.holdouts).toEqual([]);
    const text = formatStall(r).join('\n');
    expect(text).toContain('no reader holds it: the updater itself is stuck');
    expect(linuxStallLine('v', r)).toContain('{ - }');
  });

  it('never prints a negative holdout age or an unrounded float', () => {
    const text = formatStall({
      kind: 'gp-stall', atMs: 1083.55, waiter: { thread: 3, role: 'writer', op: 'synchronize', forMs: 1083.5506201250246 },
      holdouts: [{ thread: 0, role: 'reader', activity: 'short section', forMs: -20 }], pendingCallbacks: 2, oldestPendingMs: 999.25,
    }).join('\n') + linuxStallLine('v', {
      kind: 'callback-stall', atMs: 1, holdouts: [], pendingCallbacks: 2, oldestPendingMs: 1083.5506201250246,
    });
    expect(text).not.toMatch(/-\d+ ms|\d\.\d+ ms/);
    expect(text).toContain('stuck in synchronize for 1084 ms');
    expect(text).toContain('for 0 ms');
  });

  it('"no progress" never exceeds the time the watchdog has been watching', () => {
    const { dog, set } = setup();
    // The reader's count never moves: outside any recorded section, stopped since it was first seen at 5000.
    dog.check(5000);
    set(3, S.OP_SINCE, 5000); set(3, S.OP, SYNCHRONIZE);
    const [r] = dog.check(7000);
    const stuck = r.holdouts.filter((h) => h.activity.startsWith('no progress'));
    expect(stuck.length).toBe(3);
    for (const h of stuck) expect(h.forMs).toBeLessThanOrEqual(r.waiter!.forMs);
  });

  describe('when the end-of-run liveness phase runs out first: the oldest stuck thing, with its class', () => {
    it('callbacks stranded before the synchronize began: a callback-stall (a call_rcu thread that missed its wake-up)', () => {
      const { dog, set, pending } = setup();
      dog.check(0);
      pending(3, 200);
      dog.check(300);
      set(3, S.OP_SINCE, 500); set(3, S.OP, SYNCHRONIZE);
      const r = dog.endStall(900)!;
      expect(r).toMatchObject({ kind: 'callback-stall', atEnd: true, sinceMs: 300, pendingCallbacks: 3 });
      expect(formatStall(r).join('\n')).toContain('found when the end-of-run liveness phase ran out');
    });

    it('a synchronize stuck before the callbacks stopped: a gp-stall naming it (callbacks wait for its grace period)', () => {
      const { dog, set, pending } = setup();
      dog.check(0);
      set(3, S.OP_SINCE, 100); set(3, S.OP, SYNCHRONIZE);
      pending(2, 400);
      dog.check(450);
      const r = dog.endStall(900)!;
      expect(r).toMatchObject({ kind: 'gp-stall', atEnd: true, waiter: { thread: 3, op: 'synchronize', forMs: 800 } });
    });

    it('nothing outstanding: no report (the run keeps its bare note)', () => {
      const { dog } = setup();
      dog.check(0);
      expect(dog.endStall(900)).toBeUndefined();
    });
  });
});
