/**
 * What a reader checks when its section ends: rcutorture's pipe, mbtest,
 * generation and poison tests on the element it held.
 */
import type { RoleContext } from '../run/context.js';
import { PIPE_LEN, POISON } from '../run/heap-layout.js';
import type { CheckSpec } from './check.js';

export const READER_CHECK: CheckSpec = {
  name: 'reader-pipe', classes: ['use-after-reclaim'], needs: ['reader'], runs: 'roles',
  description: 'a reader saw pipe >= 2, mbtest 0, poison, or its element\'s generation change during its section',
};

/** Reports a use-after-reclaim when the element read in one section was reclaimed under it; returns the clamped pipe stage. */
export function checkSectionElement(
  ctx: RoleContext, e: number, gen0: number, pipe: number, mbtest: number, gen1: number, data: number,
): number {
  if (pipe > PIPE_LEN) pipe = PIPE_LEN;
  if (pipe >= 2 || mbtest === 0 || gen1 !== gen0 || data === POISON) {
    ctx.fail('use-after-reclaim',
      `${ctx.task.role} ${ctx.task.slot} held element ${e} (generation ${gen0}) across grace periods: ` +
      `pipe ${pipe}, mbtest ${mbtest}, generation now ${gen1}${data === POISON ? ', poisoned' : ''}`);
  }
  return pipe;
}
