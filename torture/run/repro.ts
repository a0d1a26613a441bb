/**
 * What it takes to reproduce a run, stored in summary.json: the command line,
 * the git commit of the checkout the tool runs from (with a dirty flag), node,
 * the machine and the content hash of an --impl module. The resolved
 * scenario and seed are in the summary's `config` already; `rcutorture again`
 * re-runs from there.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RunConfig } from './config.js';
import { thisMachine, type Machine } from '../compare/machine.js';

export interface GitInfo { commit: string; dirty: boolean }

export interface ReproInfo {
  /** The full argv of the process that ran it (node, script, arguments). */
  command: string[];
  cwd: string;
  /** The checkout the tool ran from; null when it is not one (an npm install). */
  git: GitInfo | null;
  node: string;
  machine: Machine;
  /** sha256 of the --impl module's file (not of what it imports); absent without --impl. */
  implHash?: string;
}

const run = promisify(execFile);
/** The package root: three folders above this module in dist/ (dist/torture/run), two from source. */
function packageRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return null;
}

let gitCache: Promise<GitInfo | null> | undefined;
/** Once per process: a soak of a hundred runs asks git once. */
export function gitInfo(): Promise<GitInfo | null> {
  gitCache ??= (async () => {
    const root = packageRoot();
    if (!root || !existsSync(join(root, '.git'))) return null;
    try {
      const opts = { cwd: root, timeout: 3000 };
      const head = (await run('git', ['rev-parse', 'HEAD'], opts)).stdout.trim();
      // Changes to tracked files only: results/ and other untracked output do not make a build dirty.
      const status = (await run('git', ['status', '--porcelain', '--untracked-files=no'], opts)).stdout.trim();
      return { commit: head, dirty: status !== '' };
    } catch {
      return null;
    }
  })();
  return gitCache;
}

export function fileHash(path: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
}

export async function reproInfo(cfg: RunConfig): Promise<ReproInfo> {
  return {
    command: [...process.argv],
    cwd: process.cwd(),
    git: await gitInfo(),
    node: process.version,
    machine: thisMachine(),
    // A file only: a --qemu tree is a folder, and its commit says more than a hash would.
    ...(cfg.impl && existsSync(cfg.impl) && statSync(cfg.impl).isFile() ? { implHash: fileHash(cfg.impl) } : {}),
  };
}
