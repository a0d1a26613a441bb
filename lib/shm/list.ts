/**
 * An intrusive doubly-linked list in the shared heap, with the semantics of
 * QEMU's QLIST (BSD queue.h LIST): each entry has `next` (address of the next
 * entry, 0 at the end) and `prev` (address of the cell that points to this
 * entry). A list head is one cell holding the first entry's address.
 *
 * Plain relaxed accesses: callers hold the lock that protects the list. A
 * caller that does not (the register-unlocked mutant) corrupts it, and that
 * is the point.
 */
import type { Platform } from '../platform/platform.js';

export const LIST_ENTRY_WORDS = 2;
const NEXT = 0;
const PREV = 1;

export class IntrusiveList {
  constructor(private readonly p: Platform) {}

  first(head: number): number { return this.p.load(head, 'relaxed'); }
  next(entry: number): number { return this.p.load(entry + NEXT, 'relaxed'); }
  isEmpty(head: number): boolean { return this.first(head) === 0; }

  insertHead(head: number, entry: number): void {
    const p = this.p;
    const first = p.load(head, 'relaxed');
    p.store(entry + NEXT, first, 'relaxed');
    if (first !== 0) p.store(first + PREV, entry + NEXT, 'relaxed');
    p.store(head, entry, 'relaxed');
    p.store(entry + PREV, head, 'relaxed');
  }

  remove(entry: number): void {
    const p = this.p;
    const next = p.load(entry + NEXT, 'relaxed');
    const prev = p.load(entry + PREV, 'relaxed');
    if (next !== 0) p.store(next + PREV, prev, 'relaxed');
    p.store(prev, next, 'relaxed');
    // As QEMU's QLIST_REMOVE does: a walker still holding this entry sees the end of the list.
    p.store(entry + NEXT, 0, 'relaxed');
    p.store(entry + PREV, 0, 'relaxed');
  }

  /** Exchanges the contents of two lists (QLIST_SWAP). */
  swap(a: number, b: number): void {
    const p = this.p;
    const fa = p.load(a, 'relaxed');
    const fb = p.load(b, 'relaxed');
    p.store(a, fb, 'relaxed');
    p.store(b, fa, 'relaxed');
    if (fb !== 0) p.store(fb + PREV, a, 'relaxed');
    if (fa !== 0) p.store(fa + PREV, b, 'relaxed');
  }
}
