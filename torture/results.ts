/**
 * The results folder of a run: summary.json written atomically (temp file +
 * rename, so a reader never sees half a file), and log.txt streamed line by
 * line so a crash or a kill still leaves what was printed.
 */
import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync, accessSync, constants, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function runFolderName(variant: string, scenario: string, at = new Date()): string {
  const ts = at.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${ts}-${safe(variant)}-${safe(scenario)}`;
}

/** Throws a one-line error when `dir` cannot hold results. Creates nothing. */
export function checkResultsRoot(dir: string): void {
  let probe = resolve(dir);
  while (!existsSync(probe)) {
    const parent = resolve(probe, '..');
    if (parent === probe) break;
    probe = parent;
  }
  try {
    accessSync(probe, constants.W_OK);
  } catch {
    throw new Error(`--results ${dir}: directory is not writable`);
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, path);
}

export class RunFolder {
  readonly dir: string;
  private logFd: number;

  constructor(root: string, name: string) {
    this.dir = join(resolve(root), name);
    let suffix = 1;
    while (existsSync(this.dir)) this.dir = join(resolve(root), `${name}.${suffix++}`);
    mkdirSync(this.dir, { recursive: true });
    this.logFd = openSync(join(this.dir, 'log.txt'), 'a');
  }

  log(line: string): void {
    if (this.logFd >= 0) writeSync(this.logFd, line + '\n');
  }

  writeSummary(summary: unknown): void { writeJsonAtomic(join(this.dir, 'summary.json'), summary); }
  writeFile(name: string, text: string): void { writeFileSync(join(this.dir, name), text); }

  close(): void {
    if (this.logFd >= 0) closeSync(this.logFd);
    this.logFd = -1;
  }
}
