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
import type { RcuInstance } from '../../lib/rcu/flavor.js';
import type { RoleContext } from '../run/context.js';
import { Activity, E, H, PIPE_LEN, S, ST } from '../run/heap-layout.js';
import { checkSectionElement } from '../checks/reader-section.js';
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

/** What a section does while it holds the element: returns nothing, may sleep or spin. */
export type SectionBody = () => void;

/**
 * One checked read-side critical section through `rcu`: lock, pick up the
 * current element, run `body` (nested `nest` levels deeper), check the
 * element, unlock, count. Shared by readers and registration churners.
 */
export function readSection(ctx: RoleContext, rcu: RcuInstance, nest: number, body: SectionBody | null): void {
  const { p, f64 } = ctx;
  const peek = ctx.peek;
  const st = ctx.stats;
  const s0 = rcu.gpSeq ? ctx.seeGpSeq(rcu.gpSeq()) : 0;
  rcu.readLock();
  const e = p.load(ctx.shared.cell(H.CURRENT), 'acquire');
  if (e === 0) {
    rcu.readUnlock();
    return;
  }
  // The element is the harness's own data: peek, not the Platform (see RoleContext.peek).
  // These reads stay inside the section: after the acquire load of CURRENT and
  // before readUnlock's release store.
  const gen0 = peek(e + E.GEN);
  for (let i = 0; i < nest; i++) rcu.readLock();
  if (body !== null) body();
  let pipe = peek(e + E.PIPE);
  const mbtest = peek(e + E.MBTEST);
  const gen1 = peek(e + E.GEN);
  const data = peek(e + E.DATA);
  for (let i = 0; i < nest; i++) rcu.readUnlock();
  rcu.readUnlock();
  const s1 = rcu.gpSeq ? ctx.seeGpSeq(rcu.gpSeq()) : 0;

  pipe = checkSectionElement(ctx, e, gen0, pipe, mbtest, gen1, data);
  f64[st + ST.PIPE + pipe]++;
  const batch = (s1 - s0 + 1) >> 1;
  f64[st + ST.BATCH + (batch > PIPE_LEN ? PIPE_LEN : batch < 0 ? 0 : batch)]++;
  f64[st + ST.READS]++;
}

export function runReader(ctx: RoleContext): void {
  const { p, rcu, f64, random } = ctx;
  const cfg = ctx.task.config;
  const rf = cfg.faults.reader;
  const st = ctx.stats;
  // One 32-bit draw decides the delay: thresholds on a single uniform value.
  const longBelow = rf.longDelayOneIn > 0 ? Math.floor(TWO_32 / rf.longDelayOneIn) : 0;
  const shortBelow = longBelow + (rf.shortDelayOneIn > 0 ? Math.floor(TWO_32 / rf.shortDelayOneIn) : 0);
  const yieldBelow = shortBelow + (rf.yieldOneIn ? Math.floor(TWO_32 / rf.yieldOneIn) : 0);
  const nestBelow = rf.nestOneIn > 0 && rf.maxNesting > 1 ? Math.floor(TWO_32 / rf.nestOneIn) : 0;
  const [LONG, SHORT, YIELD, NESTED] = (['longDelays', 'shortDelays', 'yields', 'nestedSections'] as const).map(faultStat);

  const behaviour = readerBehaviour(cfg, ctx.task.index);
  const busy = behaviour === 'busy' ? new BusyLoop(ctx, rcu) : null;
  const sleeps = behaviour === 'sleepy' ? new SectionSleeps(ctx, rcu) : null;

  /** rcu_read_delay(): the rcutorture-shaped delay of an ordinary section. */
  const delay: SectionBody = () => {
    const draw = random.next32();
    if (draw >= yieldBelow) return;
    if (draw < longBelow) {
      ctx.count(LONG);
      ctx.setActivity(Activity.Sleeping);
      p.sleep(rf.longDelayMs);
      ctx.setActivity(Activity.Outside);
    } else if (draw < shortBelow) {
      ctx.count(SHORT);
      const until = p.now() + rf.shortDelayUs / 1000;
      while (p.now() < until);
    } else {
      ctx.count(YIELD);
      p.sleep(0.001);
    }
  };
  const body: SectionBody = busy ? () => busy.spin()
    : sleeps ? () => { if (!sleeps.inSection()) delay(); }
    : delay;

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
      let nest = 0;
      if (random.next32() < nestBelow) {
        nest = 1 + random.below(rf.maxNesting - 1);
        ctx.count(NESTED);
      }
      readSection(ctx, rcu, nest, body);
      busy?.afterSection();
      if (rcu.quiescentState && n % QS_EVERY === 0) rcu.quiescentState();
      sleeps?.betweenSections();
    }
  } finally {
    f64[st + ST.READ_MS] = p.now() - t0;
    ctx.setActivity(Activity.Exited);
  }
  rcu.unregisterThread();
}
