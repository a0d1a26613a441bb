/**
 * The layering rules of DESIGN.md, checked on the source: implementations
 * reach shared memory, time and threads only through the Platform; lib/
 * never depends on the harness; the harness never names a flavor.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './helpers.js';
import { FLAVORS } from '../lib/rcu/registry.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Source text without comments, so that prose may mention what code must not use. */
function code(path: string): string {
  return readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('layering', () => {
  it('lib/rcu touches no Atomics, SharedArrayBuffer, clock, timer, Math.random or worker_threads directly', () => {
    const forbidden = /\bAtomics\b|\bSharedArrayBuffer\b|\bDate\b|\bperformance\b|Math\.random|\bset(Timeout|Interval|Immediate)\b|worker_threads/;
    const offenders = sources(join(ROOT, 'lib/rcu')).filter((f) => forbidden.test(code(f)));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('lib/ never imports the harness', () => {
    const offenders = sources(join(ROOT, 'lib')).filter((f) => /from\s+['"][./]*\/torture\//.test(code(f)) || /from\s+['"]\.\.\/\.\.\/torture/.test(code(f)));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('torture/ never names a shipped flavor in its code (it knows flavors only through the ops table)', () => {
    // 'qsbr' is also the name of a capability (caps.qsbr), which the harness may name.
    const capKeys = Object.keys(FLAVORS[0].caps);
    const names = FLAVORS.map((f) => f.name).filter((n) => !capKeys.includes(n));
    const offenders: string[] = [];
    for (const f of sources(join(ROOT, 'torture'))) {
      const literals = code(f).match(/(['"`])(?:(?!\1).)*\1/g) ?? [];
      for (const lit of literals) for (const n of names) if (lit.includes(n)) offenders.push(`${relative(ROOT, f)}: ${lit}`);
    }
    expect(offenders).toEqual([]);
  });
});
