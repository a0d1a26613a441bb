/**
 * Multi-producer single-consumer linked queue with a dummy node, as in
 * QEMU's util/rcu.c (itself after liburcu's wfqueue).
 *
 * Nodes are rcu_heads in the shared heap: cell `node` is `next`, cell
 * `node + 1` is the callback id. `tail` holds the address of the last node's
 * `next` cell, which is the node's own address since `next` comes first.
 *
 * Between a producer's exchange of `tail` and its store of the link, the
 * node is in the queue but unreachable from `head`: the consumer sees an
 * empty queue although a count may say otherwise. That window is where the
 * QEMU races live, so it is a named preemption point.
 */
import type { Platform } from '../platform/platform.js';

/** Cells of an rcu_head: link and callback id. Embedded at a node's address. */
export const RCU_HEAD_WORDS = 2;
export const HEAD_NEXT = 0;
export const HEAD_FUNC = 1;

const Q_HEAD = 0;   // consumer-only: the node to hand out once it has a successor
const Q_TAIL = 1;
const Q_DUMMY = 2;  // an rcu_head of its own
export const MPSC_QUEUE_WORDS = 2 + RCU_HEAD_WORDS;

/** Initial contents: head and tail both at the dummy node. */
export const mpscQueueInit = (base: number): number[] => [base + Q_DUMMY, base + Q_DUMMY, 0, 0];

export class MpscQueue {
  private readonly head: number;
  private readonly tail: number;
  private readonly dummy: number;

  constructor(private readonly p: Platform, base: number) {
    this.head = base + Q_HEAD;
    this.tail = base + Q_TAIL;
    this.dummy = base + Q_DUMMY;
  }

  enqueue(node: number): void {
    const p = this.p;
    p.store(node + HEAD_NEXT, 0, 'relaxed');
    const oldTail = p.exchange(this.tail, node + HEAD_NEXT);
    p.point('enqueue:after-exchange');
    // Publish the node: pairs with the consumer's acquire load of `next`.
    p.store(oldTail, node, 'release');
  }

  /** The oldest linked node, or 0 when none is reachable yet. Consumer only. */
  tryDequeue(): number {
    const p = this.p;
    for (;;) {
      const node = p.load(this.head, 'relaxed');
      const next = p.load(node + HEAD_NEXT, 'acquire');
      if (next === 0) return 0;
      // At least two nodes are linked (node and next), so tail stays valid.
      p.store(this.head, next, 'relaxed');
      if (node !== this.dummy) return node;
      // Handed out the dummy: put it back at the end and try again.
      this.enqueue(node);
    }
  }
}
