/**
 * Signals and kills: SIGINT/SIGTERM stop a run, leave summary.json with
 * interrupted: true and verdict INTERRUPTED, and exit 130/143, also when the
 * workers are stuck in the implementation; a second signal exits at once;
 * after kill -9 the run folder still says what happened.
 *
 * "Within 3 s" is the promise; the tests give the process 3 s plus a second
 * of slack for a loaded machine before they kill it and fail, so a hang or a
 * slow teardown fails here and the exact time goes in the benchmark notes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, scratchDir } from './helpers.js';

const EXIT_BOUND_MS = 4000;

interface Live {
  child: ChildProcess;
  /** Resolves with the run folder once the header names it. */
  folder: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

function start(args: string[], env: Record<string, string> = {}): Live {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });
  let out = '';
  let found: (dir: string) => void = () => {};
  const folder = new Promise<string>((r) => (found = r));
  const onData = (d: Buffer) => {
    out += d;
    const m = /results: (\S+)/.exec(out);
    if (m) found(m[1]);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('close', (code, signal) => r({ code, signal })));
  return { child, folder, exited, output: () => out };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the output shows `line` (the run's own marker, not a guessed moment). */
async function until(live: Live, line: RegExp): Promise<void> {
  while (!line.test(live.output())) await sleep(5);
}

/** Sends `sig` and waits for the exit, killing the process if it outlives the bound. */
async function signalAndWait(live: Live, sig: NodeJS.Signals, bound = EXIT_BOUND_MS) {
  live.child.kill(sig);
  const killer = setTimeout(() => live.child.kill('SIGKILL'), bound);
  const r = await live.exited;
  clearTimeout(killer);
  return r;
}

const summaryOf = (folder: string) => JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8'));
const runArgs = (...more: string[]) => ['--duration', '60s', '--readers', '2', '--fakewriters', '1', '--results', scratchDir(), ...more];

describe.concurrent('signals', () => {
  it('SIGINT three seconds into a run: exit 130, summary.json interrupted and INTERRUPTED', async () => {
    const live = start(runArgs());
    const folder = await live.folder;
    await sleep(3000);
    const r = await signalAndWait(live, 'SIGINT');
    expect(r.code, live.output()).toBe(130);
    const s = summaryOf(folder);
    expect(s).toMatchObject({ interrupted: true, verdict: 'INTERRUPTED', signal: 'SIGINT', final: true, exitCode: 130 });
    expect(live.output()).toContain('rcutorture: qemu-v0 default INTERRUPTED');
  });

  it('SIGTERM: exit 143, summary.json says SIGTERM', async () => {
    const live = start(runArgs());
    const folder = await live.folder;
    await sleep(1000);
    const r = await signalAndWait(live, 'SIGTERM');
    expect(r.code, live.output()).toBe(143);
    expect(summaryOf(folder)).toMatchObject({ interrupted: true, verdict: 'INTERRUPTED', signal: 'SIGTERM', exitCode: 143 });
  });

  it('SIGINT while every updater spins inside synchronize, beyond the reach of the abort cell', async () => {
    // The fixture's synchronize spins in plain JavaScript after a few calls; the stall timeout is far away.
    const live = start(runArgs('--impl', 'test/fixtures/faulty-flavors.mjs', '--variant', 'fixture-synchronize-spins', '--stall-timeout', '5m'));
    const folder = await live.folder;
    await sleep(2000);
    const r = await signalAndWait(live, 'SIGINT');
    expect(r.code, live.output()).toBe(130);
    expect(summaryOf(folder)).toMatchObject({ interrupted: true });
  });

  it('a second signal exits at once, before the orderly end', async () => {
    // Updaters stuck in synchronize make the orderly end take its full teardown waits (most of a second).
    const live = start(runArgs('--impl', 'test/fixtures/faulty-flavors.mjs', '--variant', 'fixture-synchronize-spins', '--stall-timeout', '5m'));
    const folder = await live.folder;
    await sleep(1000);
    live.child.kill('SIGINT');
    while (!/SIGINT: stopping/.test(live.output())) await sleep(10);
    const r = await signalAndWait(live, 'SIGINT');
    expect(r.code, `signal ${r.signal}: ${live.output().slice(-2000)}`).toBe(130);
    // The summary written while the run went on is still there and says it did not finish.
    expect(summaryOf(folder)).toMatchObject({ verdict: 'RUNNING', final: false, exitCode: null });
  });

  it('kill -9: the folder still holds a readable summary.json (not final) and the log so far', async () => {
    const live = start(runArgs('--stat-interval', '1s'));
    const folder = await live.folder;
    // The first block whose readers have read (on a loaded machine the first may come before they start).
    while (!/Reader Pipe: +[1-9]/.test(live.output())) await sleep(100);
    const r = await signalAndWait(live, 'SIGKILL');
    expect(r.signal).toBe('SIGKILL');
    expect(existsSync(folder)).toBe(true);
    const s = summaryOf(folder);
    // RUNNING, not a made-up INTERRUPTED/130: the real status (137) is the killer's to tell; the counts are those so far.
    expect(s).toMatchObject({ final: false, interrupted: false, verdict: 'RUNNING', exitCode: null, variant: 'qemu-v0' });
    expect(s.durationMs).toBeGreaterThan(500);
    expect(s.counters.reads).toBeGreaterThan(0);
    const log = readFileSync(join(folder, 'log.txt'), 'utf8');
    expect(log).toContain('rcutorture');
    expect(log).toContain('Reader Pipe:');
  });

  it('SIGINT during start-up, while the commands load: exit 130 at once, saying so, and no run folder', async () => {
    const results = scratchDir();
    const live = start(['--duration', '10s', '--results', results], { RCUTORTURE_TRACE_STARTUP: '1' });
    await until(live, /start-up \+\d+ ms: signal and stdio guards installed/);
    const r = await signalAndWait(live, 'SIGINT');
    expect(r.code, live.output()).toBe(130);
    expect(live.output()).toContain('rcutorture: SIGINT before a run started: exiting');
    expect(readdirSync(results)).toEqual([]);
  });

  it('SIGINT in the end phase: a run whose torture phase completed keeps its verdict (SUCCESS, exit 0)', async () => {
    // The fixture's synchronize sleeps 40 ms before each grace period, so the end phase lasts a few hundred ms (a second is what it gets after a signal): the signal lands in it.
    const live = start(['--duration', '2s', '--readers', '2', '--fakewriters', '1', '--results', scratchDir(),
      '--impl', 'test/fixtures/slow-synchronize.mjs', '--variant', 'fixture-slow-synchronize']);
    const folder = await live.folder;
    await until(live, /torture phase complete; end phase/);
    const r = await signalAndWait(live, 'SIGINT');
    expect(r.code, live.output()).toBe(0);
    expect(live.output()).toContain('came in the end phase, after the torture phase had completed');
    expect(summaryOf(folder)).toMatchObject({ verdict: 'SUCCESS', interrupted: false, final: true, exitCode: 0 });
  });

  it('kill -9 during a sim run: summary.json says RUNNING with the clean schedules so far', async () => {
    const live = start(['--engine', 'sim', '--duration', '60s', '--readers', '2', '--fakewriters', '1', '--results', scratchDir()]);
    const folder = await live.folder;
    // Rewritten after schedules, at least every second: wait for one that counts a finished schedule.
    const read = () => (existsSync(join(folder, 'summary.json')) ? summaryOf(folder) : {});
    let s = read();
    while (!(s.sim?.schedules >= 1)) { await sleep(100); s = read(); }
    const r = await signalAndWait(live, 'SIGKILL');
    expect(r.signal).toBe('SIGKILL');
    s = summaryOf(folder);
    expect(s).toMatchObject({ final: false, verdict: 'RUNNING', exitCode: null, engine: 'sim', variant: 'qemu-v0' });
    expect(s.counters.reads).toBeGreaterThan(0);
  });
});
