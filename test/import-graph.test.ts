/**
 * The harness's module graph: no value-level import cycle anywhere in the
 * sources (type-only imports aside: they vanish from the compiled code), and
 * nothing but the CLI itself and the programmatic API imports torture/cli/.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './helpers.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** The relative modules a file imports at run time: `import type`, `export type` and all-`type` specifier lists left out. */
export function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const out: string[] = [];
  const stmt = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*'(\.{1,2}\/[^']+)'/gm;
  for (const m of text.matchAll(stmt)) {
    if (m[2]) continue;
    const braces = /^\{([^}]*)\}$/.exec(m[3].trim());
    if (braces && braces[1].split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '))) continue;
    out.push(m[4]);
  }
  for (const m of text.matchAll(/^\s*import\s+'(\.{1,2}\/[^']+)'/gm)) out.push(m[1]);
  return out.map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts'))).filter((p) => existsSync(p));
}

function graph(): Map<string, string[]> {
  const files = [...sources(join(ROOT, 'lib')), ...sources(join(ROOT, 'torture')), join(ROOT, 'index.ts')];
  return new Map(files.map((f) => [f, valueImports(f)]));
}

/** Every cycle's members, found by depth-first search (one representative path per cycle). */
function cycles(g: Map<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of g.get(n) ?? []) {
      if (state.get(m) === 'open') found.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of g.keys()) if (!state.has(n)) visit(n);
  return found;
}

describe('import graph', () => {
  it('has no value-level import cycle', () => {
    const found = cycles(graph()).map((c) => c.map((f) => relative(ROOT, f)).join(' -> '));
    expect(found).toEqual([]);
  });

  it('the cycle finder sees a cycle when there is one (so the test above can fail)', () => {
    const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    expect(cycles(g)).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('type-only imports are not value imports; value imports are', () => {
    const g = graph();
    const runner = g.get(join(ROOT, 'torture/engines/sim/runner.ts'))!.map((f) => relative(ROOT, f));
    expect(runner).toContain('torture/run/version.ts');
    expect(runner).not.toContain('torture/run/options.ts');   // import type { LineKind, RunOptions }
  });

  it('a threads worker loads neither the C path nor the histogram library (its start-up counts against --duration)', () => {
    const g = graph();
    const seen = new Set<string>();
    const walk = (f: string) => { if (seen.has(f)) return; seen.add(f); for (const d of g.get(f) ?? []) walk(d); };
    walk(join(ROOT, 'torture/engines/threads/worker.ts'));
    const names = [...seen].map((f) => relative(ROOT, f));
    expect(names).toContain('torture/roles/reader.ts');
    expect(names.filter((f) => f.startsWith('torture/c/') && f !== 'torture/c/impl-kind.ts')).toEqual([]);
    expect(names.filter((f) => f.startsWith('lib/wasm/'))).toEqual([]);
    expect(names).not.toContain('torture/report/latency.ts');
  });

  it('nothing but torture/cli/ itself and the programmatic API imports torture/cli/', () => {
    const cli = join(ROOT, 'torture/cli') + '/';
    const offenders = [...graph()].filter(([f, deps]) => !f.startsWith(cli) && f !== join(ROOT, 'torture/api.ts') && deps.some((d) => d.startsWith(cli)));
    expect(offenders.map(([f]) => relative(ROOT, f))).toEqual([]);
  });
});
