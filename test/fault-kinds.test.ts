/**
 * The fault-kind registry (torture/faults/kinds.ts) is wired: every
 * descriptor's group has a scenario schema, its flag is an option of the
 * run command, its counters are coverage counters that some role bumps,
 * swarm draws exactly the kinds with a swarm part, and the header names
 * every optional kind that is on.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, injectedFaults } from '../torture/faults/kinds.js';
import { FAULT_GROUPS, GROUP_DEFAULTS, OPTIONAL_GROUPS } from '../torture/scenario/schema.js';
import { addFaultOptions } from '../torture/cli/fault-options.js';
import { FAULT_COUNTERS } from '../torture/faults/coverage.js';
import { drawSwarm } from '../torture/faults/swarm.js';
import { DEFAULT_FAULTS, type RunConfig } from '../torture/run/config.js';
import { ROOT } from './helpers.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('fault-kind registry', () => {
  it('every kind names a scenario group, and every group has a kind', () => {
    const groups = Object.keys(FAULT_GROUPS);
    for (const k of FAULT_KINDS) expect(groups, k.name).toContain(k.group);
    for (const g of groups) expect(FAULT_KINDS.some((k) => k.group === g), g).toBe(true);
    expect(new Set(FAULT_KINDS.map((k) => k.name)).size).toBe(FAULT_KINDS.length);
  });

  it('every flag of a kind is an option of the run command, and each group has at most one', () => {
    const cmd = addFaultOptions(new Command());
    const longs = cmd.options.map((o) => o.long);
    for (const k of FAULT_KINDS) if (k.flag) expect(longs, k.name).toContain(`--${k.flag.name}`);
    const flagged = FAULT_KINDS.filter((k) => k.flag).map((k) => k.group);
    expect(new Set(flagged).size).toBe(flagged.length);
  });

  it('every counter of a kind is a coverage counter some role bumps, and every coverage counter belongs to a kind', () => {
    const code = [...sources(join(ROOT, 'torture/roles')), ...sources(join(ROOT, 'torture/faults'))].map((f) => readFileSync(f, 'utf8')).join('\n');
    const counters = FAULT_KINDS.flatMap((k) => k.counters);
    expect([...counters].sort()).toEqual([...FAULT_COUNTERS].sort());
    for (const c of counters) expect(code.includes(`'${c}'`) && /faultStat/.test(code), c).toBe(true);
  });

  it('swarm draws among exactly the kinds with a swarm part', () => {
    const swarmable = FAULT_KINDS.filter((k) => k.swarm).map((k) => k.name);
    const seen = new Set<string>();
    for (let seed = 0; seed < 200; seed++) for (const k of drawSwarm(seed).kinds) seen.add(k);
    expect([...seen].sort()).toEqual([...swarmable].sort());
  });

  it('the header names every optional kind that is on, and none that is off', () => {
    const allOn = { ...DEFAULT_FAULTS, ...GROUP_DEFAULTS } as RunConfig['faults'];
    const on = injectedFaults({ faults: allOn } as RunConfig);
    expect(on.length).toBe(OPTIONAL_GROUPS.length);
    expect(injectedFaults({ faults: DEFAULT_FAULTS } as RunConfig)).toEqual(OPTIONAL_GROUPS.filter((g) => DEFAULT_FAULTS[g] !== undefined).map(() => expect.any(String)));
  });
});
