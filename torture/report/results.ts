/**
 * The results folder of a run: summary.json written atomically (temp file +
 * rename, so a reader never sees half a file), and log.txt streamed line by
 * line so a crash or a kill still leaves what was printed.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkDirUsable, checkFileUsable, errnoOf, makeDirs, pathErrorFrom } from '../io/safe-fs.js';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic-write.js';

/** A name made safe for one path component (a scenario may be given as a file path). */
export const safeName = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_');

/** `20261203-142218`: the UTC time a folder name starts with. */
export function folderTimestamp(at = new Date()): string {
  return at.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
}

export function runFolderName(variant: string, scenario: string, at = new Date()): string {
  return `${folderTimestamp(at)}-${safeName(variant)}-${safeName(scenario)}`;
}

/** The run folder a run's options ask for (none without a results root), as both engines make it. */
export function openRunFolder(
  opts: { resultsRoot?: string | null; folderName?: string }, variant: string, scenario: string, at: Date,
): RunFolder | null {
  return opts.resultsRoot ? new RunFolder(opts.resultsRoot, opts.folderName ?? runFolderName(variant, scenario, at)) : null;
}

/**
 * Throws a one-line UsageError when `dir` cannot hold results. Creates
 * nothing, so a bad value never leaves a half-made folder behind.
 */
export function checkResultsRoot(dir: string, what = '--results'): void {
  checkDirUsable(dir, what);
}

/** Same check for a file an option asks to write (--junit): its directory must be makeable and writable. */
export function checkOutputFile(file: string, what: string): void {
  checkFileUsable(file, what);
}

export { writeFileAtomic, writeJsonAtomic };

/**
 * Makes `root/name`, or `root/name.1`, `.2`... when it is taken (two runs
 * started in the same second), and returns its absolute path.
 */
export function makeFreshDir(root: string, name: string): string {
  makeDirs(root, '--results');
  // Not recursive, and EEXIST means "taken": the next suffix.
  for (let suffix = 0; ; suffix++) {
    const dir = join(resolve(root), suffix === 0 ? name : `${name}.${suffix}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST' || suffix > 1000) throw pathErrorFrom(e) ?? e;
    }
  }
}

export class RunFolder {
  readonly dir: string;
  private logFd: number;

  constructor(root: string, name: string) {
    this.dir = makeFreshDir(root, name);
    try {
      this.logFd = openSync(join(this.dir, 'log.txt'), 'a');
    } catch (e) {
      throw pathErrorFrom(e) ?? e;
    }
  }

  log(line: string): void {
    if (this.logFd >= 0) writeSync(this.logFd, line + '\n');
  }

  writeSummary(summary: unknown): void { writeJsonAtomic(join(this.dir, 'summary.json'), summary); }
  writeFile(name: string, text: string): void { writeFileAtomic(join(this.dir, name), text); }

  close(): void {
    if (this.logFd >= 0) closeSync(this.logFd);
    this.logFd = -1;
  }
}
