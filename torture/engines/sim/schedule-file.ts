/**
 * schedule.txt: everything needed to replay one simulated schedule, in a
 * form a person can read: the engine version, the flavor, the scenario, the
 * full run configuration, the schedule's seed and parameters, and the
 * decision log (every choice that differed from "keep running").
 *
 * Decisions are written as `+<steps since the previous>` then `t<thread>`
 * (run that thread) or `c<thread>` (commit the oldest store in that
 * thread's buffer), e.g. `+12t3 +40c1`.
 */
import { readFileSync } from 'node:fs';
import { SIM_ENGINE_VERSION, type ScheduleParams } from '../../../lib/platform/sim/scheduler.js';
import type { FailureClass } from '../../checks/classes.js';
import type { RunConfig } from '../../run/config.js';
import { UsageError } from '../../run/parse.js';

export interface ScheduleRecord {
  engine: string;
  version: string;
  config: RunConfig;
  index: number;
  seed: number;
  params: ScheduleParams;
  failure?: { cls: FailureClass; step: number };
  log: [number, number][];
}

const PER_LINE = 12;

export function formatSchedule(r: ScheduleRecord): string {
  const words: string[] = [];
  let last = 0;
  for (const [step, action] of r.log) {
    words.push(`+${step - last}${action >= 0 ? `t${action}` : `c${-action - 1}`}`);
    last = step;
  }
  const lines = [
    '# rcutorture simulated schedule; replay it with `rcutorture replay <this file>`',
    `engine: ${r.engine}`,
    `version: ${r.version}`,
    `variant: ${r.config.variant}`,
    `scenario: ${r.config.scenario}`,
    `memory-model: ${r.config.sim?.memoryModel}`,
    `strategy: ${r.config.sim?.strategy}`,
    `schedule: ${r.index}`,
    `seed: ${r.seed}`,
    ...(r.failure ? [`failure: ${r.failure.cls} at step ${r.failure.step}`] : []),
    `params: ${JSON.stringify(r.params)}`,
    `config: ${JSON.stringify(r.config)}`,
    `decisions: ${r.log.length}`,
  ];
  for (let i = 0; i < words.length; i += PER_LINE) lines.push(words.slice(i, i + PER_LINE).join(' '));
  return lines.join('\n') + '\n';
}

export function parseSchedule(text: string, where: string): ScheduleRecord {
  const fields = new Map<string, string>();
  const body: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const m = /^([a-z-]+): (.*)$/.exec(line);
    if (m) fields.set(m[1], m[2]);
    else body.push(line);
  }
  const need = (k: string): string => {
    const v = fields.get(k);
    if (v === undefined) throw new UsageError(`bad schedule file ${where}: no "${k}:" line`);
    return v;
  };
  const engine = need('engine');
  if (engine !== SIM_ENGINE_VERSION) {
    throw new UsageError(`schedule file ${where} was recorded by engine ${engine}; this rcutorture replays ${SIM_ENGINE_VERSION} only`);
  }
  const json = <T>(k: string): T => {
    try { return JSON.parse(need(k)) as T; } catch { throw new UsageError(`bad schedule file ${where}: "${k}:" is not valid JSON`); }
  };
  const log: [number, number][] = [];
  let step = 0;
  for (const word of body.join(' ').split(/\s+/).filter(Boolean)) {
    const m = /^\+(\d+)([tc])(\d+)$/.exec(word);
    if (!m) throw new UsageError(`bad schedule file ${where}: decision "${word}" is not +<steps>t<thread> or +<steps>c<thread>`);
    step += Number(m[1]);
    log.push([step, m[2] === 't' ? Number(m[3]) : -Number(m[3]) - 1]);
  }
  const failure = /^(\S+) at step (\d+)$/.exec(fields.get('failure') ?? '');
  return {
    engine, version: need('version'), config: json<RunConfig>('config'),
    index: Number(need('schedule')), seed: Number(need('seed')), params: json<ScheduleParams>('params'),
    failure: failure ? { cls: failure[1] as FailureClass, step: Number(failure[2]) } : undefined,
    log,
  };
}

export function readSchedule(path: string): ScheduleRecord {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch { throw new UsageError(`cannot read schedule file ${path}`); }
  return parseSchedule(text, path);
}
