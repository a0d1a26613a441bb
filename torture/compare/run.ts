/**
 * One whole comparison: check the request, make the compare-<id> folder,
 * run the interleaved trials, aggregate, and write compare.json, compare.md
 * and report.html. The `compare` command and the programmatic `compare()`
 * are both thin wrappers around this.
 */
import { TRIALS_FOR_95 } from './format.js';
import { plural } from '../report/plural.js';
import { join } from 'node:path';
import { VERSION } from '../run/version.js';
import { RunFolder, checkResultsRoot } from '../report/results.js';
import { COMPARE_FILES, compareId, writeCompareJson, writeCompareOutputs } from './folder.js';
import { machineLine, thisMachine } from './machine.js';
import { aggregate, columnLabels, metricsOfResult, statisticsInfo, trialSeed, type CompareRequest, type CompareResult, type TrialRecord } from './result.js';
import { compareTable, formatTerminalTable, tableNotes } from './table.js';
import { checkRequest, counterSpecsOf, runTrials, trialLine } from './trials.js';

export interface CompareOptions {
  /** Folder in which the compare-<id> folder is made. */
  resultsRoot: string;
  /** The command as typed, recorded in compare.md. */
  command: string;
  /** Every line the command prints. */
  say?: (line: string) => void;
  /** Where warnings go (the CLI: stderr); they are also written to the folder's log. */
  warn?: (line: string) => void;
  signal?: AbortSignal;
}

export interface CompareOutcome {
  result: CompareResult;
  dir: string;
}

/** Said before the trials start, so a user can stop and ask for more. */
export function tooFewTrialsWarning(trials: number): string {
  return `rcutorture: WARNING: too few trials: ${plural(trials, 'trial')} per variant cannot give a 95% interval ` +
    `(that needs --trials ${TRIALS_FOR_95} or more); ratios are shown but none is called significant`;
}

export async function runCompare(req: CompareRequest, opts: CompareOptions): Promise<CompareOutcome> {
  await checkRequest(req);
  checkResultsRoot(opts.resultsRoot);
  const startedAt = new Date();
  const id = compareId(startedAt);
  const folder = new RunFolder(opts.resultsRoot, `compare-${id}`);
  const say = (line: string) => { opts.say?.(line); folder.log(line); };
  const labels = columnLabels(req.variants);
  const seeds = Array.from({ length: req.trials }, (_, k) => trialSeed(req.seed, k));
  const machine = thisMachine();
  const counters = await counterSpecsOf(req);
  const metrics = metricsOfResult({ counters });
  const result = (trials: TrialRecord[], interrupted: boolean): CompareResult => ({
    tool: 'rcutorture', kind: 'compare', version: VERSION, id, command: opts.command,
    startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), machine, request: req, seeds,
    statistics: statisticsInfo(), counters, variants: aggregate(labels, req.variants, trials, req.trials, metrics), trials, interrupted,
  });

  say(`rcutorture ${VERSION} compare: ${labels.join(' vs ')} on ${req.scenario}, ${req.trials} trials x ${req.durationMs / 1000}s each, interleaved; seeds ${seeds[0]}..${seeds[seeds.length - 1]}`);
  say(`  machine: ${machineLine(machine)}`);
  say(`  results: ${folder.dir}`);
  if (req.trials < TRIALS_FOR_95) {
    const w = tooFewTrialsWarning(req.trials);
    opts.warn?.(w);
    folder.log(w);
  }
  const done: TrialRecord[] = [];
  const { trials, interrupted } = await runTrials(req, {
    runsRoot: join(folder.dir, 'runs'),
    signal: opts.signal,
    onTrial: (rec, n, total) => {
      done.push(rec);
      say(trialLine(rec, labels[rec.column], n, total, req.trials));
      // Kept current after every trial, so an interrupted comparison still leaves its data.
      writeCompareJson(folder.dir, result(done, true));
    },
  });

  const final = result(trials, interrupted);
  say('');
  for (const l of formatTerminalTable(compareTable(final))) say(l);
  say('');
  for (const n of tableNotes(final)) say(`  ${n}`);
  writeCompareOutputs(folder.dir, final);
  say(`  wrote ${Object.values(COMPARE_FILES).map((f) => join(folder.dir, f)).join(', ')}`);
  folder.close();
  return { result: final, dir: folder.dir };
}
