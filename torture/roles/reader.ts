/**
 * rcu_torture_reader: a loop of read-side critical sections, each picking
 * up the current element and checking, at the end of the section, that it
 * was not reclaimed meanwhile. Delays in rcutorture's shape: mostly none,
 * rarely a short spin, very rarely a long sleep, sometimes nested.
 */
import type { RoleContext } from '../context.js';
import { Activity, E, H, PIPE_LEN, POISON, S, ST } from '../shared.js';

/** How many sections between looks at the phase cell. */
const PHASE_CHECK_EVERY = 64;
/** QSBR readers announce a quiescent state this often (sections). */
const QS_EVERY = 16;

export function runReader(ctx: RoleContext): void {
  const { p, rcu, f64, random } = ctx;
  const rf = ctx.task.config.faults.reader;
  const current = ctx.shared.cell(H.CURRENT);
  const st = ctx.stats;
  const gpSeq = rcu.gpSeq ? () => rcu.gpSeq!() : () => 0;
  // One 32-bit draw decides the delay: thresholds on a single uniform value.
  const longBelow = rf.longDelayOneIn > 0 ? Math.floor(4294967296 / rf.longDelayOneIn) : 0;
  const shortBelow = longBelow + (rf.shortDelayOneIn > 0 ? Math.floor(4294967296 / rf.shortDelayOneIn) : 0);

  rcu.registerThread(ctx.task.slot);
  rcu.addForceNotifier?.(ctx.shared.slot(ctx.task.slot) + S.KICK);
  let n = 0;
  try {
    while ((n++ % PHASE_CHECK_EVERY !== 0) || ctx.running()) {
      const s0 = gpSeq();
      rcu.readLock();
      const e = p.load(current, 'acquire');
      if (e === 0) {
        rcu.readUnlock();
        continue;
      }
      const gen0 = p.load(e + E.GEN);
      const nest = rf.nestOneIn > 0 && random.oneIn(rf.nestOneIn) ? 1 + random.below(rf.maxNesting - 1) : 0;
      for (let i = 0; i < nest; i++) rcu.readLock();
      const draw = random.next32();
      if (draw < longBelow) {
        ctx.setActivity(Activity.Sleeping);
        p.sleep(rf.longDelayMs);
        ctx.setActivity(Activity.Outside);
      } else if (draw < shortBelow) {
        const until = p.now() + rf.shortDelayUs / 1000;
        while (p.now() < until);
      }
      let pipe = p.load(e + E.PIPE);
      const mbtest = p.load(e + E.MBTEST);
      const gen1 = p.load(e + E.GEN);
      const data = p.load(e + E.DATA);
      for (let i = 0; i < nest; i++) rcu.readUnlock();
      rcu.readUnlock();
      const s1 = gpSeq();

      if (pipe > PIPE_LEN) pipe = PIPE_LEN;
      if (pipe >= 2 || mbtest === 0 || gen1 !== gen0 || data === POISON) {
        ctx.fail('use-after-reclaim',
          `reader ${ctx.task.slot} held element ${e} (generation ${gen0}) across grace periods: ` +
          `pipe ${pipe}, mbtest ${mbtest}, generation now ${gen1}${data === POISON ? ', poisoned' : ''}`);
      }
      f64[st + ST.PIPE + pipe]++;
      const batch = (s1 - s0 + 1) >> 1;
      f64[st + ST.BATCH + (batch > PIPE_LEN ? PIPE_LEN : batch < 0 ? 0 : batch)]++;
      f64[st + ST.READS]++;
      if (rcu.quiescentState && n % QS_EVERY === 0) rcu.quiescentState();
    }
  } finally {
    ctx.setActivity(Activity.Exited);
  }
  rcu.unregisterThread();
}
