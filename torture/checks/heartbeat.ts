/**
 * The heartbeat monitor, in the main thread. Every role bumps its slot's
 * HEARTBEAT cell each time round its loop (RoleContext.running -> beat). The
 * stall watchdog sees a thread stuck inside an update-side call, and the
 * holdout list a reader parked in a section; what neither sees is a role
 * stuck elsewhere: in harness code, in a sleep that never ends, in a call
 * nobody wraps. A heartbeat that stays still for a stall timeout while the
 * thread is in none of the watched states is that case: a hung worker.
 */
import { ACTIVITY_NAMES, Activity, H, S, UpdaterOp, type SharedRun } from '../run/heap-layout.js';
import type { CheckSpec } from './check.js';
import type { StallClock } from '../run/stall-clock.js';
import { ms } from '../report/ms.js';

/** worker-crash is also reported by the engines for an exception or exit in a worker. */
export const HEARTBEAT_CHECK: CheckSpec = {
  name: 'heartbeat', classes: ['worker-crash'], needs: ['heartbeat'], runs: 'monitor',
  description: 'a role stopped beating outside every watched state (or its worker threw or exited)',
};

export interface HungWorker { thread: number; message: string }

/** States in which a still heartbeat is someone else's business (or on purpose). */
const EXCUSED = new Set<number>([Activity.Sleeping, Activity.BusyLoop, Activity.Offline, Activity.Exited]);

export class HeartbeatMonitor {
  private readonly last = new Map<number, { beat: number; since: number }>();
  private readonly reported = new Set<number>();

  constructor(
    private readonly shared: SharedRun,
    /** The torture roles' slots (the flavor's background threads run flavor code: the callback-stall check watches them). */
    private readonly slots: number[],
    private readonly timeoutMs: number,
    private readonly roleOf: (slot: number) => string,
    /** The timeout is judged on the stall clock: other load on the machine does not count (run/stall-clock.ts). */
    private readonly clock: StallClock,
  ) {}

  /** Called every tick of the run phase; returns the workers first found hung now. */
  check(nowMs: number, done: (slot: number) => boolean): HungWorker[] {
    const i32 = this.shared.i32;
    const paused = Atomics.load(i32, this.shared.cell(H.PAUSED)) !== 0;
    const out: HungWorker[] = [];
    for (const slot of this.slots) {
      const s = this.shared.slot(slot);
      const beat = Atomics.load(i32, s + S.HEARTBEAT);
      const activity = Atomics.load(i32, s + S.ACTIVITY);
      const prev = this.last.get(slot);
      const excused = paused || done(slot) || Atomics.load(i32, s + S.OP) !== UpdaterOp.None || EXCUSED.has(activity);
      if (!prev || prev.beat !== beat || excused) {
        this.last.set(slot, { beat, since: nowMs });
        continue;
      }
      const stillFor = nowMs - prev.since;
      if (this.clock.age(prev.since, nowMs) > this.timeoutMs && !this.reported.has(slot)) {
        this.reported.add(slot);
        out.push({
          thread: slot,
          message: `${this.roleOf(slot)} (thread ${slot}) hung: no heartbeat for ${ms(stillFor)} ` +
            `outside any update-side call (last activity: ${ACTIVITY_NAMES[activity] ?? activity})`,
        });
      }
    }
    return out;
  }
}
