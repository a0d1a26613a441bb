/**
 * rcutorture's pipe machinery: a pool of elements, a free list, and the
 * pipe count each element climbs one grace period at a time after removal.
 *
 * The writer publishes a fresh element (pipe 0, mbtest 1, new generation)
 * and retires the old one (pipe 1). Every grace period that ends after that
 * adds one; at PIPE_LEN the element is poisoned and freed. A reader that
 * sees pipe >= 2 held an element across a full grace period.
 */
import { Mutex } from '../../lib/shm/mutex.js';
import type { RoleContext } from '../run/context.js';
import { E, ElementState, H, PIPE_LEN, POISON, ST } from '../run/heap-layout.js';

export class ElementPool {
  private readonly lock: Mutex;
  private readonly head: number;
  private readonly count: number;

  constructor(private readonly ctx: RoleContext) {
    this.lock = new Mutex(ctx.p, ctx.shared.cell(H.FREE_LOCK));
    this.head = ctx.shared.cell(H.FREE_HEAD);
    this.count = ctx.shared.cell(H.FREE_COUNT);
  }

  /** A free element, or 0 when the pool is exhausted (an allocation failure). */
  alloc(): number {
    const p = this.ctx.p;
    this.lock.lock();
    const e = p.load(this.head);
    if (e !== 0) {
      p.store(this.head, p.load(e + E.NEXT));
      p.fetchAdd(this.count, -1);
    }
    this.lock.unlock();
    return e;
  }

  free(e: number): void {
    const p = this.ctx.p;
    p.store(e + E.MBTEST, 0);
    p.store(e + E.DATA, POISON);
    p.store(e + E.STATE, ElementState.Free);
    this.lock.lock();
    p.store(e + E.NEXT, p.load(this.head));
    p.store(this.head, e);
    p.fetchAdd(this.count, 1);
    this.lock.unlock();
  }

  /**
   * rcu_torture_pipe_update_one: one more grace period has ended since `e`
   * was removed. Counts the stage in Free-Block Circulation; frees the
   * element at the end of the pipe. Returns whether it was freed.
   */
  advance(e: number): boolean {
    const p = this.ctx.p;
    let i = p.load(e + E.PIPE);
    if (i > PIPE_LEN) i = PIPE_LEN;
    this.ctx.count(ST.WCOUNT + i);
    p.store(e + E.PIPE, i + 1);
    if (i + 1 < PIPE_LEN) return false;
    this.free(e);
    return true;
  }
}

/** Puts every element on the free list (main thread, before any worker starts). */
export function initElementPool(i32: Int32Array, headCell: number, countCell: number, elements: number[]): void {
  let head = 0;
  for (const e of elements.slice().reverse()) {
    i32[e + E.DATA] = POISON;
    i32[e + E.NEXT] = head;
    head = e;
  }
  i32[headCell] = head;
  i32[countCell] = elements.length;
}
