/**
 * `rcutorture replay <schedule.txt>`: runs one recorded simulated schedule
 * again, decision for decision, and shows that it fails the same way with
 * the same trace (compared with the trace file written beside it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { RunFolder, checkOutputFile, checkResultsRoot, writeFileAtomic } from '../report/results.js';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { EXIT, failureList } from '../report/summary.js';
import { exitWhenFlushed, wrapParser } from './util.js';
import { UsageError } from '../run/parse.js';

/** Lines of the trace shown on the console (the whole trace goes to --trace-out). */
const SHOWN = 30;

/** schedule.txt -> trace.txt, shrunk-schedule.txt -> shrunk-trace.txt. */
function traceBeside(file: string): string {
  return join(dirname(file), basename(file).replace('schedule', 'trace'));
}

export function registerReplay(program: Command): void {
  program.command('replay <schedule>')
    .description('replay a simulated schedule written by a failing `--engine sim` run: same failure, same trace')
    .option('--trace <file>', 'trace to compare with (default: the trace file beside the schedule)')
    .option('--trace-out <file>', 'write the replay\'s trace here')
    .option('--json', 'print the outcome as JSON')
    .option('--results <dir>', 'also keep the replay in a replay-<schedule id> folder here (log.txt, trace.txt, replay.json), as the other commands do')
    .action(wrapParser(async (file: string, o: { trace?: string; traceOut?: string; json?: boolean; results?: string }) => {
      // Loaded when the command runs: every command's modules would otherwise load for every run (start-up counts against --duration).
      const { closeSimEnv, createSimEnv } = await import('../engines/sim/sim-env.js');
      const { runSchedule } = await import('../engines/sim/schedule.js');
      const { replaySpec } = await import('../engines/sim/schedule-params.js');
      const { readSchedule } = await import('../engines/sim/schedule-file.js');
      const { formatTrace, idOfSchedule, parseTrace, scheduleId } = await import('../engines/sim/trace-file.js');
      const rec = readSchedule(file);
      const ownId = idOfSchedule(readFileSync(file, 'utf8'));
      const reference = o.trace ?? traceBeside(file);
      if (existsSync(reference)) {
        // A trace of another schedule is a mix-up of files, not a replay that differs.
        const refId = parseTrace(readFileSync(reference, 'utf8')).id;
        if (refId !== undefined && ownId !== undefined && refId !== ownId) {
          throw new UsageError(`bad --trace "${reference}": it is the trace of schedule ${refId}, not of ${file} (schedule ${ownId}); give the trace written beside it`);
        }
      }
      if (o.traceOut) checkOutputFile(o.traceOut, '--trace-out');
      if (o.results !== undefined) checkResultsRoot(o.results);
      const env = await createSimEnv(rec.config);
      let out;
      try {
        out = await runSchedule(env, replaySpec({ index: rec.index, seed: rec.seed, params: rec.params }, rec.log));
      } finally {
        await closeSimEnv(env);
      }
      const trace = out.trace.join('\n') + '\n';
      const id = ownId ?? scheduleId(readFileSync(file, 'utf8'));
      if (o.traceOut) writeFileAtomic(o.traceOut, formatTrace(id, out.trace));
      const folder = o.results !== undefined ? new RunFolder(o.results, `replay-${id}`) : undefined;
      const ref = existsSync(reference) ? parseTrace(readFileSync(reference, 'utf8')) : undefined;
      const identical = ref === undefined ? undefined : ref.body === trace;
      const say = (l: string) => { (o.json ? process.stderr : process.stdout).write(l + '\n'); folder?.log(l); };
      say(`rcutorture replay: ${rec.config.variant}, schedule ${rec.index} (seed ${rec.seed}), ${rec.log.length} decisions, memory model ${rec.config.sim?.memoryModel}`);
      for (const l of out.trace.slice(-SHOWN)) say(l);
      for (const e of out.examples.slice(0, 5)) say(`  ${e.cls}: ${e.message.split('\n')[0]}`);
      const recorded = rec.failure ? `${rec.failure.cls} at step ${rec.failure.step}` : 'none recorded';
      say(out.failure
        ? `replayed failure: ${failureList(out.failures)} (first at step ${out.failStep}; recorded: ${recorded})`
        : `the schedule ran clean (${out.steps} steps; recorded: ${recorded})`);
      if (identical === undefined) say(`no trace to compare with (${reference} not found)`);
      else say(identical ? `trace identical to ${reference}` : `!!! trace differs from ${reference}: nondeterminism in the harness`);
      const outcome = JSON.stringify({
        schedule: rec.index, failure: out.failure ?? null, failStep: out.failStep, failures: out.failures,
        recorded: rec.failure ?? null, traceIdentical: identical ?? null, steps: out.steps,
      }, null, 2) + '\n';
      if (o.json) process.stdout.write(outcome);
      if (folder) {
        writeFileAtomic(join(folder.dir, 'trace.txt'), formatTrace(id, out.trace));
        writeFileAtomic(join(folder.dir, 'replay.json'), outcome);
        say(`  results: ${folder.dir}`);
        folder.close();
      }
      await exitWhenFlushed(identical === false ? EXIT.internal : out.failure ? EXIT.failure : EXIT.success);
    }));
}
