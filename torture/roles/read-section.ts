/**
 * One checked read-side critical section, the reader's hot path: lock, read
 * gpSeq, pick up the current element, run the section's body (nested some
 * levels deeper, or after a nest opened and closed), read the element and
 * gpSeq again, unlock, check, count. Shared by readers and registration
 * churners. Both gpSeq reads are inside the section: they serve the exact
 * short-grace-period check and the Reader Batch histogram.
 *
 * A SectionReader is made once per role and flavor instance, so what does
 * not change between sections (the Platform, the cell of the current
 * element, whether the flavor has gpSeq, where the statistics are) is
 * fields read from one object of one shape, not looked up per section.
 */
import type { RcuInstance } from '../../lib/rcu/flavor.js';
import type { Platform } from '../../lib/platform/platform.js';
import type { RoleContext } from '../run/context.js';
import { E, H, PIPE_LEN, ST } from '../run/heap-layout.js';
import { elementReclaimed, reportFailedSection } from '../checks/reader-section.js';
import { gpElapsedInside } from '../checks/short-grace-period.js';
import type { SectionTrace } from '../report/reader-record.js';
import type { GpSeqObserver } from '../checks/gp-seq.js';

/**
 * Plain sections (no body, pipe 0, batch 0: nearly all of them) are counted
 * in a field and added to the shared statistics this often, and by flush():
 * three stores into shared memory per section drew a tenth of its samples
 * in a CPU profile. A section with a body (a delay, a sleep, a busy loop)
 * is counted at once, so the counts a monitor reads lag by a few
 * microseconds of plain sections.
 */
const FLUSH_EVERY = 64;

/** What a section does while it holds the element: returns nothing, may sleep or spin, marks ctx.section. */
export type SectionBody = () => void;

export class SectionReader {
  private readonly p: Platform;
  private readonly peek: (cell: number) => number;
  private readonly current: number;
  private readonly seqs: boolean;
  private readonly f64: Float64Array;
  private readonly st: number;
  private readonly trace: SectionTrace;
  private readonly seen: GpSeqObserver;
  /** Plain sections not yet added to the statistics. */
  private plain = 0;

  constructor(private readonly ctx: RoleContext, private readonly rcu: RcuInstance) {
    this.p = ctx.p;
    this.peek = ctx.peek;
    this.current = ctx.shared.cell(H.CURRENT);
    this.seqs = rcu.gpSeq !== undefined;
    this.f64 = ctx.f64;
    this.st = ctx.stats;
    this.trace = ctx.section;
    this.seen = ctx.gpSeqSeen;
  }

  /**
   * One section: `nest` extra read locks around `body` (`around`), or
   * opened and closed before it; `body` null for a section with no delay.
   */
  run(nest: number, body: SectionBody | null, around: boolean): void {
    const rcu = this.rcu;
    const peek = this.peek;
    const seqs = this.seqs;
    this.trace.reset();
    rcu.readLock();
    const inside = seqs ? rcu.gpSeq!() : NaN;
    const e = this.p.load(this.current, 'acquire');
    if (e === 0) {
      rcu.readUnlock();
      return;
    }
    // The element is the harness's own data: peek, not the Platform (see RoleContext.peek).
    // These reads stay inside the section: after the acquire load of CURRENT and
    // before readUnlock's release store.
    const gen0 = peek(e + E.GEN);
    // `nest !== 0` first, everywhere: most sections do not nest, and `around`
    // is a coin flip per section that the CPU cannot predict (a mispredicted
    // branch or two cost a plain section a tenth of its time).
    if (nest !== 0) {
      for (let i = 0; i < nest; i++) rcu.readLock();
      // A nest closed before the delay: the section changes its nesting while it
      // holds the element (Linux's rcutorture_one_extend), and the delay and the
      // reads run under the outermost lock alone.
      if (!around) for (let i = 0; i < nest; i++) rcu.readUnlock();
    }
    if (body !== null) body();
    const pipe = peek(e + E.PIPE);
    const mbtest = peek(e + E.MBTEST);
    const gen1 = peek(e + E.GEN);
    const data = peek(e + E.DATA);
    const last = seqs ? rcu.gpSeq!() : NaN;
    if (nest !== 0 && around) for (let i = 0; i < nest; i++) rcu.readUnlock();
    rcu.readUnlock();

    const ctx = this.ctx;
    // gp-seq-monotonic on both reads; a step back goes through seeGpSeq to be reported.
    if (seqs && !this.seen.seeBoth(inside, last)) {
      ctx.seeGpSeq(inside);
      ctx.seeGpSeq(last);
    }
    if (elementReclaimed(gen0, pipe, mbtest, gen1, data) || (seqs && gpElapsedInside(inside, last))) {
      reportFailedSection(ctx, { nest, around, e, gen0, pipe, mbtest, gen1, data, inside, last }, seqs ? rcu.gpSeq!() : NaN);
    }
    const batch = seqs ? (last - inside + 1) >> 1 : 0;
    if (body === null && pipe === 0 && batch <= 0) {
      if (++this.plain === FLUSH_EVERY) this.flush();
      return;
    }
    const f64 = this.f64;
    const st = this.st;
    f64[st + ST.PIPE + (pipe > PIPE_LEN ? PIPE_LEN : pipe)]++;
    f64[st + ST.BATCH + (batch > PIPE_LEN ? PIPE_LEN : batch < 0 ? 0 : batch)]++;
    f64[st + ST.READS]++;
  }

  /** Adds the plain sections counted so far to the shared statistics (Reader Pipe and Batch bucket 0, reads). */
  flush(): void {
    const n = this.plain;
    if (n === 0) return;
    this.plain = 0;
    const f64 = this.f64;
    const st = this.st;
    f64[st + ST.PIPE] += n;
    f64[st + ST.BATCH] += n;
    f64[st + ST.READS] += n;
  }
}

const readers = new WeakMap<RcuInstance, SectionReader>();

/** One section through `rcu` for a caller that keeps no SectionReader (registration churners). */
export function readSection(ctx: RoleContext, rcu: RcuInstance, nest: number, body: SectionBody | null, around = true): void {
  let r = readers.get(rcu);
  if (r === undefined) readers.set(rcu, r = new SectionReader(ctx, rcu));
  r.run(nest, body, around);
  r.flush();
}
