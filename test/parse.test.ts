import { describe, expect, it } from 'vitest';
import { UsageError, nearest, parseCount, parseDuration } from '../torture/run/parse.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250], ['20s', 20_000], ['10m', 600_000], ['2h', 7_200_000], ['1h30m', 5_400_000],
    ['1m30s', 90_000], ['1.5s', 1500], ['1d', 86_400_000],
  ])('reads %s as %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['10x', '-5s', '0', '0s', '', '10', 's', '5s extra', '1h 30m'])('refuses %j with a UsageError naming it', (text) => {
    expect(() => parseDuration(text)).toThrow(UsageError);
    expect(() => parseDuration(text)).toThrow(`"${text}"`);
  });
});

describe('parseCount', () => {
  it('accepts whole numbers in range', () => expect(parseCount('4', 'n', 1, 8)).toBe(4));
  it.each(['-1', '2.5', '9', 'many', ''])('refuses %j, naming the range', (t) => {
    expect(() => parseCount(t, '--readers', 1, 8)).toThrow('from 1 to 8');
  });
});

describe('nearest', () => {
  it('suggests a close name and nothing for a far one', () => {
    expect(nearest('qemu-v9', ['qemu-v0', 'busted'])).toBe('qemu-v0');
    expect(nearest('zzzzzzzz', ['qemu-v0', 'busted'])).toBeUndefined();
  });
});
