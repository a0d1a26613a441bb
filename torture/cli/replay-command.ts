/**
 * `rcutorture replay <schedule.txt>`: runs one recorded simulated schedule
 * again, decision for decision, and shows that it fails the same way with
 * the same trace (compared with the trace file written beside it).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { EXIT, failureList } from '../report/summary.js';
import { closeSimEnv, createSimEnv } from '../engines/sim/sim-env.js';
import { runSchedule } from '../engines/sim/schedule.js';
import { replaySpec } from '../engines/sim/schedule-params.js';
import { readSchedule } from '../engines/sim/schedule-file.js';
import { exitWhenFlushed, wrapParser } from './util.js';

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
    .action(wrapParser(async (file: string, o: { trace?: string; traceOut?: string; json?: boolean }) => {
      const rec = readSchedule(file);
      const reference = o.trace ?? traceBeside(file);
      const env = await createSimEnv(rec.config);
      let out;
      try {
        out = await runSchedule(env, replaySpec({ index: rec.index, seed: rec.seed, params: rec.params }, rec.log));
      } finally {
        await closeSimEnv(env);
      }
      const trace = out.trace.join('\n') + '\n';
      if (o.traceOut) writeFileSync(o.traceOut, trace);
      const refText = existsSync(reference) ? readFileSync(reference, 'utf8') : undefined;
      const identical = refText === undefined ? undefined : refText === trace;
      const say = (l: string) => (o.json ? process.stderr : process.stdout).write(l + '\n');
      say(`rcutorture replay: ${rec.config.variant}, schedule ${rec.index} (seed ${rec.seed}), ${rec.log.length} decisions, memory model ${rec.config.sim?.memoryModel}`);
      for (const l of out.trace.slice(-SHOWN)) say(l);
      for (const e of out.examples.slice(0, 5)) say(`  ${e.cls}: ${e.message.split('\n')[0]}`);
      const recorded = rec.failure ? `${rec.failure.cls} at step ${rec.failure.step}` : 'none recorded';
      say(out.failure
        ? `replayed failure: ${failureList(out.failures)} (first at step ${out.failStep}; recorded: ${recorded})`
        : `the schedule ran clean (${out.steps} steps; recorded: ${recorded})`);
      if (identical === undefined) say(`no trace to compare with (${reference} not found)`);
      else say(identical ? `trace identical to ${reference}` : `!!! trace differs from ${reference}: nondeterminism in the harness`);
      if (o.json) {
        process.stdout.write(JSON.stringify({
          schedule: rec.index, failure: out.failure ?? null, failStep: out.failStep, failures: out.failures,
          recorded: rec.failure ?? null, traceIdentical: identical ?? null, steps: out.steps,
        }, null, 2) + '\n');
      }
      await exitWhenFlushed(identical === false ? EXIT.internal : out.failure ? EXIT.failure : EXIT.success);
    }));
}
