/**
 * rcu_torture_reader: a loop of read-side critical sections, each picking
 * up the current element and checking, at the end of the section, that it
 * was not reclaimed meanwhile. Delays in rcutorture's shape: mostly none,
 * rarely a short spin, very rarely a long sleep, sometimes nested, now and
 * then a yield.
 *
 * A scenario gives some readers another behaviour (faults/reader-behaviour.ts):
 * busy loopers spin inside every section until a force notifier kicks them
 * (the vCPU model), sleepy readers sleep inside sections at random, and, on a
 * QSBR flavor, go offline around sleeps between sections.
 */
import type { RoleContext } from '../run/context.js';
import { Activity, S, ST } from '../run/heap-layout.js';
import { SectionReader, type SectionBody } from './read-section.js';
import { DELAY } from '../report/reader-record.js';
import { readerBehaviour } from '../faults/reader-behaviour.js';
import { BusyLoop } from '../faults/busy-loop.js';
import { SectionSleeps } from '../faults/sleeps.js';
import { holdWhilePaused } from '../faults/stutter.js';
import { faultStat } from '../faults/coverage.js';

/** How many sections between looks at the phase and stutter cells. */
const PHASE_CHECK_EVERY = 64;
/** QSBR readers announce a quiescent state this often (sections). */
const QS_EVERY = 16;
const TWO_32 = 4294967296;

export { readSection, type SectionBody } from './read-section.js';

/**
 * Extra read locks of a nested section, 1 .. maxNesting-1, geometric: each
 * level half as likely as the one below (rcutorture nests up to its
 * reader-flavor mask), so a run nests 8 deep a few times in every thousand
 * nested sections. From the low bits of the section's draw, which neither
 * the delay (high bits) nor the nest decision (bits 11-15) leans on.
 */
export function nestDepth(draw: number, maxNesting: number): number {
  const x = draw | (1 << (maxNesting - 2));
  return 1 + (31 - Math.clz32(x & -x));
}

export function runReader(ctx: RoleContext): void {
  const { p, rcu, f64, random } = ctx;
  const cfg = ctx.task.config;
  const rf = cfg.faults.reader;
  const st = ctx.stats;
  const trace = ctx.section;
  // One 32-bit draw per section decides the delay (thresholds on the whole
  // value, so on its high bits), whether it nests (its low 16 bits, as the
  // high half of a second value) and how deep (its lowest bits).
  const longBelow = rf.longDelayOneIn > 0 ? Math.floor(TWO_32 / rf.longDelayOneIn) : 0;
  const shortBelow = longBelow + (rf.shortDelayOneIn > 0 ? Math.floor(TWO_32 / rf.shortDelayOneIn) : 0);
  const yieldBelow = shortBelow + (rf.yieldOneIn ? Math.floor(TWO_32 / rf.yieldOneIn) : 0);
  const nestBelow = rf.nestOneIn > 0 && rf.maxNesting > 1 ? Math.floor(TWO_32 / rf.nestOneIn) : 0;
  const [LONG, SHORT, YIELD, NESTED] = (['longDelays', 'shortDelays', 'yields', 'nestedSections'] as const).map(faultStat);

  const behaviour = readerBehaviour(cfg, ctx.task.index);
  const busy = behaviour === 'busy' ? new BusyLoop(ctx, rcu) : null;
  const sleeps = behaviour === 'sleepy' ? new SectionSleeps(ctx, rcu) : null;
  // Kept as an int32 (a small integer to V8): the delay closure captures it, and a uint32
  // above 2^31 stored there is a heap number allocated per section. Compared as uint32.
  let draw = 0;

  /** rcu_read_delay(): the rcutorture-shaped delay of an ordinary section. */
  const delay: SectionBody = () => {
    if (draw >>> 0 >= yieldBelow) return;
    const t0 = p.now();
    if (draw >>> 0 < longBelow) {
      ctx.count(LONG);
      ctx.setActivity(Activity.Sleeping);
      p.sleep(rf.longDelayMs);
      ctx.setActivity(Activity.Outside);
      trace.mark(DELAY.long, p.now() - t0);
    } else if (draw >>> 0 < shortBelow) {
      ctx.count(SHORT);
      const until = t0 + rf.shortDelayUs / 1000;
      let now = t0;
      while ((now = p.now()) < until);
      trace.mark(DELAY.short, now - t0);
    } else {
      ctx.count(YIELD);
      p.sleep(0.001);
      trace.mark(DELAY.yield, p.now() - t0);
    }
  };
  /** A busy section's body: the spin, timed (it is long anyway). */
  const spin: SectionBody = () => {
    const t0 = p.now();
    busy!.spin();
    trace.mark(DELAY.busy, p.now() - t0);
  };
  /** A sleepy section's body: maybe the sleep (its drawn length), else the ordinary delay. */
  const sleepy: SectionBody = () => {
    const ms = sleeps!.inSection();
    if (ms >= 0) trace.mark(DELAY.sleep, ms);
    else delay();
  };
  const body: SectionBody = busy ? spin : sleeps ? sleepy : delay;

  const section = new SectionReader(ctx, rcu);

  rcu.registerThread(ctx.task.slot);
  rcu.addForceNotifier?.(ctx.shared.slot(ctx.task.slot) + S.KICK);
  let n = 0;
  const t0 = p.now();
  try {
    for (;;) {
      // A busy looper's section lasts until a kick: it looks every time.
      if (n++ % PHASE_CHECK_EVERY === 0 || busy) {
        if (!ctx.running()) break;
        holdWhilePaused(ctx, rcu);
      }
      draw = random.nextInt32();
      let nest = 0;
      if (((draw << 16) >>> 0) < nestBelow) {
        nest = nestDepth(draw, rf.maxNesting);
        ctx.count(NESTED);
      }
      // Bit 16 (outside the bits above): the nest around the delay or closed before it.
      // A plain section whose draw asks for no delay runs no body at all.
      section.run(nest, body !== delay || draw >>> 0 < yieldBelow ? body : null, (draw & 0x10000) === 0);
      busy?.afterSection();
      if (rcu.quiescentState && n % QS_EVERY === 0) rcu.quiescentState();
      sleeps?.betweenSections();
    }
  } finally {
    section.flush();
    f64[st + ST.READ_MS] = p.now() - t0;
    ctx.setActivity(Activity.Exited);
  }
  rcu.unregisterThread();
}
