// Validation gaps of issue 18 item 8 that are not bad-input failures: input
// accepted as meant (a UTF-8 byte-order mark) and input accepted with a warning
// (a --preempt glob that matches no point of the flavor). The refusals are in
// cli-bad-input.test.ts.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../dist/torture/scenario/schema.js';
import { requestWarnings } from '../dist/torture/run/warnings.js';

describe('validation', () => {
  it('a scenario file starting with a UTF-8 byte-order mark is read as JSON, not "malformed"', () => {
    const s = parseScenario('\uFEFF{"description": "with a BOM", "readers": 3}', 'bom', 'bom.json');
    expect(s.description).toBe('with a BOM');
  });

  it('warns when a --preempt glob matches no point of the flavor, and only then', () => {
    const points = ['read_lock:after-load', 'enqueue:after-exchange'];
    const warn = (match: string[]) => requestWarnings({}, undefined, 'default', { match, probability: 0.01, minMs: 0, maxMs: 1 } as never, points);
    expect(warn(['nosuch:*'])).toEqual([expect.stringContaining('--preempt "nosuch:*" matches none of the flavor\'s preemption points')]);
    expect(warn(['read_lock:*', 'enqueue:after-exchange'])).toEqual([]);
  });
});
