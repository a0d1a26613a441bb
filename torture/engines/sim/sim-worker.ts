/**
 * The piscina worker of the simulation engine: runs one role of one
 * schedule as a simulated thread. The role code is the same as under the
 * threads engine; only the Platform differs (SimPlatform, which makes every
 * call a scheduling point and runs only while this thread holds the baton).
 */
import { PlatformAbort } from '../../../lib/platform/platform.js';
import { SimPlatform } from '../../../lib/platform/sim/sim-platform.js';
import type { ControlSizes } from '../../../lib/platform/sim/control.js';
import { RoleContext, type RoleResult, type RoleTask } from '../../run/context.js';
import { ROLES } from '../threads/worker.js';
import { S } from '../../run/heap-layout.js';
import { ownOsThreadId } from '../../run/thread-cpu.js';

export interface SimRoleTask extends RoleTask {
  control: SharedArrayBuffer;
  controlSizes: ControlSizes;
}

export interface SimRoleResult extends RoleResult {
  aborted: boolean;
  /** An exception other than the teardown's: a worker crash. */
  crash?: string;
}

type RoleFn = (ctx: RoleContext) => void;

export default async function runSimRole(task: SimRoleTask): Promise<SimRoleResult> {
  const platform = new SimPlatform(task.control, task.controlSizes, new Int32Array(task.sab), task.slot);
  let ctx: RoleContext | undefined;
  const partial = (): RoleResult => ctx?.result() ?? { role: task.role, slot: task.slot, examples: [], pointHits: platform.pointHits(), latency: {} };
  try {
    ctx = await RoleContext.create(task, platform);
    // Attached (-1 where the OS does not tell the thread id): written outside the schedule's decisions, and
    // outside any store buffer; the controller reads it only to judge a hang (hang-detector.ts).
    Atomics.store(ctx.shared.i32, ctx.shared.slot(task.slot) + S.OS_TID, ownOsThreadId() || -1);
    ctx.p.store(ctx.shared.slot(task.slot) + S.STARTED, 1);
    const run = (ROLES as Record<string, RoleFn | undefined>)[task.role];
    if (!run) throw new Error(`the sim engine has no role "${task.role}"`);
    run(ctx);
    return { ...partial(), aborted: false };
  } catch (e) {
    if (e instanceof PlatformAbort) return { ...partial(), aborted: true };
    platform.failed();
    return { ...partial(), aborted: false, crash: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  } finally {
    platform.exit();
  }
}
