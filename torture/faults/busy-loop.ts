/**
 * The vCPU model: a busy reader stays inside its critical section until its
 * force notifier kicks it, as a QEMU TCG vCPU thread stays in cpu_exec()
 * until force_rcu makes it leave; then it leaves, and re-enters. Without a
 * kick it stays for the scenario's maximum, which may be "forever": that is
 * how QEMU issue 650 hung, and what makes a flavor that never kicks stall.
 *
 * The loop waits on the kick cell in short slices rather than burning a
 * core: to the grace period the reader is just as busy (inside a section,
 * not quiescent), while a 2-core machine still runs everyone else, and the
 * kick is seen as soon as the flavor wakes the cell.
 */
import type { RcuInstance } from '../../lib/rcu/flavor.js';
import type { RoleContext } from '../run/context.js';
import { Activity, H, S, ST } from '../run/heap-layout.js';
import { faultStat } from './coverage.js';

/** Longest single wait between looks at the phase and stutter cells. */
const SLICE_MS = 5;
/**
 * A flavor without force notifiers has no way to end a busy loop: there the
 * spin is capped at this share of the stall timeout, so a busy reader is a
 * long reader and not a hang the flavor could never avoid.
 */
const NO_NOTIFIER_SHARE = 0.25;

export class BusyLoop {
  private readonly kick: number;
  private readonly maxMs: number;
  private readonly phase: number;
  private readonly paused: number;
  private readonly BUSY = faultStat('busyLoops');
  private readonly TIMEOUT = faultStat('busyTimeouts');
  /** When the last kick was seen, until the section it ended is left. */
  private kickedAt = -1;

  constructor(private readonly ctx: RoleContext, private readonly rcu: RcuInstance) {
    const cfg = ctx.task.config;
    const b = cfg.faults.busyLoop!;
    const max = b.maxSpinMs === 'forever' ? Infinity : b.maxSpinMs;
    this.maxMs = rcu.addForceNotifier ? max : Math.min(max, cfg.stallTimeoutMs * NO_NOTIFIER_SHARE);
    this.kick = ctx.shared.slot(ctx.task.slot) + S.KICK;
    this.phase = ctx.shared.cell(H.PHASE);
    this.paused = ctx.shared.cell(H.PAUSED);
  }

  /** The body of a busy section: returns on a kick, at the maximum, or when the run stops or stutters. */
  spin(): void {
    const { ctx } = this;
    const p = ctx.p;
    const k0 = p.load(this.kick, 'acquire');
    ctx.count(this.BUSY);
    ctx.setActivity(Activity.BusyLoop);
    const t0 = p.now();
    const until = t0 + this.maxMs;
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
      const left = until - p.now();
      if (left <= 0) {
        ctx.count(this.TIMEOUT);
        break;
      }
      p.wait(this.kick, k0, Math.min(left, SLICE_MS));
    }
    ctx.setActivity(Activity.Outside);
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
