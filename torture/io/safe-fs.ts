/**
 * File-system steps that cannot hang and cannot blame us for the user's path.
 *
 * Node's recursive mkdirSync loops forever on some special file systems
 * (mkdir("/proc/x") = ENOENT, mkdir("/proc") = EEXIST, again and again), in
 * the main thread, where no signal handler can run. So directories are made
 * one level at a time, stopping at the first error, and every failure becomes
 * a PathError (a UsageError: exit 2) that names the path and the reason.
 */
import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, parse, resolve, sep } from 'node:path';
import { UsageError } from '../run/parse.js';

/** A path the user gave (or one under it) that cannot be used: exit 2. */
export class PathError extends UsageError {}

/** Error codes of file-system calls that a user fixes by choosing another path or freeing space. */
const USER_FIXABLE = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EEXIST', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENAMETOOLONG', 'ELOOP', 'EINVAL', 'EBUSY', 'EFBIG', 'ETXTBSY']);

const WORDS: Record<string, string> = {
  ENOENT: 'no such file or directory', ENOTDIR: 'not a directory', EISDIR: 'is a directory', EEXIST: 'already exists',
  EACCES: 'permission denied', EPERM: 'operation not permitted', EROFS: 'read-only file system', ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded', ENAMETOOLONG: 'name too long', ELOOP: 'too many symbolic links', EINVAL: 'invalid argument',
  EBUSY: 'resource busy', EFBIG: 'file too large', ETXTBSY: 'text file busy',
};

export function errnoOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** "EACCES (permission denied)", or the error's first line. */
export function reasonOf(e: unknown): string {
  const code = errnoOf(e);
  if (code) return WORDS[code] ? `${code} (${WORDS[code]})` : code;
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

/** A file-system error the user can fix (a bad path, no permission, a full disk) as a one-line PathError; null otherwise. */
export function pathErrorFrom(e: unknown): PathError | null {
  if (e instanceof PathError) return e;
  const code = errnoOf(e);
  if (!code || !USER_FIXABLE.has(code)) return null;
  const path = (e as { path?: unknown }).path;
  const dest = (e as { dest?: unknown }).dest;
  const where = typeof path === 'string' ? ` ${path}${typeof dest === 'string' ? ` -> ${dest}` : ''}` : '';
  const syscall = (e as { syscall?: unknown }).syscall;
  return new PathError(`cannot ${typeof syscall === 'string' ? syscall : 'use'}${where}: ${reasonOf(e)}`);
}

/** `what` (an option such as --results) names the value the user gave in every message. */
function fail(what: string | undefined, given: string, detail: string): never {
  throw new PathError(what ? `bad ${what} "${given}": ${detail}` : `cannot use ${given}: ${detail}`);
}

/** Every directory from the root down to `dir`, shallowest first. */
function levels(dir: string): string[] {
  const abs = resolve(dir);
  const root = parse(abs).root;
  const out: string[] = [];
  let at = root;
  for (const part of abs.slice(root.length).split(sep).filter((p) => p !== '')) {
    at = at === root ? root + part : at + sep + part;
    out.push(at);
  }
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Makes `dir` and any missing parents, one level at a time; stops at the
 * first level that cannot be made. Never recursive mkdir.
 */
export function makeDirs(dir: string, what?: string): void {
  for (const level of levels(dir)) {
    try {
      mkdirSync(level);
    } catch (e) {
      if (errnoOf(e) === 'EEXIST' && isDirectory(level)) continue;
      if (errnoOf(e) === 'EEXIST') fail(what, dir, `${level} is a file, not a directory`);
      fail(what, dir, `cannot create ${level}: ${reasonOf(e)}`);
    }
  }
}

/** The deepest existing directory at or above `dir` (or the file in the way, as `blocker`). */
function deepestExisting(dir: string): { at: string; blocker?: string } {
  let at = parse(resolve(dir)).root;
  for (const level of levels(dir)) {
    let st;
    try {
      st = statSync(level);
    } catch {
      return { at };
    }
    if (!st.isDirectory()) return { at, blocker: level };
    at = level;
  }
  return { at };
}

/**
 * Throws a PathError unless `dir` could be made (or already is) a directory
 * we can create folders in. Leaves nothing behind: it tries for real (a
 * probe directory, removed at once) in the deepest level that exists, since
 * permission bits say nothing on /proc, /sys or a read-only mount.
 */
export function checkDirUsable(dir: string, what: string): void {
  if (dir.trim() === '') fail(what, dir, 'give a directory');
  const { at, blocker } = deepestExisting(dir);
  if (blocker) fail(what, dir, `${blocker} is a file, not a directory; give a writable directory`);
  const probe = resolve(at, `.rcutorture-probe-${process.pid}`);
  try {
    mkdirSync(probe);
  } catch (e) {
    fail(what, dir, `cannot create directories in ${at}: ${reasonOf(e)}; give a writable directory`);
  }
  rmdirSync(probe);
}

/** Same check for a file an option asks to write (--junit, --trace-out): not a directory, its folder usable. */
export function checkFileUsable(file: string, what: string): void {
  if (file.trim() === '') fail(what, file, 'give a file name');
  if (isDirectory(file)) fail(what, file, 'is a directory; give a file name');
  try {
    checkDirUsable(dirname(resolve(file)), what);
  } catch (e) {
    // Re-word for a file: the message names the file the user gave.
    if (e instanceof PathError) throw new PathError(e.message.replace(`"${dirname(resolve(file))}"`, `"${file}"`).replace('give a writable directory', 'give a file in a writable directory'));
    throw e;
  }
}
