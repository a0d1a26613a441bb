/** The rcutorture commands (loaded by main.ts once signals and stdio are guarded). */
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
import { registerAgain } from './again-command.js';
import { pathErrorFrom } from '../io/safe-fs.js';
import { unknownName } from '../run/parse.js';
import { EXIT } from '../report/summary.js';
import { traceStartup } from './startup-trace.js';

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
registerAgain(program);

/**
 * `rcutorture --help` showed only the subcommands, yet `run` is what most
 * people type (and the default): its options go under the command list.
 */
program.addHelpText('after', () => {
  const run = program.commands.find((c) => c.name() === 'run')!;
  const help = run.createHelp();
  const width = help.padWidth(run, help);
  const lines = help.visibleOptions(run).map((o) => help.formatItem(help.optionTerm(o), width, help.optionDescription(o), help));
  return `\nRun options (run is the default command: \`rcutorture --duration 30s\` is \`rcutorture run --duration 30s\`):\n` +
    lines.join('\n');
});

/**
 * `run` is the default command and takes no arguments, so commander would
 * call a mistyped command "too many arguments for 'run'": a first word that
 * is not an option and not a command is an unknown command.
 */
function checkCommandWord(argv: string[]): void {
  const first = argv[2];
  if (first === undefined || first.startsWith('-')) return;
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (names.includes(first) || first === 'help') return;
  const e = unknownName('command', first, names);
  process.stderr.write(`rcutorture: ${e.message.replace('see `rcutorture list`', 'see `rcutorture --help`')}\n`);
  process.exit(EXIT.usage);
}

/**
 * Commander's "too many arguments for 'run'. Expected 0 arguments but got 1"
 * does not say which word; `--duration 5 s` is the usual cause. Each
 * command accepts excess words here and this hook names the first one.
 */
function checkExcessWords(cmd: Command, argv: string[]): void {
  const expected = cmd.registeredArguments;
  if (expected.at(-1)?.variadic || cmd.args.length <= expected.length) return;
  const word = cmd.args[expected.length];
  const takes = expected.length === 0 ? 'takes no arguments' : `takes ${expected.map((a) => a.name()).join(', ')} only`;
  // A number and its unit split by a space (--duration 5 s): the option two words back, the number, then this word.
  const i = argv.indexOf(word, 2);
  const split = i >= 4 && /^[a-z]{1,3}$/i.test(word) && argv[i - 2].startsWith('--') && /^\d+(\.\d+)?$/.test(argv[i - 1]);
  const hint = split ? ` (did you mean ${argv[i - 2]} ${argv[i - 1]}${word}?)` : '';
  process.stderr.write(`rcutorture: unexpected word "${word}" for '${cmd.name()}', which ${takes}${hint}\n`);
  process.exit(EXIT.usage);
}
for (const c of program.commands) c.allowExcessArguments(true);
program.hook('preAction', (_program, cmd) => checkExcessWords(cmd, process.argv));

traceStartup('commands loaded');
try {
  checkCommandWord(process.argv);
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Help and version are not errors; every other parse error is bad usage.
    process.exit(e.exitCode === 0 ? 0 : EXIT.usage);
  }
  // A path the user gave that cannot be used is their mistake, wherever it surfaced.
  const usage = pathErrorFrom(e);
  if (usage) {
    process.stderr.write(`rcutorture: ${usage.message}\n`);
    process.exit(EXIT.usage);
  }
  process.stderr.write(`rcutorture: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(EXIT.internal);
}
