/**
 * Bad input, through the real CLI: each case exits 2 with exactly one line
 * on stderr naming the bad value (and, where there is one, the nearest good
 * name), prints nothing on stdout, and leaves no results folder behind:
 * everything is validated before anything is created.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from './helpers.js';

interface Case {
  what: string;
  args: (results: string, scratch: string) => string[];
  /** Text the one line must contain (the bad value, a suggestion). */
  says: string[];
}

/** A scenario file with a stray comma on line 3. */
const BAD_SCENARIO = '{\n  "description": "broken",\n  "readers": 4,,\n  "faults": {}\n}\n';

const run = (...a: string[]) => (results: string) => [...a, '--results', results];
const soak = (...a: string[]) => (results: string) => ['soak', ...a, '--duration-each', '1s', '--results', results];

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
];

describe.concurrent('bad input: exit 2, one line naming the value, nothing written', () => {
  for (const c of CASES) {
    it(c.what, async () => {
      const scratch = scratchDir();
      writeFileSync(join(scratch, 'a-file'), 'in the way\n');
      mkdirSync(join(scratch, 'empty'));
      writeFileSync(join(scratch, 'bad.json'), BAD_SCENARIO);
      const results = join(scratch, 'results');
      const r = await runCli(c.args(results, scratch), { timeoutMs: 30_000 });
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^rcutorture: /);
      for (const s of c.says) expect(lines[0]).toContain(s);
      expect(r.stdout).toBe('');
      // Validated before anything was created: no results folder, the file in the way untouched.
      expect(existsSync(results)).toBe(false);
      expect(readdirSync(scratch).sort()).toEqual(['a-file', 'bad.json', 'empty']);
      expect(readFileSync(join(scratch, 'a-file'), 'utf8')).toBe('in the way\n');
    });
  }
});
