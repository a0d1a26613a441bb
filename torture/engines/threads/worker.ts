/**
 * The piscina worker: one long task per role. Everything a role needs comes
 * in the task (the shared buffer, its layout, the run configuration).
 */
import { PlatformAbort } from '../../../lib/platform/platform.js';
import { RoleContext, type RoleResult, type RoleTask } from '../../run/context.js';
import { runReader } from '../../roles/reader.js';
import { runWriter } from '../../roles/writer.js';
import { runFakewriter } from '../../roles/fakewriter.js';
import { runBackground } from '../../roles/background.js';
import { runFlooder } from '../../faults/flooder.js';
import { runChurner } from '../../faults/churner.js';
import { runStutter } from '../../faults/stutter.js';
import { S } from '../../run/heap-layout.js';
import { ownOsThreadId } from '../../run/thread-cpu.js';

export const ROLES = {
  reader: runReader, writer: runWriter, fakewriter: runFakewriter, background: runBackground,
  flooder: runFlooder, churner: runChurner, stutter: runStutter,
};

export default async function runRole(task: RoleTask): Promise<RoleResult & { aborted: boolean }> {
  const ctx = await RoleContext.create(task);
  // Which OS thread runs this role: the stall clock reads its scheduling statistics (run/stall-clock.ts).
  Atomics.store(ctx.shared.i32, ctx.shared.slot(task.slot) + S.OS_TID, ownOsThreadId() || -1);
  ctx.p.store(ctx.shared.slot(task.slot) + S.STARTED, 1);
  try {
    ROLES[task.role](ctx);
    return { ...ctx.result(), aborted: false };
  } catch (e) {
    // A torn-down run unwinds through here; anything else is a worker crash.
    if (e instanceof PlatformAbort) return { ...ctx.result(), aborted: true };
    throw e;
  }
}
