/**
 * Console output: a live progress line only on a terminal outside CI, no
 * escape code at all into a pipe unless FORCE_COLOR asks, NO_COLOR obeyed.
 */
import { describe, expect, it } from 'vitest';
import { ConsoleReporter, colorLevel, wantsLiveLine } from '../torture/report/progress.js';
import { zeroFailures } from '../torture/report/summary.js';
import type { Snapshot } from '../torture/report/statistics.js';
import { runCli, scratchDir } from './helpers.js';

const ESC = '\x1b';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, columns: 120, write: (s: string) => { chunks.push(s); return true; }, text: () => chunks.join('') };
}

const snap = (atMs: number, reads: number): Snapshot => ({
  atMs, failures: zeroFailures(), readerPipe: [], readerBatch: [], freeBlockCirculation: [],
  counters: { reads, gracePeriods: 12, callbacksQueued: 5, callbacksInvoked: 2, callbacksPending: 3, writerVersions: 1,
    allocFailures: 0, synchronizes: 0, drains: 0, barriers: 0, forces: 0 },
});

describe('ConsoleReporter', () => {
  it('on a terminal: a live line with elapsed/total, reads/s, grace periods, pending callbacks, errors, redrawn in place', () => {
    const s = fakeStream(true);
    const r = new ConsoleReporter(s, { env: {} });
    r.tick(snap(1000, 5000), 10_000);
    r.line('a stats line', 'stats');
    r.tick(snap(2000, 15_000), 10_000);
    r.done();
    const t = s.text();
    expect(t).toContain('\r\x1b[2K');
    expect(t).toMatch(/2\.0s\/10\.0s {2}reads 10\.0k\/s {2}grace periods 12 {2}pending callbacks 3 {2}errors 0/);
    // An ordinary line clears the live line first and redraws it after itself.
    expect(t).toMatch(/\r\x1b\[2Ka stats line\n.*1\.0s\/10\.0s/);
  });

  it('shows the torture clock --duration counts, and says so while workers start and in the end phase', () => {
    const s = fakeStream(true);
    const r = new ConsoleReporter(s, { env: {} });
    r.tick(snap(1500, 0), 8000, { tortureMs: 0, phase: 'start-up' });
    r.tick(snap(6000, 5000), 8000, { tortureMs: 4500, phase: 'torture' });
    r.tick(snap(10_000, 9000), 8000, { tortureMs: 8000, phase: 'end' });
    const t = s.text();
    expect(t).toContain('starting workers (1.5s)');
    expect(t).toContain('4.5s/8.0s  reads');
    // Never past the total: the torture clock stops when the torture phase does.
    expect(t).toContain('8.0s/8.0s end phase  reads');
    expect(t).not.toContain('10.0s/8.0s');
  });

  it('in CI or into a pipe: no live line, no escape code', () => {
    for (const [tty, env] of [[true, { CI: 'true' }], [false, {}]] as const) {
      const s = fakeStream(tty);
      const r = new ConsoleReporter(s, { env });
      r.tick(snap(1000, 5000), 10_000);
      r.line('rcutorture: qemu-v0 default SUCCESS', 'verdict');
      r.done();
      expect(s.text()).not.toContain('\r');
      // CI on a terminal still gets colour, only no live line; a pipe gets the bare line.
      if (tty) expect(s.text()).toContain(ESC);
      else expect(s.text()).toBe('rcutorture: qemu-v0 default SUCCESS\n');
    }
    expect(wantsLiveLine({ isTTY: true }, { CI: '1' })).toBe(false);
    expect(wantsLiveLine({ isTTY: false }, {})).toBe(false);
  });

  it('NO_COLOR turns colour off, FORCE_COLOR on even into a pipe', () => {
    expect(colorLevel({ isTTY: true }, { NO_COLOR: '1' })).toBe(0);
    expect(colorLevel({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(1);
    expect(colorLevel({ isTTY: false }, {})).toBe(0);
    const s = fakeStream(false);
    new ConsoleReporter(s, { env: { FORCE_COLOR: '1' } }).line('rcutorture: x default FAILURE: leak=1', 'verdict');
    expect(s.text()).toContain(`${ESC}[31m`);
  });
});

it('the CLI into a pipe writes no escape code', async () => {
  // Neither colour variable set (an empty NO_COLOR counts as unset): the plain default.
  delete process.env.FORCE_COLOR;
  const r = await runCli(['--duration', '1s', '--readers', '1', '--fakewriters', '1', '--stat-interval', '500ms', '--results', scratchDir()],
    { timeoutMs: 60_000, env: { NO_COLOR: '', CI: '' } });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain('Reader Pipe:');
  expect(r.stdout).not.toContain(ESC);
  expect(r.stdout).not.toContain('\r');
  // Duration honesty: statistics on the torture clock never pass the total, and the end says where
  // the wall time went, adding up to (a little under: process exit) what the process took.
  for (const m of r.stdout.matchAll(/^rcutorture: qemu-v0 default (?:end )?([\d.]+)s\/1\.0s/gm)) expect(Number(m[1])).toBeLessThanOrEqual(1.15);
  const wall = /wall time ([\d.]+)s since the process started: node and modules ([\d.]+)s \+ start-up ([\d.]+)s \+ torture ([\d.]+)s \+ end phase ([\d.]+)s \+ teardown ([\d.]+)s/.exec(r.stdout);
  expect(wall, r.stdout).not.toBeNull();
  const [total, ...parts] = wall!.slice(1).map(Number);
  expect(Math.abs(parts.reduce((a, b) => a + b, 0) - total)).toBeLessThanOrEqual(0.3);
  expect(parts[2]).toBeGreaterThanOrEqual(1.0);
  expect(total * 1000).toBeLessThanOrEqual(r.ms + 100);
});
