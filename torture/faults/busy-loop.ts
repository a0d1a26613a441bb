/**
 * The vCPU model: a busy reader stays inside its critical section until its
 * force notifier kicks it, as a QEMU TCG vCPU thread stays in cpu_exec()
 * until force_rcu makes it leave; then it leaves, and re-enters. Without a
 * kick a real vCPU still leaves eventually (a timer, an I/O exit): here
 * after a tenth of the run's stall timeout (or the scenario's shorter
 * `maxSpinMs`), so no timing of the scenario is a fixed number of ms
 * against the stall timeout. `maxSpinMs: "forever"` opts out of that cap:
 * the vCPU that never leaves (QEMU issue 650), which hangs even qemu-v0.
 *
 * The kick check (a gp-stall of its own, calibration-free): a flavor with
 * force notifiers promises that a grace period which waits for a busy
 * reader while a drain or force request is outstanding kicks it (qemu-v0
 * kicks at every scan made while draining; qemu-v1 on force every waiting
 * grace period after a few polls anyway). So if a grace period that started
 * after this section began, while a drain or force_rcu that began before the
 * section was outstanding, still owes the kick half a stall timeout after the
 * spin cap ran out, the flavor broke that promise. Cap and grace are shares
 * of the stall timeout, so the check holds at any stall timeout; see docs/scenarios.md for the argument.
 *
 * The loop waits on the kick cell in short slices rather than burning a
 * core: to the grace period the reader is just as busy (inside a section,
 * not quiescent), while a 2-core machine still runs everyone else, and the
 * kick is seen as soon as the flavor wakes the cell.
 */
import { gpSeqDone, gpSeqSnap, type RcuInstance } from '../../lib/rcu/flavor.js';
import type { RoleContext } from '../run/context.js';
import { Activity, H, S, ST, UpdaterOp } from '../run/heap-layout.js';
import { faultStat } from './coverage.js';

/** Longest single wait between looks at the phase, stutter and kick cells. */
const SLICE_MS = 5;
/** A busy section without a kick ends after this share of the stall timeout (the vCPU leaves on its own):
 * small enough that an operation needing two two-phase grace periods behind busy readers (rcu_barrier
 * in urcu-mb: four waits of one spin each) stays well inside the stall timeout. */
export const BUSY_SPIN_SHARE = 0.1;

/**
 * Once a kick is owed and the cap has run out, the flavor has this share of
 * the stall timeout more to deliver it, on the stall clock as the
 * watchdog's own slack (run/stall-clock.ts): other load on the machine that
 * delays the updater's scan does not count against it.
 * Under the sim engine the grace is one more cap: virtual time has no load,
 * and a schedule is short in virtual time.
 */
export const KICK_GRACE_SHARE = 0.5;

/** The effective spin cap of a busy section, in ms (Infinity for "forever"). */
export function busySpinCapMs(maxSpinMs: number | 'forever', stallTimeoutMs: number): number {
  if (maxSpinMs === 'forever') return Infinity;
  return Math.min(maxSpinMs, stallTimeoutMs * BUSY_SPIN_SHARE);
}

export class BusyLoop {
  private readonly kick: number;
  private readonly maxMs: number;
  /** How long an owed kick may take once the cap has run out (KICK_GRACE_SHARE of the stall timeout). */
  private readonly graceMs: number;
  private readonly phase: number;
  private readonly paused: number;
  private readonly slots: number[];
  private readonly BUSY = faultStat('busyLoops');
  private readonly TIMEOUT = faultStat('busyTimeouts');
  /** When the last kick was seen, until the section it ended is left. */
  private kickedAt = -1;

  constructor(private readonly ctx: RoleContext, private readonly rcu: RcuInstance) {
    const cfg = ctx.task.config;
    this.maxMs = busySpinCapMs(cfg.faults.busyLoop!.maxSpinMs, cfg.stallTimeoutMs);
    // Virtual time has no machine load to absorb: there one more cap is the grace (and it fits in a schedule).
    this.graceMs = ctx.p.engine === 'sim' ? this.maxMs : cfg.stallTimeoutMs * KICK_GRACE_SHARE;
    this.kick = ctx.shared.slot(ctx.task.slot) + S.KICK;
    this.phase = ctx.shared.cell(H.PHASE);
    this.paused = ctx.shared.cell(H.PAUSED);
    this.slots = Array.from({ length: ctx.task.threads.total }, (_, s) => ctx.shared.slot(s));
  }

  /** The body of a busy section: returns on a kick, at the maximum, or when the run stops or stutters. */
  spin(): void {
    const { ctx } = this;
    const p = ctx.p;
    const k0 = p.load(this.kick, 'acquire');
    ctx.count(this.BUSY);
    ctx.setActivity(Activity.BusyLoop);
    const t0 = p.now();
    // Read inside the section: a grace period whose start gpSeq shows after this must wait for us.
    const seq0 = this.rcu.addForceNotifier && this.rcu.gpSeq ? this.rcu.gpSeq() : undefined;
    let until = t0 + this.maxMs;
    let extended = false;
    /** When the grace began, on the stall clock: other load that delays the flavor's scan does not count against it. */
    let graceFrom = 0;
    for (;;) {
      p.relax();
      if (p.load(this.kick, 'acquire') !== k0) {
        const now = p.now();
        ctx.count(ST.KICKS_SEEN);
        ctx.latency.recordMs('kick-wait', now - t0);
        this.kickedAt = now;
        break;
      }
      if (p.load(this.phase) !== 0 || p.load(this.paused) !== 0) break;
      const now = p.now();
      if (now >= until) {
        // A grace period owes us a kick: give it half a stall timeout more, then report it.
        if (seq0 !== undefined && this.owedKick(seq0, t0)) {
          if (extended) {
            const waited = ctx.stallNowMs(now) - graceFrom;
            if (waited >= this.graceMs) { this.reportMissedKick(now - t0, this.graceMs); break; }
            until = now + this.graceMs - waited;
            continue;
          }
          extended = true;
          graceFrom = ctx.stallNowMs(now);
          until = now + this.graceMs;
          continue;
        }
        ctx.count(this.TIMEOUT);
        break;
      }
      p.wait(this.kick, k0, Math.min(until - now, SLICE_MS));
    }
    ctx.setActivity(Activity.Outside);
  }

  /**
   * Whether the flavor owes this section a kick now: a grace period that
   * started after the section began is in progress (so it waits for us), and
   * a drain or force_rcu that began before the section is still outstanding.
   */
  private owedKick(seq0: number, t0: number): boolean {
    const seq = this.rcu.gpSeq!();
    // Odd: in progress; at or past snap-1: started after seq0 was read.
    if ((seq & 1) === 0 || !gpSeqDone(seq, gpSeqSnap(seq0) - 1)) return false;
    const before = Math.floor(t0);
    const p = this.ctx.p;
    return this.slots.some((s) => {
      const op = p.load(s + S.OP);
      return (op === UpdaterOp.Drain || op === UpdaterOp.Force) && p.load(s + S.OP_SINCE) < before;
    });
  }

  private reportMissedKick(sectionMs: number, capMs: number): void {
    const { ctx } = this;
    ctx.fail('gp-stall', `busy ${ctx.task.role} ${ctx.task.slot} never kicked in ${Math.round(sectionMs)} ms: a grace period that ` +
      `started after its section began has waited for it at least ${Math.round(capMs)} ms with a drain or force_rcu outstanding ` +
      `since before the section (the flavor has force notifiers, so it must kick)`);
  }

  /**
   * After the section: how long from the kick to the section left. A QSBR
   * reader announces its quiescent state after every busy section, kicked or
   * not: its grace periods wait for that, not for the section's end.
   */
  afterSection(): void {
    if (this.kickedAt >= 0) {
      this.ctx.latency.recordMs('kick-exit', this.ctx.p.now() - this.kickedAt);
      this.kickedAt = -1;
    }
    this.rcu.quiescentState?.();
  }
}
