/**
 * Bad input, through the real CLI: each case exits 2 with exactly one line
 * on stderr naming the bad value (and, where there is one, the nearest good
 * name), prints nothing on stdout, and leaves no results folder behind:
 * everything is validated before anything is created.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from './helpers.js';
import { SIM_ENGINE_VERSION } from '../lib/platform/sim/scheduler.js';

interface Case {
  what: string;
  args: (results: string, scratch: string) => string[];
  /** Text the one line must contain (the bad value, a suggestion). */
  says: string[];
  /** Extra files the case needs in its scratch folder, made before it runs. */
  prepare?: (scratch: string) => void;
  /** Only where the check can mean something (permission bits do not bind root). */
  skip?: boolean;
}

/** A scenario file with a stray comma on line 3. */
const BAD_SCENARIO = '{\n  "description": "broken",\n  "readers": 4,,\n  "faults": {}\n}\n';

const run = (...a: string[]) => (results: string) => [...a, '--results', results];
const soak = (...a: string[]) => (results: string) => ['soak', ...a, '--duration-each', '1s', '--results', results];

/** A shard's soak.json, by hand: the matrix qemu-v0 x default x `seeds`, shards given, these cases done. */
function soakJson(o: { seeds?: number; shard?: [number, number]; done?: number[]; final?: boolean } = {}): string {
  const [index, count] = o.shard ?? [1, 1];
  const done = o.done ?? [0];
  const final = o.final ?? true;
  return JSON.stringify({
    tool: 'rcutorture', kind: 'soak', version: '0.1.0', verdict: final ? 'SUCCESS' : 'RUNNING', final,
    matrix: { variants: ['qemu-v0'], scenarios: ['default'], seeds: o.seeds ?? 2, seedBase: 1, durationEachMs: 1000 },
    shards: [{ index, count }], planned: done, missing: [], totals: {}, interrupted: false, exitCode: final ? 0 : null,
    startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1000,
    cases: done.map((k) => ({ k, variant: 'qemu-v0', scenario: 'default', seedIndex: k, seed: k + 1, verdict: 'SUCCESS', durationMs: 1000,
      failures: {}, stalls: [], examples: [], interrupted: false, exitCode: 0 })),
  });
}

const put = (rel: string, text: string) => (scratch: string) => {
  const parts = rel.split('/');
  if (parts.length > 1) mkdirSync(join(scratch, ...parts.slice(0, -1)), { recursive: true });
  writeFileSync(join(scratch, rel), text);
};

/** A schedule file (just enough for replay to read it) with the id of some schedule. */
const schedule = (id: string) => `engine: ${SIM_ENGINE_VERSION}\nversion: 0.1.0\nvariant: qemu-v0\nscenario: default\nschedule: 0\nseed: 1\nparams: {}\nconfig: {}\nid: ${id}\ndecisions: 0\n`;

const READ_ONLY = 'read-only';
const asRoot = process.getuid?.() === 0;

/** Paths on special file systems, read-only folders and files in the way, for every command that writes. */
const SPECIAL_PATH_CASES: Case[] = [
  { what: 'run --results under /proc', args: () => ['--duration', '1s', '--results', '/proc/x'], says: ['--results "/proc/x"', 'ENOENT'] },
  { what: 'run --results under /sys', args: () => ['--duration', '1s', '--results', '/sys/x'], says: ['--results "/sys/x"'] },
  { what: 'run --junit under /proc', args: (r) => ['--duration', '1s', '--results', r, '--junit', '/proc/x/j.xml'], says: ['--junit "/proc/x/j.xml"'] },
  { what: 'run --junit naming a directory', args: (r, s) => ['--duration', '1s', '--results', r, '--junit', join(s, 'empty')], says: ['--junit', 'is a directory'] },
  {
    what: 'run --results in a read-only folder', skip: asRoot, args: (_r, s) => ['--duration', '1s', '--results', join(s, READ_ONLY, 'results')],
    says: ['--results', READ_ONLY], prepare: (s) => { mkdirSync(join(s, READ_ONLY)); chmodSync(join(s, READ_ONLY), 0o555); },
  },
  { what: 'compare --results under /proc', args: () => ['compare', '--variants', 'qemu-v0,qemu-v1', '--results', '/proc/x'], says: ['--results "/proc/x"'] },
  { what: 'compare --results under /sys', args: () => ['compare', '--variants', 'qemu-v0,qemu-v1', '--results', '/sys/x'], says: ['--results "/sys/x"'] },
  { what: 'compare --results through a file', args: (_r, s) => ['compare', '--variants', 'qemu-v0,qemu-v1', '--results', join(s, 'a-file', 'r')], says: ['a-file', 'not a directory'] },
  { what: 'soak --results under /proc', args: () => ['soak', '--duration-each', '1s', '--results', '/proc/x'], says: ['--results "/proc/x"'] },
  { what: 'soak --results under /sys', args: () => ['soak', '--duration-each', '1s', '--results', '/sys/x'], says: ['--results "/sys/x"'] },
  { what: 'soak --junit under /proc', args: (r) => ['soak', '--duration-each', '1s', '--results', r, '--junit', '/proc/x/j.xml'], says: ['--junit "/proc/x/j.xml"'] },
  { what: 'mutants --results under /proc', args: () => ['mutants', '--budget', '1s', '--results', '/proc/x'], says: ['--results "/proc/x"'] },
  { what: 'mutants --results under /sys', args: () => ['mutants', '--budget', '1s', '--results', '/sys/x'], says: ['--results "/sys/x"'] },
  { what: 'merge --out under /proc', args: (_r, s) => ['merge', join(s, 'shard'), '--out', '/proc/x'], says: ['--out "/proc/x"'], prepare: put('shard/soak.json', soakJson({ seeds: 1 })) },
  { what: 'merge --junit under /sys', args: (_r, s) => ['merge', join(s, 'shard'), '--junit', '/sys/x/j.xml'], says: ['--junit "/sys/x/j.xml"'], prepare: put('shard/soak.json', soakJson({ seeds: 1 })) },
  { what: 'replay --trace-out under /proc', args: (_r, s) => ['replay', join(s, 'schedule.txt'), '--trace-out', '/proc/x/t.txt'], says: ['--trace-out "/proc/x/t.txt"'], prepare: put('schedule.txt', schedule('aaaa')) },
];

const scenario = (text: string) => ({ prepare: put('sc.json', text), args: (r: string, s: string) => ['--duration', '1s', '--scenario', join(s, 'sc.json'), '--results', r] });

/** Scenario files: empty, huge, wrong types at every nesting level, JSON that parses but must not pass. */
const SCENARIO_CASES: Case[] = [
  { what: 'empty scenario file', ...scenario(''), says: ['sc.json', 'malformed JSON'] },
  { what: 'huge scenario file', ...scenario(`{"description": "x", "readers": ${' '.repeat(3 << 20)}4}`), says: ['sc.json', 'at most'] },
  { what: 'scenario that is an array', ...scenario('[]'), says: ['sc.json', 'must be a JSON object'] },
  { what: 'scenario description of the wrong type', ...scenario('{"description": 5}'), says: ['"description"', '5'] },
  { what: 'scenario readers of the wrong type', ...scenario('{"description": "d", "readers": "four"}'), says: ['"readers"', '"four"'] },
  { what: 'scenario faults of the wrong type', ...scenario('{"description": "d", "faults": 3}'), says: ['"faults"', '3'] },
  { what: 'scenario fault group of the wrong type', ...scenario('{"description": "d", "faults": {"flood": "many"}}'), says: ['"faults.flood"', '"many"'] },
  { what: 'scenario fault key of the wrong type', ...scenario('{"description": "d", "faults": {"flood": {"burst": "x"}}}'), says: ['"faults.flood.burst"', '"x"'] },
  { what: 'scenario weight of the wrong type (fourth level)', ...scenario('{"description": "d", "faults": {"fakewriter": {"weights": {"drain": "x"}}}}'), says: ['"faults.fakewriter.weights.drain"'] },
  { what: 'scenario key given twice', ...scenario('{"description": "d", "readers": 2, "readers": 8}'), says: ['key "readers" is given twice'] },
  { what: 'scenario fault key given twice', ...scenario('{"description": "d", "faults": {"flood": {"burst": 1, "burst": 2}}}'), says: ['key "faults.flood.burst" is given twice'] },
  { what: 'scenario number too large (1e999)', ...scenario('{"description": "d", "readers": 1e999}'), says: ['"readers"', '1e999'] },
  { what: 'scenario description with a newline', ...scenario('{"description": "two\\nlines"}'), says: ['"description"', 'one-line'] },
  { what: 'scenario stall timeout below 100 ms', ...scenario('{"description": "d", "stallTimeoutMs": 1}'), says: ['"stallTimeoutMs"', '100'] },
];

/** Values, shard sets, foreign files and --impl modules across the other commands. */
const MORE_CASES: Case[] = [
  { what: '--stall-timeout below the scenario files\' limit', args: run('--duration', '1s', '--stall-timeout', '1ms'), says: ['--stall-timeout "1ms"', '100ms'] },
  { what: 'soak --stall-timeout below the limit', args: soak('--stall-timeout', '50ms'), says: ['--stall-timeout "50ms"'] },
  { what: 'mutants --stall-timeout below the limit', args: (r) => ['mutants', '--stall-timeout', '10ms', '--results', r], says: ['--stall-timeout "10ms"'] },
  { what: '--duration below a millisecond', args: run('--duration', '0.1ms'), says: ['--duration "0.1ms"', 'at least 1ms'] },
  { what: 'unknown command', args: () => ['frobnicate'], says: ['unknown command "frobnicate"'] },
  { what: 'a value split from its unit (--duration 5 s)', args: run('--duration', '5', 's'), says: ['unexpected word "s"', 'did you mean --duration 5s'] },
  { what: 'unknown command, nearest suggested', args: () => ['compre'], says: ['"compre"', 'did you mean "compare"'] },
  { what: 'compare with one variant', args: (r) => ['compare', '--variants', 'qemu-v0', '--results', r], says: ['--variants "qemu-v0"'] },
  { what: 'compare --trials 0', args: (r) => ['compare', '--variants', 'qemu-v0,qemu-v1', '--trials', '0', '--results', r], says: ['--trials "0"'] },
  { what: 'compare unknown variant', args: (r) => ['compare', '--variants', 'qemu-v0,qemu-v7', '--results', r], says: ['"qemu-v7"'] },
  { what: 'mutants --only unknown', args: (r) => ['mutants', '--only', 'nosuch', '--results', r], says: ['"nosuch"'] },
  { what: 'mutants --budget 0', args: (r) => ['mutants', '--budget', '0', '--results', r], says: ['--budget "0"'] },
  { what: 'mutants --seeds 0', args: (r) => ['mutants', '--seeds', '0', '--results', r], says: ['--seeds "0"'] },
  { what: 'merge with a missing shard', args: (_r, s) => ['merge', join(s, 'shard')], says: ['cases 1', 'shard 2/2'], prepare: put('shard/soak.json', soakJson({ shard: [1, 2], done: [0] })) },
  { what: 'merge of a shard that did not finish', args: (_r, s) => ['merge', join(s, 'shard')], says: ['cases 1', 'unfinished'], prepare: put('shard/soak.json', soakJson({ done: [0], final: false })) },
  { what: 'merge of an empty soak.json', args: (_r, s) => ['merge', join(s, 'shard')], says: ['bad soak summary', 'soak.json'], prepare: put('shard/soak.json', '') },
  { what: 'merge of a soak.json of another kind', args: (_r, s) => ['merge', join(s, 'shard')], says: ['bad soak summary', 'not written by'], prepare: put('shard/soak.json', '{"kind": "run"}') },
  {
    what: 'merge of shards of different matrices', args: (_r, s) => ['merge', join(s, 'a'), join(s, 'b')], says: ['different matrices'],
    prepare: (s) => { put('a/soak.json', soakJson({ shard: [1, 2], done: [0] }))(s); put('b/soak.json', soakJson({ seeds: 3, shard: [2, 2], done: [1] }))(s); },
  },
  {
    what: 'merge of the same shard twice', args: (_r, s) => ['merge', join(s, 'a'), join(s, 'b')], says: ['case 0', 'both'],
    prepare: (s) => { put('a/soak.json', soakJson({ shard: [1, 2], done: [0] }))(s); put('b/soak.json', soakJson({ shard: [1, 2], done: [0] }))(s); },
  },
  { what: 'report of a folder that does not exist', args: (_r, s) => ['report', join(s, 'nowhere')], says: ['nowhere'] },
  { what: 'report of a malformed summary.json', args: (_r, s) => ['report', join(s, 'run')], says: ['summary.json', 'not readable JSON'], prepare: put('run/summary.json', '{"verdict": ') },
  { what: 'report of a summary.json of another shape', args: (_r, s) => ['report', join(s, 'run')], says: ['summary.json', 'not a run summary'], prepare: put('run/summary.json', '{}') },
  { what: 'replay of a schedule that does not exist', args: (_r, s) => ['replay', join(s, 'nowhere.txt')], says: ['nowhere.txt'] },
  { what: 'replay of an empty schedule file', args: (_r, s) => ['replay', join(s, 'schedule.txt')], says: ['schedule.txt', 'no "engine:" line'], prepare: put('schedule.txt', '') },
  {
    what: 'replay with the trace of another schedule', args: (_r, s) => ['replay', join(s, 'schedule.txt'), '--trace', join(s, 'other-trace.txt')],
    says: ['--trace', 'other-trace.txt', 'bbbb'], prepare: (s) => { put('schedule.txt', schedule('aaaa'))(s); put('other-trace.txt', '# schedule-id: bbbb\n1 t0 load\n')(s); },
  },
  { what: '--impl whose flavor throws in attach()', args: run('--duration', '1s', '--impl', 'test/fixtures/impl-attach-throws.mjs'), says: ['impl-attach-throws.mjs', 'attach() threw', 'fixture: attach refuses'] },
  { what: '--impl module that throws at import', args: run('--duration', '1s', '--impl', 'test/fixtures/impl-throws.mjs'), says: ['impl-throws.mjs', 'refuses to load'] },
  { what: 'list of an unknown kind', args: () => ['list', 'nosuch'], says: ['"nosuch"'] },
];

const CASES: Case[] = [
  { what: 'duration with an unknown unit', args: run('--duration', '10x'), says: ['"10x"', 'unit'] },
  { what: 'negative duration', args: run('--duration', '-5s'), says: ['"-5s"'] },
  { what: 'zero duration', args: run('--duration', '0'), says: ['"0"'] },
  { what: 'empty duration', args: run('--duration', ''), says: ['--duration ""'] },
  { what: 'absurdly long duration', args: run('--duration', '400d'), says: ['"400d"', 'at most'] },
  { what: 'negative count', args: run('--duration', '1s', '--readers', '-1'), says: ['"-1"', 'from 1 to 64'] },
  { what: 'fractional count', args: run('--duration', '1s', '--fakewriters', '1.5'), says: ['"1.5"', 'whole number'] },
  { what: 'count beyond sane limits', args: run('--duration', '1s', '--readers', '100000'), says: ['"100000"', 'from 1 to 64'] },
  { what: 'unknown variant, nearest suggested', args: run('--duration', '1s', '--variant', 'qemu-v9'), says: ['"qemu-v9"', 'did you mean'] },
  { what: 'unknown scenario, nearest suggested', args: run('--duration', '1s', '--scenario', 'defualt'), says: ['"defualt"', 'did you mean "default"'] },
  {
    what: 'malformed scenario JSON, with line and column',
    args: (results, scratch) => ['--duration', '1s', '--scenario', join(scratch, 'bad.json'), '--results', results],
    says: ['bad.json', 'malformed JSON at line 3, column'],
  },
  {
    what: 'results directory that cannot be made (a file in the way)',
    args: (_r, scratch) => ['--duration', '1s', '--results', join(scratch, 'a-file', 'results')],
    says: ['a-file', 'not a directory'],
  },
  {
    what: '--junit into a directory that cannot be made',
    args: (results, scratch) => ['--duration', '1s', '--results', results, '--junit', join(scratch, 'a-file', 'junit.xml')],
    says: ['--junit', 'a-file'],
  },
  { what: 'soak --shard 3/2', args: soak('--shard', '3/2'), says: ['"3/2"', 'i/n'] },
  { what: 'soak --shard 0/2', args: soak('--shard', '0/2'), says: ['"0/2"'] },
  { what: 'soak --shard 1/0', args: soak('--shard', '1/0'), says: ['"1/0"'] },
  { what: 'soak --shard garbage', args: soak('--shard', 'half'), says: ['"half"'] },
  { what: 'soak negative seeds', args: soak('--seeds', '-2'), says: ['--seeds "-2"'] },
  { what: 'soak fractional seeds', args: soak('--seeds', '2.5'), says: ['--seeds "2.5"'] },
  { what: 'soak too many seeds', args: soak('--seeds', '99999999'), says: ['--seeds "99999999"'] },
  { what: 'soak bad --duration-each', args: (r) => ['soak', '--duration-each', '10x', '--results', r], says: ['--duration-each "10x"'] },
  { what: 'soak unknown variant in the list', args: soak('--variants', 'qemu-v0,qemu-v9'), says: ['"qemu-v9"', 'did you mean'] },
  { what: 'soak unknown scenario in the list', args: soak('--scenarios', 'defualt'), says: ['"defualt"', 'did you mean "default"'] },
  { what: 'soak empty name in a list', args: soak('--variants', 'qemu-v0,,busted'), says: ['"qemu-v0,,busted"'] },
  { what: 'merge of a folder with no soak.json', args: (_r, scratch) => ['merge', join(scratch, 'empty')], says: ['no soak.json'] },
  { what: 'merge of a folder that does not exist', args: (_r, scratch) => ['merge', join(scratch, 'nowhere')], says: ['nowhere', 'not a directory'] },
  ...SPECIAL_PATH_CASES,
  ...SCENARIO_CASES,
  ...MORE_CASES,
];

/** Every file under `dir`, relative, with its size: what "nothing written" compares. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      out.push(`${relative(dir, p)} ${st.isDirectory() ? 'dir' : st.size}`);
    }
  };
  walk(dir);
  return out;
}

describe.concurrent('bad input: exit 2, one line naming the value, nothing written', () => {
  it('the table covers at least 40 bad inputs beyond the basic values', () => {
    expect(SPECIAL_PATH_CASES.length + SCENARIO_CASES.length + MORE_CASES.length).toBeGreaterThanOrEqual(40);
  });
  for (const c of CASES) {
    it.skipIf(c.skip === true)(c.what, async () => {
      const scratch = scratchDir();
      writeFileSync(join(scratch, 'a-file'), 'in the way\n');
      mkdirSync(join(scratch, 'empty'));
      writeFileSync(join(scratch, 'bad.json'), BAD_SCENARIO);
      c.prepare?.(scratch);
      const before = listing(scratch);
      const results = join(scratch, 'results');
      const r = await runCli(c.args(results, scratch), { timeoutMs: 30_000 });
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^rcutorture: /);
      for (const s of c.says) expect(lines[0]).toContain(s);
      expect(r.stdout).toBe('');
      // Validated before anything was created: no results folder, every file as it was (no temp files either).
      expect(existsSync(results)).toBe(false);
      expect(listing(scratch)).toEqual(before);
      expect(readFileSync(join(scratch, 'a-file'), 'utf8')).toBe('in the way\n');
      // A special path answers at once: no spinning mkdir.
      expect(r.ms).toBeLessThan(15_000);
    });
  }
});
