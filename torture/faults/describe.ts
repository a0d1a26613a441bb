/**
 * The effective fault configuration in two compact header lines: who does
 * what, and every injected fault with its knobs (only those that are on).
 */
import type { RunConfig } from '../run/config.js';
import { readerShares } from './reader-behaviour.js';

const oneIn = (n: number | undefined) => (n ? `1/${n}` : 'off');
const range = (lo: number, hi: number, unit = 'ms') => (lo === hi ? `${lo}${unit}` : `${lo}-${hi}${unit}`);
const pct = (x: number) => `${+(x * 100).toFixed(2)}%`;

export function describeFaults(cfg: RunConfig): string[] {
  const f = cfg.faults;
  const r = f.reader;
  const shares = readerShares(cfg);
  const w = f.fakewriter.weights;
  const base = [
    `readers ${shares.plain} plain/${shares.sleepy} sleepy/${shares.busy} busy`,
    `delays short ${oneIn(r.shortDelayOneIn)}x${r.shortDelayUs}us long ${oneIn(r.longDelayOneIn)}x${r.longDelayMs}ms yield ${oneIn(r.yieldOneIn)}`,
    `nest ${oneIn(r.nestOneIn)} to ${r.maxNesting}`,
    `writer ${range(f.writer.delayMinMs, f.writer.delayMaxMs)} sync ${pct(f.writer.syncFraction)}`,
    `mix sync ${w.synchronize} call ${w.callRcu}x${f.fakewriter.callBurst} drain ${w.drain} barrier ${w.barrier} force ${w.force}`,
  ];
  const on: string[] = [];
  if (f.sleeps) on.push(`sleeps ${pct(f.sleeps.probability)} ${range(f.sleeps.minMs, f.sleeps.maxMs)} outside ${pct(f.sleeps.outsideProbability)}`);
  if (f.busyLoop) on.push(`busy loops max ${f.busyLoop.maxSpinMs === 'forever' ? 'forever' : `${f.busyLoop.maxSpinMs}ms`}`);
  if (f.callbacks) on.push(`slow callbacks ${pct(f.callbacks.probability)} ${range(f.callbacks.minMs, f.callbacks.maxMs)}${f.callbacks.spin ? ' spinning' : ''}`);
  if (f.points) on.push(`preempt ${f.points.match.join(',')} ${pct(f.points.probability)} ${range(f.points.minMs, f.points.maxMs)}`);
  if (f.flood) on.push(`flood ${f.flood.flooders}x${f.flood.burst}/${f.flood.pauseMs}ms pool ${f.flood.nodes} bound ${f.flood.maxPending} cap ${f.flood.memoryCapMb}MiB`);
  if (f.churn) on.push(`churn ${f.churn.churners}x${range(f.churn.minSections, f.churn.maxSections, '')} sections${f.churn.fresh ? ' fresh' : ''}`);
  if (f.stutter) on.push(`stutter ${f.stutter.pauseMs}ms off/${f.stutter.runMs}ms on`);
  if (f.updaterSleeps) on.push(`updater sleeps ${pct(f.updaterSleeps.probability)} ${range(f.updaterSleeps.minMs, f.updaterSleeps.maxMs)}`);
  const lines = [`  faults: ${base.join('; ')}`, `  injected: ${on.length ? on.join('; ') : 'none'}`];
  if (cfg.swarm) lines.push(`  swarm: ${cfg.swarm.join(', ')} (drawn from seed ${cfg.seed})`);
  return lines;
}
