/**
 * Lines in the shape Linux's rcutorture prints, so its scripts
 * (parse-console.sh, console-badness.sh, kvm-find-errors.sh) can judge our
 * log.txt: each line against a regex of Linux's shape, then real runs on
 * both engines, correct and busted, whose log.txt has them.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linuxEndLine, linuxStallLine, linuxStartLine, linuxStatsLines } from '../torture/report/linux-lines.js';
import { emptySnapshot, formatStats, type Snapshot } from '../torture/report/statistics.js';
import type { StallReport } from '../torture/checks/watchdog.js';
import { runCli, scratchDir } from './helpers.js';

/** rcu_torture_stats_print's first line: the field names and their order, each a number (rtc: a pointer in hex). */
const VER_LINE = /^rcu-torture: rtc: [0-9a-f]{16} (ver|VER): \d+ tfle: [01] rta: \d+ rtaf: \d+ rtf: \d+ rtmbe: \d+ rtmbkf: \d+\/\d+ rtbe: \d+ rtbke: \d+ rtbf: \d+ rtb: \d+ nt: \d+ /;
/** The histograms: the label, then " %ld" per bucket (so two spaces after the colon), 11 buckets. */
const hist = (label: string, alarm = false) => new RegExp(`^rcu-torture: ${alarm ? '!!! ' : ''}${label}: ( \\d+){11}$`);
const START = /^rcu-torture:--- Start of test: \S+=\S+( \S+=\S+)*$/;
const END = (word: string) => new RegExp(`^rcu-torture:--- End of test: ${word}: \\S+=\\S+( \\S+=\\S+)*$`);

function snap(over: Partial<Snapshot> = {}, versions = 5): Snapshot {
  const s = emptySnapshot();
  return { ...s, counters: { ...({} as Snapshot['counters']), reads: 10, writerVersions: versions, allocFailures: 0, barriers: 0, drains: 0 } as Snapshot['counters'], ...over };
}
const params = { variant: 'v', scenario: 'default', readers: 2, fakewriters: 1, statIntervalMs: 5000, durationMs: 2000, seed: 7 };

describe('Linux-shaped lines (fixtures)', () => {
  it('a clean block: the ver: line and three histograms in Linux shape, no !!!', () => {
    const lines = linuxStatsLines(snap({ readerPipe: [9, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0] }), null, { current: 0x1234, freeListEmpty: false });
    expect(lines[0]).toMatch(VER_LINE);
    expect(lines[0]).toContain('rtc: 0000000000001234 ver: 5 ');
    expect(lines[1]).toMatch(hist('Reader Pipe'));
    expect(lines[1]).toBe('rcu-torture: Reader Pipe:  9 1 0 0 0 0 0 0 0 0 0');
    expect(lines[2]).toMatch(hist('Reader Batch'));
    expect(lines[3]).toMatch(hist('Free-Block Circulation'));
  });

  it('a reader that saw an element two grace periods old gets !!! on Reader Pipe', () => {
    const lines = linuxStatsLines(snap({ readerPipe: [9, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0] }), null, { current: 1, freeListEmpty: false });
    expect(lines[1]).toMatch(hist('Reader Pipe', true));
  });

  it('a reader-side failure counted elsewhere also raises !!! and shows in rtmbe', () => {
    const lines = linuxStatsLines(snap(), null, { current: 1, freeListEmpty: false }, { 'use-after-reclaim': 3 });
    expect(lines[1]).toMatch(hist('Reader Pipe', true));
    expect(lines[0]).toContain(' rtmbe: 3 ');
  });

  it('VER when versions did not move since the last block or none were published yet; ver when they moved', () => {
    const w = { current: 0, freeListEmpty: true };
    expect(linuxStatsLines(snap({}, 0), null, w)[0]).toMatch(/ VER: 0 tfle: 1 /);
    expect(linuxStatsLines(snap({}, 5), snap({}, 5), w)[0]).toContain(' VER: 5 ');
    expect(linuxStatsLines(snap({}, 6), snap({}, 5), w)[0]).toContain(' ver: 6 ');
  });

  it('the errors line counts failures passed beside the snapshot (stalls), never none before a FAILURE', () => {
    const lines = formatStats('x', snap(), null, 1000, undefined, { failures: { 'gp-stall': 1 } });
    expect(lines).toContain('  errors: gp-stall=1');
  });

  it('says which clock: wall time against the total, or the sim engine\'s virtual time with no total', () => {
    const at = { ...snap(), atMs: 1600 };
    expect(formatStats('end', at, null, 8000)[0]).toBe('end 1.6s/8.0s');
    expect(formatStats('end', at, null, 1600, undefined, { clock: 'virtual' })[0]).toBe('end 1.6s of virtual time');
  });

  it('start and end lines', () => {
    expect(linuxStartLine(params)).toMatch(START);
    expect(linuxEndLine('SUCCESS', params)).toMatch(END('SUCCESS'));
    expect(linuxEndLine('FAILURE', params)).toMatch(END('FAILURE'));
    // Neither word for an interrupted run: the scripts then say there was no success message.
    expect(linuxEndLine('INTERRUPTED', params, 'SIGINT')).not.toMatch(/SUCCESS|FAILURE/);
  });

  it('a grace-period stall reads as an RCU CPU stall warning; a backlog gets none', () => {
    const r: StallReport = {
      kind: 'gp-stall', atMs: 1, holdouts: [{ thread: 3 } as StallReport['holdouts'][number]], pendingCallbacks: 0, oldestPendingMs: 0,
      waiter: { thread: 1, role: 'writer', op: 'synchronize_rcu', forMs: 12000 },
    };
    expect(linuxStallLine('v', r)).toMatch(/^rcu: INFO: v detected stalls on CPUs\/tasks: \{ 3 \} \(gp-stall: /);
    expect(linuxStallLine('v', { ...r, kind: 'callback-backlog' })).toBeNull();
  });
});

function logOf(results: string): string {
  const dirs = readdirSync(results).filter((d) => existsSync(join(results, d, 'log.txt')));
  expect(dirs).toHaveLength(1);
  return readFileSync(join(results, dirs[0], 'log.txt'), 'utf8');
}
const lines = (log: string) => log.split('\n').map((l) => l.replace(/^\[[^\]]*\] /, ''));

describe('Linux-shaped lines in real runs', () => {
  for (const engine of [['--duration', '2s'], ['--engine', 'sim', '--schedules', '3']]) {
    it(`a correct run (${engine.join(' ')}) logs every line and End of test: SUCCESS`, async () => {
      const results = scratchDir();
      const r = await runCli([...engine, '--readers', '2', '--fakewriters', '1', '--results', results], { timeoutMs: 90_000 });
      expect(r.code, r.stderr).toBe(0);
      const ls = lines(logOf(results));
      expect(ls.some((l) => START.test(l))).toBe(true);
      expect(ls.some((l) => VER_LINE.test(l))).toBe(true);
      expect(ls.some((l) => hist('Reader Pipe').test(l))).toBe(true);
      expect(ls.some((l) => hist('Reader Batch').test(l))).toBe(true);
      expect(ls.some((l) => hist('Free-Block Circulation').test(l))).toBe(true);
      expect(ls.some((l) => l.includes('!!!'))).toBe(false);
      expect(ls.some((l) => END('SUCCESS').test(l))).toBe(true);
      // Counts read as English: one fakewriter is not "1 fakewriters".
      expect(ls.some((l) => l.includes('threads: 2 readers, 1 writer, 1 fakewriter,'))).toBe(true);
    }, 120_000);
  }

  it('busted logs !!! on Reader Pipe and End of test: FAILURE', async () => {
    const results = scratchDir();
    const r = await runCli(['--variant', 'busted', '--duration', '1s', '--readers', '2', '--fakewriters', '1', '--results', results], { timeoutMs: 90_000 });
    expect(r.code).not.toBe(0);
    const ls = lines(logOf(results));
    expect(ls.some((l) => hist('Reader Pipe', true).test(l))).toBe(true);
    expect(ls.some((l) => END('FAILURE').test(l))).toBe(true);
    expect(ls.some((l) => END('SUCCESS').test(l))).toBe(false);
  }, 120_000);
});
