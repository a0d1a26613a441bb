/**
 * What a reader checks when its section ends: rcutorture's pipe, mbtest,
 * generation and poison tests on the element it held, and the exact
 * Reader Batch check (short-grace-period.ts) on the gpSeq it read inside.
 * On the first failure of a role it also keeps the failing reader's record
 * (report/reader-record.ts).
 */
import type { RoleContext } from '../run/context.js';
import { PIPE_LEN, POISON } from '../run/heap-layout.js';
import type { CheckSpec } from './check.js';
import { gpElapsedInside } from './short-grace-period.js';
import { gpSeqSnap } from '../../lib/rcu/flavor.js';
import { delayNames } from '../report/reader-record.js';

export const READER_CHECK: CheckSpec = {
  name: 'reader-pipe', classes: ['use-after-reclaim'], needs: ['reader'], runs: 'roles',
  description: 'a reader saw pipe >= 2, mbtest 0, poison, or its element\'s generation change during its section',
};

/** What one section read: the element and its cells, the nesting, and gpSeq inside (NaN without gpSeq). */
export interface SectionReads {
  nest: number; around: boolean; e: number; gen0: number; pipe: number; mbtest: number; gen1: number; data: number;
  inside: number; last: number;
}

/** Whether the element held in one section was reclaimed under it (pipe as read, unclamped). */
export function elementReclaimed(gen0: number, pipe: number, mbtest: number, gen1: number, data: number): boolean {
  return pipe >= 2 || mbtest === 0 || gen1 !== gen0 || data === POISON;
}

/** Off the hot path: reports what failed in one section and keeps the role's first failing reader's record. */
export function reportFailedSection(ctx: RoleContext, r: SectionReads, afterUnlock: number): void {
  const who = `${ctx.task.role} ${ctx.task.slot}`;
  const pipe = r.pipe > PIPE_LEN ? PIPE_LEN : r.pipe;
  const poisoned = r.data === POISON;
  const reclaimed = elementReclaimed(r.gen0, r.pipe, r.mbtest, r.gen1, r.data);
  const hasSeq = !Number.isNaN(r.inside);
  const short = hasSeq && gpElapsedInside(r.inside, r.last);
  // The record first: under the sim engine a failure ends the schedule at once.
  const t = ctx.section;
  if (!ctx.firstFailingReader) ctx.firstFailingReader = {
    cls: reclaimed ? 'use-after-reclaim' : 'short-grace-period',
    role: ctx.task.role, thread: ctx.task.slot, atMs: ctx.p.now(),
    depth: 1 + r.nest, nestAroundDelay: r.around, delays: delayNames(t.delays), delayMs: t.delayMs,
    gpSeq: hasSeq ? { afterLock: r.inside, beforeUnlock: r.last, afterUnlock } : undefined,
    element: r.e, generation: r.gen0, generationAfter: r.gen1, pipe, mbtest: r.mbtest, poisoned,
  };
  if (reclaimed) {
    ctx.fail('use-after-reclaim',
      `${who} held element ${r.e} (generation ${r.gen0}) across grace periods: ` +
      `pipe ${pipe}, mbtest ${r.mbtest}, generation now ${r.gen1}${poisoned ? ', poisoned' : ''}`);
  }
  if (short) {
    ctx.fail('short-grace-period',
      `${who}: a full grace period started and ended inside its read-side critical section: ` +
      `gpSeq ${r.inside} after lock, ${r.last} before unlock (done at ${gpSeqSnap(r.inside)})`);
  }
}
