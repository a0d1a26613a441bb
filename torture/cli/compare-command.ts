/** `rcutorture compare --variants a,b,...`: side-by-side variant comparison over interleaved trials. */
import type { Command } from 'commander';
import { freshSeed } from '../run/random.js';
import { EXIT } from '../report/summary.js';
import type { CompareRequest } from '../compare/result.js';
import { UsageError, parseCount, parseDuration, parseSeed } from '../run/parse.js';
import { installSignalHandlers, wrapParser } from './util.js';
import { addQemuOption, implFromOptions, type QemuCliOptions } from './qemu-option.js';

interface CompareCliOptions extends QemuCliOptions {
  variants: string; scenario: string; duration: string; trials: string; seed?: string; results: string; impl?: string;
}

/** The command as typed, quoted where a shell would need it, for compare.md. */
export function commandLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function parseVariantList(text: string): string[] {
  const names = text.split(',').map((s) => s.trim());
  if (names.length < 2 || names.some((n) => n === '')) {
    throw new UsageError(`bad --variants "${text}": give two or more comma-separated variant names, the first is the baseline (e.g. --variants base,candidate)`);
  }
  return names;
}

export function registerCompare(program: Command): void {
  addQemuOption(program.command('compare'))
    .description('compare variants side by side: interleaved trials, medians with intervals, ratios to the first variant')
    .requiredOption('--variants <list>', 'comma-separated variants; the first is the baseline (a name may repeat, as a noise check)')
    .option('--scenario <name>', 'fault scenario', 'default')
    .option('-d, --duration <time>', 'duration of each trial (ms, s, m, h)', '10s')
    .option('--trials <n>', 'trials per variant (6 or more for 95% intervals of the median)', '3')
    .option('--seed <n>', 'trial k runs every variant with seed n+k (default: random, printed)')
    .option('--results <dir>', 'where the compare-<id> folder goes', 'results')
    .option('--impl <module>', 'load extra flavors from a module (see docs/writing-a-flavor.md)')
    .action(wrapParser(async (o: CompareCliOptions) => {
      const req: CompareRequest = {
        variants: parseVariantList(o.variants),
        scenario: o.scenario,
        durationMs: parseDuration(o.duration, '--duration'),
        trials: parseCount(o.trials, '--trials', 1, 1000),
        seed: o.seed !== undefined ? parseSeed(o.seed) : freshSeed(),
        impl: implFromOptions(o),
      };
      const controller = new AbortController();
      installSignalHandlers(controller);
      // Loaded when the command runs: every command's modules would otherwise load for every run (start-up counts against --duration).
      const { runCompare } = await import('../compare/run.js');
      const { result } = await runCompare(req, {
        resultsRoot: o.results,
        command: commandLine(process.argv.slice(2)),
        say: (line) => process.stdout.write(line + '\n'),
        warn: (line) => process.stderr.write(line + '\n'),
        signal: controller.signal,
      });
      const { trials, interrupted } = result;
      const signal = interrupted ? String(controller.signal.reason ?? 'SIGINT') : undefined;
      process.exitCode = signal ? (signal === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint)
        : trials.some((t) => t.verdict !== 'SUCCESS') ? EXIT.failure : EXIT.success;
    }));
}
