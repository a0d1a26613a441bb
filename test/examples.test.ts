/** The end of a run shows a few failure examples and says how many failures there were. */
import { describe, expect, it } from 'vitest';
import { SHOWN_EXAMPLES, failureExamples } from '../torture/report/examples.js';

const ex = (n: number) => Array.from({ length: n }, (_, i) => ({ cls: 'leak' as const, thread: i, message: `m${i}\nmore` }));

describe('failureExamples', () => {
  it('shows the first lines of at most SHOWN_EXAMPLES and says "N of M failures shown"', () => {
    const lines = failureExamples(ex(35), { leak: 5114 });
    expect(lines).toHaveLength(SHOWN_EXAMPLES + 1);
    expect(lines[0]).toBe('  leak: m0');
    expect(lines.at(-1)).toBe(`  (${SHOWN_EXAMPLES} of 5114 failures shown; summary.json keeps 35 examples)`);
  });

  it('does not count stall reports, printed as they came, as failures not shown', () => {
    expect(failureExamples([], { 'gp-stall': 1 }, 1)).toEqual([]);
    expect(failureExamples(ex(1), { leak: 1, 'gp-stall': 2 }, 2)).toEqual(['  leak: m0']);
    expect(failureExamples(ex(1), { leak: 3, 'gp-stall': 2 }, 2).at(-1)).toBe('  (1 of 3 failures shown; summary.json keeps 1 example)');
  });

  it('names a stall report\'s class once, not as "gp-stall: !!! gp-stall:"', () => {
    const stall = { cls: 'gp-stall' as const, thread: 2, message: '!!! gp-stall: writer (thread 2) stuck in synchronize for 1007 ms\n    holdouts: none' };
    expect(failureExamples([stall], { 'gp-stall': 1 })).toEqual(['  gp-stall: writer (thread 2) stuck in synchronize for 1007 ms']);
  });

  it('says nothing more when every failure is shown', () => {
    expect(failureExamples(ex(2), { leak: 2 })).toEqual(['  leak: m0', '  leak: m1']);
  });
});
