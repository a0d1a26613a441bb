/**
 * The results folder of a run: summary.json written atomically (temp file +
 * rename, so a reader never sees half a file), and log.txt streamed line by
 * line so a crash or a kill still leaves what was printed.
 */
import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync, accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../run/parse.js';

export function runFolderName(variant: string, scenario: string, at = new Date()): string {
  const ts = at.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${ts}-${safe(variant)}-${safe(scenario)}`;
}

/** The nearest path at or above `path` that exists. */
function nearestExisting(path: string): string {
  let probe = resolve(path);
  while (!existsSync(probe)) {
    const parent = dirname(probe);
    if (parent === probe) break;
    probe = parent;
  }
  return probe;
}

/** Why `dir` could not be made or written into, or null when it can: a file in the way, no write permission. */
function unwritableBecause(dir: string): string | null {
  const probe = nearestExisting(dir);
  if (!statSync(probe).isDirectory()) return `${probe} is a file, not a directory`;
  try {
    accessSync(probe, constants.W_OK);
  } catch {
    return `${probe} is not writable`;
  }
  return null;
}

/**
 * Throws a one-line UsageError when `dir` cannot hold results. Creates
 * nothing, so a bad value never leaves a half-made folder behind.
 */
export function checkResultsRoot(dir: string, what = '--results'): void {
  if (dir.trim() === '') throw new UsageError(`bad ${what} "": give a directory`);
  const why = unwritableBecause(dir);
  if (why) throw new UsageError(`bad ${what} "${dir}": ${why}; give a writable directory`);
}

/** Same check for a file an option asks to write (--junit): its directory must be makeable and writable. */
export function checkOutputFile(file: string, what: string): void {
  if (file.trim() === '') throw new UsageError(`bad ${what} "": give a file name`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`bad ${what} "${file}": is a directory; give a file name`);
  const why = unwritableBecause(dirname(resolve(file)));
  if (why) throw new UsageError(`bad ${what} "${file}": ${why}; give a file in a writable directory`);
}

/** Writes a file whole or not at all: temp file + rename, so a reader never sees half of it. */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
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
