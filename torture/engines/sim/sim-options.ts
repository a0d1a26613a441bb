/** The command-line flags of the simulation engine, shared by every command that starts runs. */
import { Option, type Command } from 'commander';
import { UsageError, parseCount } from '../../run/parse.js';
import { SIM_UNBOUNDED_MS, type SimConfig, type SimRequest } from './sim-config.js';

export interface SimCliOptions {
  engine?: 'threads' | 'sim';
  memoryModel?: 'sc' | 'tso';
  schedules?: string;
  steps?: string;
  strategy?: 'random' | 'pct';
  pctDepth?: string;
  /** Set when --duration was given on the command line (it has a default). */
  durationGiven?: boolean;
}

export function addSimOptions(cmd: Command): Command {
  cmd
    .addOption(new Option('--engine <engine>', 'threads: real worker threads; sim: deterministic simulation (replayable)').choices(['threads', 'sim']))
    .addOption(new Option('--memory-model <model>', 'sim: sc, or tso (per-thread store buffers: finds missing barriers)').choices(['sc', 'tso']))
    .option('--schedules <n>', 'sim: schedules to run (default: as many as --duration allows)')
    .option('--steps <n>', 'sim: steps per schedule before its end-of-run phase (default 20000)')
    .addOption(new Option('--strategy <name>', 'sim: how threads are picked').choices(['random', 'pct']))
    .option('--pct-depth <n>', 'sim: PCT bug depth d (d-1 priority change points; cycled 1..d over schedules; default 3)');
  // --duration has a default; only an explicit one limits a run bounded by --schedules.
  cmd.on('option:duration', () => cmd.setOptionValue('durationGiven', true));
  return cmd;
}

export function simRequestFromOptions(o: SimCliOptions): SimRequest & { durationMs?: number } {
  const simOnly: [string, unknown][] = [['--memory-model', o.memoryModel], ['--schedules', o.schedules], ['--steps', o.steps],
    ['--strategy', o.strategy], ['--pct-depth', o.pctDepth]];
  if (o.engine !== 'sim') {
    const given = simOnly.find(([, v]) => v !== undefined);
    if (given) throw new UsageError(`${given[0]} needs --engine sim`);
    return o.engine ? { engine: o.engine } : {};
  }
  const sim: Partial<SimConfig> = {};
  if (o.memoryModel) sim.memoryModel = o.memoryModel;
  if (o.schedules !== undefined) sim.schedules = parseCount(o.schedules, '--schedules', 1, 1_000_000_000);
  if (o.steps !== undefined) sim.steps = parseCount(o.steps, '--steps', 100, 100_000_000);
  if (o.strategy) sim.strategy = o.strategy;
  if (o.pctDepth !== undefined) sim.pctDepth = parseCount(o.pctDepth, '--pct-depth', 1, 16);
  return { engine: 'sim', sim, ...(sim.schedules !== undefined && !o.durationGiven ? { durationMs: SIM_UNBOUNDED_MS } : {}) };
}
