/**
 * Files written whole or not at all: a temp file beside the target, then a
 * rename (atomic within a file system), so a reader (merge, report, a person
 * after kill -9) never sees half a file, and a failed write leaves no temp
 * file behind. Errors come out as PathErrors naming the path (exit 2).
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { makeDirs, pathErrorFrom } from './safe-fs.js';

let serial = 0;

export function writeFileAtomic(path: string, text: string): void {
  makeDirs(dirname(resolve(path)));
  // pid + serial: two writers in one process (a soak's case and its junit) never share a temp file.
  const tmp = `${path}.tmp-${process.pid}-${serial++}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    try { rmSync(tmp, { force: true }); } catch { /* nothing to clean */ }
    throw pathErrorFrom(e) ?? e;
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
