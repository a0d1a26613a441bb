/**
 * After an orderly end every callback has run and every element is back on
 * the free list: a queued node is a lost callback, anything else missing a leak.
 */
import type { RunConfig } from '../run/config.js';
import { CB, E, ElementState, H, N, type SharedRun } from '../run/heap-layout.js';
import type { FailureClass } from './classes.js';
import type { CheckSpec } from './check.js';

export const END_OF_RUN_CHECK: CheckSpec = {
  name: 'end-of-run', classes: ['callback-lost', 'leak'], needs: ['end-of-run'], runs: 'end',
  description: 'after the final drain a callback is still queued, or elements or callback nodes are not back on their free lists',
};

export interface Example { cls: FailureClass; thread: number; message: string }

export function checkEnd(
  shared: SharedRun, cfg: RunConfig, add: (c: FailureClass, n?: number) => void, examples: Example[],
): void {
  const i32 = shared.i32;
  let lost = 0;
  let leaked = 0;
  for (let i = 0; i < cfg.elements; i++) {
    const e = shared.element(i);
    if (i32[e + CB.QUEUED] === 1) lost++;
    else if (i32[e + E.STATE] !== ElementState.Free) leaked++;
  }
  for (let i = 0; i < shared.sizes.cbNodes; i++) {
    const n = shared.cbNode(i);
    if (i32[n + CB.QUEUED] === 1) lost++;
    else if (i32[n + N.STATE] !== 0) leaked++;
  }
  if (lost > 0) add('callback-lost', lost);
  if (lost > 0) examples.push({ cls: 'callback-lost', thread: -1, message: `${lost} callbacks still queued after the final drain` });
  // The free list's own count must agree with the elements marked free.
  let markedFree = 0;
  for (let i = 0; i < cfg.elements; i++) if (i32[shared.element(i) + E.STATE] === ElementState.Free) markedFree++;
  leaked += Math.abs(i32[shared.cell(H.FREE_COUNT)] - markedFree);
  if (leaked > 0) {
    add('leak', leaked);
    examples.push({ cls: 'leak', thread: -1, message: `${leaked} elements or callback nodes not back on their free lists` });
  }
}
