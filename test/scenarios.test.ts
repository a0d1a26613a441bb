/**
 * Scenario files and fault flags: every shipped scenario loads, bad files
 * are refused in one line naming the file, the key and what is allowed,
 * flags override scenario fields, and --swarm draws from the seed.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { ROOT, runCli, scratchDir } from './helpers.js';
import { listScenarios, loadScenario } from '../torture/scenario/load.js';
import { locateJsonError } from '../torture/scenario/schema.js';
import { resolveRunConfig } from '../torture/run/resolve-config.js';
import { faultRequestFromOptions } from '../torture/cli/fault-options.js';
import { UsageError } from '../torture/run/parse.js';
import { drawSwarm } from '../torture/faults/swarm.js';
import { readerShares } from '../torture/faults/reader-behaviour.js';
import { DEFAULT_FAULTS } from '../torture/run/config.js';

const REQUIRED = ['default', 'sleepy-readers', 'vcpu-busy-loops', 'callback-flood', 'drain-storm',
  'registration-churn', 'preempt-storm', 'wrap-around', 'slow-callbacks', 'soak'];

function scenarioFile(text: string): string {
  const file = join(scratchDir(), 'mine.json');
  writeFileSync(file, text);
  return file;
}

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('shipped scenarios', () => {
  it('every scenario the issue asks for ships as a file, and every file loads with a description', () => {
    const files = readdirSync(join(ROOT, 'scenarios')).map((f) => f.replace(/\.json$/, ''));
    for (const name of REQUIRED) expect(files).toContain(name);
    const listed = listScenarios();
    expect(listed.map((s) => s.name).sort()).toEqual(files.sort());
    for (const s of listed) expect(s.description.length).toBeGreaterThan(10);
  });

  it('a scenario names only what differs: the rest comes from the defaults', () => {
    const d = loadScenario('default');
    expect(d.faults).toEqual(DEFAULT_FAULTS);
    const w = loadScenario('wrap-around');
    expect(w.counterMode).toBe('narrow');
    expect(w.counterBits).toBeLessThanOrEqual(4);
    expect(w.faults.points?.match).toContain('read_lock:after-load');
    expect(w.faults.reader).toEqual(DEFAULT_FAULTS.reader);
    expect(loadScenario('vcpu-busy-loops').faults.busyLoop).toBeDefined();
  });

  it('an unknown scenario name is refused with a suggestion', () => {
    expect(usageMessage(() => loadScenario('sleepy-reader'))).toMatch(/unknown scenario "sleepy-reader" \(did you mean "sleepy-readers"\?\)/);
  });
});

describe('scenario files: validation', () => {
  it('an unknown key names the file, the full key path and the keys allowed there', () => {
    const file = scenarioFile('{"description": "x", "faults": {"sleeps": {"probabilty": 0.1}}}');
    const msg = usageMessage(() => loadScenario(file));
    expect(msg).toContain(file);
    expect(msg).toContain('unknown key "faults.sleeps.probabilty"');
    expect(msg).toMatch(/allowed here: readers, probability, minMs, maxMs, outsideProbability/);
  });

  it('a bad value names the key and what is allowed', () => {
    const msg = usageMessage(() => loadScenario(scenarioFile('{"description": "x", "faults": {"busyLoop": {"maxSpinMs": "never"}}}')));
    expect(msg).toMatch(/bad value "never" for "faults.busyLoop.maxSpinMs": must be milliseconds from 1 to 86400000, or "forever"/);
    const msg2 = usageMessage(() => loadScenario(scenarioFile('{"description": "x", "counterBits": 64}')));
    expect(msg2).toMatch(/bad value 64 for "counterBits": must be a whole number from 3 to 32/);
  });

  it('a missing description and an upside-down range are refused', () => {
    expect(usageMessage(() => loadScenario(scenarioFile('{}')))).toMatch(/"description" is required/);
    expect(usageMessage(() => loadScenario(scenarioFile('{"description": "x", "faults": {"sleeps": {"minMs": 5, "maxMs": 1}}}'))))
      .toMatch(/sleeps.minMs\/maxMs: the minimum 5 is above the maximum 1/);
  });

  it('malformed JSON names the line and column', () => {
    const msg = usageMessage(() => loadScenario(scenarioFile('{\n  "description": "x",\n  "readers": ,\n}')));
    expect(msg).toMatch(/malformed JSON at line 3, column 14/);
    expect(locateJsonError('[1, 2')).toMatchObject({ line: 1, column: 6 });
    expect(locateJsonError('{"a": tru}')).toMatchObject({ line: 1, column: 7 });
  });

  it('the CLI exits 2 naming the unknown key, and writes no run folder', async () => {
    const results = scratchDir();
    const file = scenarioFile('{"description": "x", "fakewriter": 3}');
    const r = await runCli(['--scenario', file, '--duration', '1s', '--results', results]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown key "fakewriter" \(allowed here: description, readers, fakewriters,/);
    expect(readdirSync(results)).toEqual([]);
  });
});

describe('fault flags', () => {
  const request = (o: Parameters<typeof faultRequestFromOptions>[0], scenario = 'sleepy-readers') =>
    resolveRunConfig({ variant: 'qemu-v0', scenario, durationMs: 1000, seed: 7, ...faultRequestFromOptions(o) });

  it('override the scenario key by key, turn groups on and off, and set preemption points', async () => {
    const cfg = await request({
      sleeps: 'probability=0.5', busyLoops: 'readers=0.5,maxSpinMs=forever', stutter: 'off',
      updaterMix: 'drain=9,callBurst=2', preempt: 'enqueue:*,read_lock:*', preemptProb: '0.2', preemptMs: '1-3',
    });
    const base = loadScenario('sleepy-readers').faults;
    expect(cfg.faults.sleeps).toEqual({ ...base.sleeps, probability: 0.5 });
    expect(cfg.faults.busyLoop).toEqual({ readers: 0.5, maxSpinMs: 'forever' });
    expect(cfg.faults.stutter).toBeUndefined();
    expect(cfg.faults.fakewriter.weights).toEqual({ ...DEFAULT_FAULTS.fakewriter.weights, drain: 9 });
    expect(cfg.faults.fakewriter.callBurst).toBe(2);
    expect(cfg.faults.points).toEqual({ match: ['enqueue:*', 'read_lock:*'], probability: 0.2, minMs: 1, maxMs: 3 });
    const off = await request({ sleeps: 'off' });
    expect(off.faults.sleeps).toBeUndefined();
  });

  it('--stall-timeout overrides the scenario\'s stall timeout', async () => {
    // call-rcu-storm sets its own stall timeout (5 s).
    expect(loadScenario('call-rcu-storm').stallTimeoutMs).toBe(5000);
    const sc = await resolveRunConfig({ variant: 'qemu-v0', scenario: 'call-rcu-storm', durationMs: 1000 });
    expect(sc.stallTimeoutMs).toBe(5000);
    const cli = await resolveRunConfig({ variant: 'qemu-v0', scenario: 'call-rcu-storm', durationMs: 1000, stallTimeoutMs: 1234 });
    expect(cli.stallTimeoutMs).toBe(1234);
  });

  it('a bad flag value is one line naming the flag, the key and what is allowed', () => {
    expect(usageMessage(() => faultRequestFromOptions({ sleeps: 'probability=2' })))
      .toBe('bad --sleeps: bad value 2 for "probability": must be a number from 0 to 1');
    expect(usageMessage(() => faultRequestFromOptions({ flood: 'flooders=2,speed=9' })))
      .toMatch(/bad --flood: unknown key "speed" \(allowed here: flooders, burst/);
    expect(usageMessage(() => faultRequestFromOptions({ updaterMix: 'drain=x' })))
      .toMatch(/bad --updater-mix: bad value "x" for "drain": must be a weight from 0 to 1000/);
    expect(usageMessage(() => faultRequestFromOptions({ churn: 'churners' }))).toMatch(/use key=value pairs/);
    expect(usageMessage(() => faultRequestFromOptions({ preemptMs: '3-' }))).toMatch(/bad --preempt-ms "3-"/);
  });

  it('the CLI refuses a bad fault flag with exit 2', async () => {
    const r = await runCli(['--busy-loops', 'maxSpinMs=-1', '--duration', '1s', '--results', scratchDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad --busy-loops: bad value -1 for "maxSpinMs"/);
  });
});

describe('swarm and reader shares', () => {
  it('a seed always draws the same fault kinds, different seeds draw different ones, and the run config records them', async () => {
    expect(drawSwarm(42)).toEqual(drawSwarm(42));
    const draws = new Set(Array.from({ length: 20 }, (_, i) => drawSwarm(i).kinds.join(',')));
    expect(draws.size).toBeGreaterThan(10);
    for (let i = 0; i < 20; i++) expect(drawSwarm(i).kinds.length).toBeGreaterThan(0);
    const cfg = await resolveRunConfig({ variant: 'qemu-v0', durationMs: 1000, seed: 42, swarm: true });
    expect(cfg.swarm).toEqual(drawSwarm(42).kinds);
    // A kind not drawn is off; a drawn optional kind is on.
    expect(cfg.faults.busyLoop !== undefined).toBe(cfg.swarm!.includes('busy-loops'));
    expect(cfg.faults.flood !== undefined).toBe(cfg.swarm!.includes('flood'));
  });

  it('busy loopers take the first reader slots, then sleepy readers, the rest are plain', () => {
    const faults = { ...DEFAULT_FAULTS, busyLoop: { readers: 0.25, maxSpinMs: 100 }, sleeps: { readers: 0.5, probability: 0, minMs: 0, maxMs: 0, outsideProbability: 0 } };
    expect(readerShares({ readers: 8, faults })).toEqual({ busy: 2, sleepy: 4, plain: 2 });
    expect(readerShares({ readers: 3, faults: DEFAULT_FAULTS })).toEqual({ busy: 0, sleepy: 0, plain: 3 });
  });
});
