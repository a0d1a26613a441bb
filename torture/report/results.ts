/**
 * The results folder of a run: summary.json written atomically (temp file +
 * rename, so a reader never sees half a file), and log.txt streamed line by
 * line so a crash or a kill still leaves what was printed.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkDirUsable, checkFileUsable, errnoOf, makeDirs, pathErrorFrom } from '../io/safe-fs.js';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic-write.js';

export function runFolderName(variant: string, scenario: string, at = new Date()): string {
  const ts = at.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${ts}-${safe(variant)}-${safe(scenario)}`;
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

export class RunFolder {
  readonly dir: string;
  private logFd: number;

  constructor(root: string, name: string) {
    makeDirs(root, '--results');
    // Not recursive, and EEXIST means "taken": the next suffix (two runs started in the same second).
    for (let suffix = 0; ; suffix++) {
      this.dir = join(resolve(root), suffix === 0 ? name : `${name}.${suffix}`);
      try {
        mkdirSync(this.dir);
        break;
      } catch (e) {
        if (errnoOf(e) !== 'EEXIST' || suffix > 1000) throw pathErrorFrom(e) ?? e;
      }
    }
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
