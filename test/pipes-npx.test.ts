/**
 * How users really start it: into `| head -1` (a reader that goes away) and
 * through `npx rcutorture` (npm exec between the user's signal and the run).
 * A closed pipe must not crash the run or change its exit code; a signal to
 * the npx process must reach the run, which stops in order within the 3 s
 * promise (plus npm's own start-up and exit) and writes an INTERRUPTED summary.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, scratchDir } from './helpers.js';

interface Summary { verdict: string; final: boolean; exitCode: number | null; interrupted: boolean }

function summaryIn(root: string): Summary {
  const [dir] = readdirSync(root).filter((d) => !d.startsWith('.'));
  return JSON.parse(readFileSync(join(root, dir, 'summary.json'), 'utf8')) as Summary;
}

function sh(script: string, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('bash', ['-c', script], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); done({ code, stdout, stderr }); });
  });
}

describe('into a pipe that closes', () => {
  it('`| head -1`: the run goes on to its end, exits with its own code (0) and writes its final summary', async () => {
    const results = scratchDir();
    const r = await sh(`node ${CLI} run --duration 3s --readers 2 --fakewriters 1 --results ${results} | head -1; echo "status=\${PIPESTATUS[0]}"`, 60_000);
    expect(r.stdout.split('\n')[0]).toMatch(/^rcutorture /);
    expect(r.stdout).toContain('status=0');
    expect(r.stderr).not.toMatch(/EPIPE|internal error/);
    expect(summaryIn(results)).toMatchObject({ verdict: 'SUCCESS', final: true, exitCode: 0 });
  }, 60_000);
});

describe('through npx', () => {
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${sig} to the npx process reaches the run: exit ${code}, INTERRUPTED summary, well within the 3 s promise plus npm's exit`, async () => {
      const results = scratchDir();
      const child = spawn('npx', ['rcutorture', 'run', '--duration', '60s', '--readers', '2', '--fakewriters', '1', '--results', results],
        { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((done) => child.on('close', (c) => done(c)));
      const t0 = Date.now();
      while (!/Reader Pipe:/.test(out) && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 100));
      expect(out).toMatch(/Reader Pipe:/);
      const sent = Date.now();
      child.kill(sig);
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const exitCode = await exited;
      clearTimeout(killer);
      expect(Date.now() - sent).toBeLessThan(6000);
      expect(exitCode).toBe(code);
      expect(summaryIn(results)).toMatchObject({ verdict: 'INTERRUPTED', final: true, interrupted: true });
    }, 90_000);
  }
});
