/**
 * Runs the trials of a comparison, interleaved (round k runs a, b, c, ...)
 * so that whatever the machine does over time (thermal throttling, another
 * job starting) falls on every variant alike, and round k gives every
 * variant the same seed so the harness makes the same random choices.
 */
import { performance } from 'node:perf_hooks';
import { resolveRunConfig } from '../run/resolve-config.js';
import { runTorture } from '../run/run.js';
import { failureList } from '../report/summary.js';
import { num } from './format.js';
import { findFlavor } from '../../lib/rcu/registry.js';
import type { CounterSpec } from '../../lib/rcu/flavor.js';
import { loadImplFlavors } from '../run/flavors.js';
import { unionCounterSpecs } from './metrics.js';
import { trialOrder, trialRecord, trialSeed, type CompareRequest, type TrialRecord } from './result.js';

export interface TrialsOptions {
  /** Where the runs' own folders go (summary.json, log.txt per trial); null for none. */
  runsRoot: string | null;
  signal?: AbortSignal;
  /** Called after every run, with its record and position. */
  onTrial?: (rec: TrialRecord, done: number, total: number) => void;
}

/** Resolves every variant's configuration once, so a bad name fails before anything runs. */
export async function checkRequest(req: CompareRequest): Promise<void> {
  for (const variant of new Set(req.variants)) {
    await resolveRunConfig({ variant, impl: req.impl, scenario: req.scenario, durationMs: req.durationMs, seed: req.seed });
  }
}

/** The counters the compared flavors declare, for the table's rows (shipped or --impl flavors alike). */
export async function counterSpecsOf(req: CompareRequest): Promise<CounterSpec[]> {
  const impl = req.impl ? await loadImplFlavors(req.impl) : [];
  const flavorOf = (name: string) => impl.find((f) => f.name === name) ?? findFlavor(name);
  return unionCounterSpecs(req.variants.map((v) => flavorOf(v)?.counterSpecs));
}

export async function runTrials(req: CompareRequest, opts: TrialsOptions): Promise<{ trials: TrialRecord[]; interrupted: boolean }> {
  const order = trialOrder(req.variants.length, req.trials);
  const trials: TrialRecord[] = [];
  for (const [i, { trial, column }] of order.entries()) {
    if (opts.signal?.aborted) return { trials, interrupted: true };
    const cfg = await resolveRunConfig({
      variant: req.variants[column], impl: req.impl, scenario: req.scenario, durationMs: req.durationMs, seed: trialSeed(req.seed, trial),
    });
    const t0 = performance.now();
    const summary = await runTorture(cfg, { resultsRoot: opts.runsRoot, signal: opts.signal });
    const rec = trialRecord(trial, column, summary, performance.now() - t0);
    trials.push(rec);
    opts.onTrial?.(rec, i + 1, order.length);
    if (summary.interrupted) return { trials, interrupted: true };
  }
  return { trials, interrupted: false };
}

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${num(v)}ms`);

/** The one line printed per finished trial. */
export function trialLine(rec: TrialRecord, label: string, done: number, total: number, rounds: number): string {
  const m = rec.metrics;
  const fails = failureList(rec.failures);
  return `[${done}/${total}] trial ${rec.trial + 1}/${rounds} ${label} seed ${rec.seed}: ${rec.verdict}${fails ? ` (${fails})` : ''}` +
    `  reads/s/reader ${num(m.readsPerSecPerReader ?? NaN)}  GP/s ${num(m.gracePeriodsPerSec ?? NaN)}` +
    `  sync p50 ${ms(m['synchronize.p50'])}  drain p50 ${ms(m['drain.p50'])}  cb p50 ${ms(m['callback.p50'])}` +
    `  (${(rec.wallMs / 1000).toFixed(1)}s)`;
}
