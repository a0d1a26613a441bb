/**
 * --junit: well-formed JUnit XML, one test case per run; a busted run's case
 * carries a <failure> with its class counts, a correct run's none; stall
 * reports and odd characters survive into a document that still parses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { junitXml } from '../torture/report/junit.js';
import { zeroFailures, type CaseResult } from '../torture/report/summary.js';
import { runCli, scratchDir } from './helpers.js';

interface XmlNode { name: string; attrs: Record<string, string>; children: XmlNode[]; text: string }

/**
 * A strict little XML reader, enough to hold JUnit to well-formedness: one
 * root, balanced tags, quoted attributes, only the five named entities and
 * numeric ones, no character XML 1.0 forbids. Throws on anything else.
 */
function parseXml(doc: string): XmlNode {
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(doc)) throw new Error('character not allowed in XML');
  const checkText = (t: string) => {
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(t)) throw new Error(`bad entity in ${JSON.stringify(t.slice(0, 40))}`);
    if (t.includes('<')) throw new Error('stray <');
  };
  const unescape = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  let pos = 0;
  const prolog = /<\?xml[^?]*\?>\s*/y;
  if (prolog.exec(doc)) pos = prolog.lastIndex;
  const open = /<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"]*")*)\s*(\/?)>/y;
  const close = /<\/([A-Za-z_][\w.-]*)\s*>/y;
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  while (pos < doc.length) {
    const top = stack[stack.length - 1];
    if (doc.startsWith('</', pos)) {
      close.lastIndex = pos;
      const m = close.exec(doc);
      if (!m || m[1] !== top.name) throw new Error(`unbalanced </${m?.[1]}> at ${pos}, open: ${top.name}`);
      stack.pop();
      pos = close.lastIndex;
    } else if (doc[pos] === '<') {
      open.lastIndex = pos;
      const m = open.exec(doc);
      if (!m) throw new Error(`malformed tag at ${pos}: ${doc.slice(pos, pos + 40)}`);
      const attrs: Record<string, string> = {};
      for (const a of m[2].matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
        checkText(a[2]);
        if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1]] = unescape(a[2]);
      }
      const node: XmlNode = { name: m[1], attrs, children: [], text: '' };
      if (top === root && root.children.length > 0) throw new Error('more than one root element');
      top.children.push(node);
      if (m[3] !== '/') stack.push(node);
      pos = open.lastIndex;
    } else {
      const end = doc.indexOf('<', pos);
      const text = doc.slice(pos, end < 0 ? doc.length : end);
      checkText(text);
      if (top === root && text.trim() !== '') throw new Error('text outside the root element');
      top.text += unescape(text);
      pos += text.length;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (root.children.length !== 1) throw new Error('no root element');
  return root.children[0];
}

/** A test case's children other than its <properties> (the seed lives there). */
const outcome = (c: XmlNode) => c.children.filter((x) => x.name !== 'properties');
const seedOf = (c: XmlNode) => c.children.find((x) => x.name === 'properties')?.children.find((p) => p.attrs.name === 'seed')?.attrs.value;

const testcases = (doc: XmlNode) => {
  expect(doc.name).toBe('testsuites');
  expect(doc.children).toHaveLength(1);
  expect(doc.children[0].name).toBe('testsuite');
  return doc.children[0].children;
};

describe('junitXml', () => {
  it('is well-formed and carries counts, the stall report and crash text of a failed case', () => {
    const failed: CaseResult = {
      variant: 'v<&>"1', scenario: 'default', seed: 7, verdict: 'FAILURE', durationMs: 1500, interrupted: false, exitCode: 1,
      failures: { ...zeroFailures(), 'gp-stall': 1, 'worker-crash': 1 },
      stalls: [{
        kind: 'gp-stall', atMs: 1200, waiter: { thread: 3, role: 'writer', op: 'synchronize', forMs: 1100 },
        holdouts: [{ thread: 0, role: 'reader', activity: 'sleeping in section', forMs: 1000 }], pendingCallbacks: 4, oldestPendingMs: 900,
      }],
      examples: [{ cls: 'worker-crash', thread: 1, message: 'reader crashed: Error: bad \u0001 byte ]]> & <tag>\n    at readLock (x.js:1:1)' }],
    };
    const ok: CaseResult = { ...failed, variant: 'qemu-v0', seed: 8, verdict: 'SUCCESS', failures: zeroFailures(), stalls: [], examples: [], exitCode: 0 };
    const doc = parseXml(junitXml([failed, ok]));
    expect(doc.attrs).toMatchObject({ tests: '2', failures: '1', errors: '0' });
    const [c1, c2] = testcases(doc);
    // Names stable across runs (CI test history): no seed in them; the seed is a property.
    expect(c1.attrs.name).toBe('v<&>"1 default');
    expect(seedOf(c1)).toBe('7');
    expect(outcome(c1).map((c) => c.name)).toEqual(['failure']);
    expect(outcome(c1)[0].attrs.message).toBe('gp-stall=1 worker-crash=1');
    const body = outcome(c1)[0].text;
    expect(body).toContain('writer (thread 3) stuck in synchronize');
    expect(body).toContain('holdout: reader thread 0, sleeping in section');
    expect(body).toContain('at readLock (x.js:1:1)');
    expect(c2.attrs.name).toBe('qemu-v0 default');
    expect(seedOf(c2)).toBe('8');
    expect(outcome(c2)).toEqual([]);
  });

  it('names a soak\'s seeds by their index, the same in every run', () => {
    const c = (seedIndex: number, seed: number) => ({ variant: 'qemu-v0', scenario: 'default', seed, seedIndex, verdict: 'SUCCESS' as const,
      durationMs: 1, interrupted: false, exitCode: 0, failures: zeroFailures(), stalls: [], examples: [] });
    const names = (seeds: number[]) => testcases(parseXml(junitXml(seeds.map((s, i) => c(i, s))))).map((t) => t.attrs.name);
    expect(names([11, 12])).toEqual(['qemu-v0 default #1', 'qemu-v0 default #2']);
    expect(names([98, 99])).toEqual(names([11, 12]));
  });

  it('an interrupted case is an error, not a pass', () => {
    const doc = parseXml(junitXml([{
      variant: 'qemu-v0', scenario: 'default', seed: 1, verdict: 'INTERRUPTED', durationMs: 10, interrupted: true, exitCode: 130,
      signal: 'SIGINT', failures: zeroFailures(), stalls: [], examples: [],
    }]));
    expect(doc.attrs).toMatchObject({ tests: '1', failures: '0', errors: '1' });
    expect(outcome(testcases(doc)[0])[0]).toMatchObject({ name: 'error', attrs: { type: 'INTERRUPTED', message: 'interrupted by SIGINT' } });
  });
});

describe.concurrent('rcutorture --junit', () => {
  const run = async (variant: string) => {
    const dir = scratchDir();
    const file = join(dir, 'out', 'junit.xml');
    const r = await runCli(['--variant', variant, '--duration', '2s', '--readers', '2', '--fakewriters', '1', '--seed', '42',
      '--results', join(dir, 'results'), '--junit', file, '-q'], { timeoutMs: 60_000 });
    return { r, doc: parseXml(readFileSync(file, 'utf8')) };
  };

  it('on busted: one test case, with a failure naming use-after-reclaim', async () => {
    const { r, doc } = await run('busted');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(doc.attrs).toMatchObject({ tests: '1', failures: '1' });
    const [c] = testcases(doc);
    expect(c.attrs.name).toBe('busted default');
    expect(seedOf(c)).toBe('42');
    expect(outcome(c)[0].name).toBe('failure');
    expect(outcome(c)[0].attrs.message).toMatch(/use-after-reclaim=\d+/);
  });

  it('on a correct variant: one test case, no failure', async () => {
    const { r, doc } = await run('qemu-v0');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(doc.attrs).toMatchObject({ tests: '1', failures: '0', errors: '0' });
    const [c] = testcases(doc);
    expect(c.attrs.name).toBe('qemu-v0 default');
    expect(outcome(c)).toEqual([]);
  });
});
