#!/usr/bin/env node
/** The rcutorture command line. */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../run/version.js';
import { registerRun } from './run-command.js';
import { registerList } from './list-command.js';
import { registerMutants } from './mutants-command.js';
import { registerSoak } from './soak-command.js';
import { registerMerge } from './merge-command.js';
import { registerCompare } from './compare-command.js';
import { registerReport } from './report-command.js';
import { registerReplay } from './replay-command.js';

const program = new Command()
  .name('rcutorture')
  .description('A fault-injection stress torture suite for RCU implementations')
  .version(VERSION)
  .exitOverride()
  .configureOutput({ outputError: (str, write) => write(`rcutorture: ${str.replace(/^error: /, '').trim()}\n`) });

registerRun(program);
registerList(program);
registerMutants(program);
registerSoak(program);
registerMerge(program);
registerCompare(program);
registerReport(program);
registerReplay(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Help and version are not errors; every other parse error is bad usage.
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  process.stderr.write(`rcutorture: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(3);
}
