// `rcutorture --help` shows the run options too: run is the default command.
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

describe('rcutorture --help', () => {
  it('lists the subcommands and then the options of the default run command', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    const commands = r.stdout.indexOf('Commands:');
    const runOptions = r.stdout.indexOf('Run options (run is the default command');
    expect(commands).toBeGreaterThan(0);
    expect(runOptions).toBeGreaterThan(commands);
    for (const opt of ['--duration <time>', '--variant <name>', '--scenario <name|file>', '--engine']) {
      expect(r.stdout.slice(runOptions)).toContain(opt);
    }
  });
});
