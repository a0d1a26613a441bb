/**
 * --impl: a module that does not satisfy the ops table is refused with exit 2
 * and one line naming what is missing; one that does is tortured, by default
 * its first flavor.
 */
import { describe, expect, it } from 'vitest';
import { checkFlavor } from '../torture/run/flavors.js';
import { UsageError } from '../torture/run/parse.js';
import { runCli, scratchDir } from './helpers.js';

/** A minimal flavor that passes every check; tests break one thing at a time. */
function okFlavor(over: Record<string, unknown> = {}, inst: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'test-ok', kind: 'variant',
    caps: { callRcu: true, drain: false, barrier: false, force: false, fifoCallbacks: false, qsbr: false },
    layout: () => [{ name: 'cell', words: 1, init: () => [7] }],
    attach: () => ({
      registerThread() {}, unregisterThread() {}, readLock() {}, readUnlock() {}, synchronize() {}, callRcu() {},
      background: [], ...inst,
    }),
    ...over,
  };
}

describe.concurrent('--impl refuses a module that does not satisfy the ops table (exit 2, one line)', () => {
  const refused = async (fixture: string, says: string) => {
    const r = await runCli(['--impl', `test/fixtures/${fixture}`, '--duration', '1s', '--results', scratchDir()], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`--impl test/fixtures/${fixture}: ${says}`);
    expect(r.stdout).toBe('');
  };

  it('a flavor whose instance has no synchronize()', () => refused('impl-no-synchronize.mjs', 'flavor "test-no-synchronize" has no synchronize()'));
  it('a module exporting no flavor', () => refused('impl-no-flavor.mjs', 'exports no flavor'));
  it('a module that throws while loading, with its error', () => refused('impl-throws.mjs', 'cannot load: Error: this module refuses to load'));
  it('a path that does not exist', () => refused('impl-missing.mjs', 'no such file'));
});

describe('checkFlavor names what is wrong with a flavor object', () => {
  const says = (f: unknown) => {
    try {
      checkFlavor(f, 'export "x"');
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      return (e as Error).message;
    }
    return 'accepted';
  };

  it('accepts a complete one and fills in its description', () => {
    expect(says(okFlavor())).toBe('accepted');
    expect(checkFlavor(okFlavor(), 'a module').description).toBe('from a module');
  });
  it('a missing name, kind, capability or attach', () => {
    expect(says(okFlavor({ name: undefined }))).toBe('export "x" has no name');
    expect(says(okFlavor({ kind: 'flavour' }))).toBe('flavor "test-ok" has kind "flavour": use "variant" or "mutant"');
    expect(says(okFlavor({ caps: { callRcu: true } }))).toBe('flavor "test-ok" caps has no drain, barrier, force, fifoCallbacks, qsbr (booleans)');
    expect(says(okFlavor({ attach: undefined }))).toBe('flavor "test-ok" has no attach()');
  });
  it('instance methods missing, or missing for a declared capability', () => {
    expect(says(okFlavor({}, { readLock: undefined, readUnlock: 3 }))).toBe('flavor "test-ok" has no readLock(), readUnlock()');
    expect(says(okFlavor({ caps: { callRcu: true, drain: false, barrier: true, force: false, fifoCallbacks: true, qsbr: false } })))
      .toBe('flavor "test-ok" declares caps.barrier but has no barrier()');
    expect(says(okFlavor({}, { background: undefined }))).toMatch(/^flavor "test-ok" background must be an array/);
  });
  it('an attach that writes shared memory (initial state belongs in layout)', () => {
    const f = okFlavor({
      attach: (p: { store(c: number, v: number): void }, heap: { base(n: string): number }) => {
        p.store(heap.base('cell'), 1);
        return (okFlavor().attach as () => unknown)();
      },
    });
    expect(says(f)).toBe('flavor "test-ok" attach() wrote shared memory (region "cell" cell 0); initial state belongs in layout()');
  });
  it('an attach that blocks is stopped, not waited for', () => {
    const f = okFlavor({ attach: (p: { wait(c: number, v: number): void }) => { p.wait(0, 0); return {}; } });
    expect(says(f)).toMatch(/^flavor "test-ok" attach\(\) threw: PlatformAbort/);
  });
});

describe('--impl without --variant', () => {
  it('tortures the module\'s first flavor: examples/epoch-rcu.mjs is a SUCCESS', async () => {
    const r = await runCli(['--impl', 'examples/epoch-rcu.mjs', '--duration', '2s', '--readers', '2', '--fakewriters', '1',
      '--quiet', '--results', scratchDir()], { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('rcutorture: epoch-rcu default SUCCESS');
    expect(r.code).toBe(0);
  });
});
