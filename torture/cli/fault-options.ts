/**
 * The fault flags of `rcutorture run` (and every command that starts runs).
 * Each fault group of a scenario file has a flag taking the same keys as
 * `key=value,key=value`, checked by the same schema (scenario-schema.ts);
 * `off` turns an optional fault off, `on` turns it on with its defaults.
 * Flags override the scenario key by key.
 *
 *   --sleeps probability=0.05,maxMs=20     --busy-loops readers=0.5,maxSpinMs=forever
 *   --preempt 'enqueue:*,read_lock:*' --preempt-prob 0.1 --preempt-ms 0-2
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { FAULT_GROUPS, OPTIONAL_GROUPS, describeIssue, type FaultGroup, type FaultOverrides } from '../scenario/schema.js';
import { UsageError } from '../run/parse.js';
import { FAULT_KINDS } from '../faults/kinds.js';

/** Flag name -> the scenario fault group it sets, from the fault-kind registry. */
const GROUP_FLAGS: [flag: string, group: FaultGroup, help: string][] =
  FAULT_KINDS.flatMap((k) => (k.flag ? [[k.flag.name, k.group, k.flag.help] as [string, FaultGroup, string]] : []));

const WEIGHT_KEYS = ['synchronize', 'callRcu', 'drain', 'barrier', 'force'];

export interface FaultCliOptions {
  readerDelays?: string; writer?: string; updaterMix?: string; sleeps?: string; busyLoops?: string; slowCallbacks?: string;
  flood?: string; churn?: string; stutter?: string; updaterSleeps?: string;
  preempt?: string; preemptProb?: string; preemptMs?: string; swarm?: boolean;
}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function addFaultOptions(cmd: Command): Command {
  for (const [flag, group, help] of GROUP_FLAGS) {
    const onOff = OPTIONAL_GROUPS.includes(group as never) ? ', or on / off' : '';
    cmd.option(`--${flag} <k=v,...>`, `${help}${onOff}`);
  }
  return cmd
    .option('--preempt <globs>', "inject delays at preemption points matching these globs (e.g. 'enqueue:*,read_lock:after-load'), or off")
    .option('--preempt-prob <p>', 'chance that a point hit injects a delay, 0..1 (default 0.01)')
    .option('--preempt-ms <min[-max]>', 'injected delay range in ms (default 0-1; 0 = yield)')
    .option('--swarm', 'draw a random subset of fault kinds with random weights from the seed (swarm testing)');
}

/** "0.5" -> 0.5, "true" -> true, "forever" stays a string: the schema judges the rest. */
function scalar(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
}

/** Parses "k=v,k=v" for one group flag and checks it against the group's schema. */
export function parseGroupFlag(flag: string, group: FaultGroup, text: string): FaultOverrides {
  const optional = OPTIONAL_GROUPS.includes(group as never);
  const t = text.trim();
  if (optional && t === 'off') return { [group]: false } as FaultOverrides;
  if (optional && t === 'on') return { [group]: {} } as FaultOverrides;
  const raw: Record<string, unknown> = {};
  const weights: Record<string, unknown> = {};
  for (const part of t.split(',')) {
    const m = /^\s*([A-Za-z]+)\s*=\s*(.*?)\s*$/.exec(part);
    if (!m) {
      throw new UsageError(`bad --${flag} "${text}": use key=value pairs separated by commas${optional ? ', or on / off' : ''}`);
    }
    (group === 'fakewriter' && WEIGHT_KEYS.includes(m[1]) ? weights : raw)[m[1]] = scalar(m[2]);
  }
  if (Object.keys(weights).length) raw.weights = weights;
  const schema = (FAULT_GROUPS[group] as z.ZodObject).partial();
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    // Weights are given flat on the flag: name them as the user wrote them.
    const flat = issue.path[0] === 'weights' ? { ...issue, path: issue.path.slice(1) } : issue;
    throw new UsageError(flat === issue
      ? `bad --${flag}: ${describeIssue(issue, schema, raw)}`
      : `bad --${flag}: ${describeIssue(flat as typeof issue, FAULT_GROUPS.fakewriter.shape.weights as z.ZodType, weights)}`);
  }
  return { [group]: r.data } as FaultOverrides;
}

function parsePreempt(o: FaultCliOptions): FaultOverrides {
  if (o.preempt === undefined && o.preemptProb === undefined && o.preemptMs === undefined) return {};
  if (o.preempt?.trim() === 'off') return { points: false };
  const points: Record<string, unknown> = {};
  if (o.preempt !== undefined) points.match = o.preempt.split(',').map((s) => s.trim());
  if (o.preemptProb !== undefined) points.probability = scalar(o.preemptProb);
  if (o.preemptMs !== undefined) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*$/.exec(o.preemptMs);
    if (!m) throw new UsageError(`bad --preempt-ms "${o.preemptMs}": use min or min-max in milliseconds, such as 0-2`);
    points.minMs = Number(m[1]);
    points.maxMs = Number(m[2] ?? m[1]);
  }
  const schema = FAULT_GROUPS.points.partial();
  const r = schema.safeParse(points);
  if (!r.success) {
    const issue = r.error.issues[0];
    const flag = issue.path[0] === 'probability' ? '--preempt-prob' : issue.path[0] === 'match' ? '--preempt' : '--preempt-ms';
    throw new UsageError(`bad ${flag}: ${describeIssue(issue, schema, points)}`);
  }
  return { points: r.data };
}

/** The fault part of a RunRequest from the parsed flags. */
export function faultRequestFromOptions(o: FaultCliOptions): { faults?: FaultOverrides; swarm?: boolean } {
  let faults: FaultOverrides = {};
  const given = o as Record<string, string | undefined>;
  for (const [flag, group] of GROUP_FLAGS) {
    const text = given[camel(flag)];
    if (text !== undefined) faults = { ...faults, ...parseGroupFlag(flag, group, text) };
  }
  faults = { ...faults, ...parsePreempt(o) };
  return { ...(Object.keys(faults).length ? { faults } : {}), ...(o.swarm ? { swarm: true } : {}) };
}
