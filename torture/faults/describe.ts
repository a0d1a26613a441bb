/**
 * The effective fault configuration in two compact header lines: who does
 * what, and every injected fault with its knobs (only those that are on,
 * each described by its fault kind: faults/kinds.ts).
 */
import type { RunConfig } from '../run/config.js';
import { readerShares } from './reader-behaviour.js';
import { injectedFaults } from './kinds.js';

const oneIn = (n: number | undefined) => (n ? `1/${n}` : 'off');
const range = (lo: number, hi: number) => (lo === hi ? `${lo}ms` : `${lo}-${hi}ms`);
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
  const on = injectedFaults(cfg);
  const lines = [`  faults: ${base.join('; ')}`, `  injected: ${on.length ? on.join('; ') : 'none'}`];
  if (cfg.swarm) lines.push(`  swarm: ${cfg.swarm.join(', ')} (drawn from seed ${cfg.seed})`);
  return lines;
}
