/**
 * QEMU mode: `--qemu <tree>` (or `--impl <tree>`, a folder) builds a QEMU
 * source tree's util/rcu.c and util/notify.c, unchanged, against our host
 * layer (include/qemu-compat/) and the tree's own include/qemu/ headers,
 * into one C flavor named after the tree's `git describe`. What is mapped
 * how: docs/qemu-mode.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { RcuFlavor } from '../../lib/rcu/flavor.js';
import { UsageError } from '../run/parse.js';
import { compileC, type CBuild } from './compile.js';
import { flavorsOfWasm } from './load.js';
import { packageInclude } from './toolchain.js';
import { isTreeImpl } from './impl-kind.js';

export interface QemuTree {
  root: string;
  rcuC: string;
  /** util/notify.c, when the tree has one (notifier lists live there). */
  notifyC: string | null;
  include: string;
  /** The flavor's name: `qemu-` + git describe, or + the folder's name. */
  name: string;
  /** Where it came from, for `list` and summaries. */
  provenance: string;
  /** Whether the tree declares force_rcu(void) (then the flavor has the FORCE cap). */
  hasForceRcu: boolean;
}

/** `git describe --tags --always --dirty` of the tree, or null when it is not a git checkout. */
function gitDescribe(root: string): string | null {
  if (!existsSync(join(root, '.git'))) return null;
  const r = spawnSync('git', ['-C', root, 'describe', '--tags', '--always', '--dirty'], { encoding: 'utf8', timeout: 10_000 });
  const out = r.status === 0 ? r.stdout.trim() : '';
  return out === '' ? null : out;
}

/** Flavor names become folder names: keep them to letters, digits, dot, dash and underscore. */
function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'tree';
}

/** `qemu-<describe>`; a folder already called qemu-something keeps its name. */
function qemuName(s: string): string {
  const name = safeName(s);
  return /^qemu([-_.]|$)/i.test(name) ? name : `qemu-${name}`;
}

/** A declaration or definition of force_rcu(void) that is not static. */
const FORCE_RCU = /^(?!\s*static\b)[^\n;{}]*\bvoid\s+force_rcu\s*\(\s*void\s*\)/m;

/** Reads a tree's shape. Throws a UsageError naming the path when it is not a QEMU tree. */
export function qemuTree(path: string, label: string): QemuTree {
  const root = resolve(path);
  if (!isTreeImpl(root)) throw new UsageError(`${label}: no such folder (expected a QEMU source tree)`);
  const rcuC = join(root, 'util', 'rcu.c');
  if (!existsSync(rcuC)) throw new UsageError(`${label}: ${rcuC} not found (expected a QEMU source tree with util/rcu.c)`);
  const include = join(root, 'include');
  const rcuH = join(include, 'qemu', 'rcu.h');
  if (!existsSync(rcuH)) throw new UsageError(`${label}: ${rcuH} not found (the tree's own rcu.h, queue.h and notify.h are used)`);
  const notify = join(root, 'util', 'notify.c');
  const describe = gitDescribe(root);
  const sources = [rcuC, rcuH].map((f) => readFileSync(f, 'utf8')).join('\n');
  return {
    root, rcuC, include,
    notifyC: existsSync(notify) ? notify : null,
    name: qemuName(describe ?? basename(root)),
    provenance: describe ? `util/rcu.c of ${root} at ${describe}` : `util/rcu.c of ${root}`,
    hasForceRcu: FORCE_RCU.test(sources),
  };
}

/** A C string literal of a path or name, for -D (paths may hold quotes or backslashes). */
function cString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** How torture/c/compile.ts builds the tree: one translation unit, the glue including the tree's files. */
export function qemuBuild(tree: QemuTree, label: string): CBuild {
  const compat = join(packageInclude(), 'qemu-compat');
  const defines: Record<string, string | null> = {
    QEMU_COMPAT_RCU_C: cString(tree.rcuC),
    QEMU_COMPAT_NOTIFY_C: tree.notifyC ? cString(tree.notifyC) : null,
    QEMU_COMPAT_FLAVOR_NAME: cString(tree.name),
    QEMU_COMPAT_PROVENANCE: cString(tree.provenance),
    QEMU_COMPAT_HAVE_FORCE_RCU: tree.hasForceRcu ? '1' : null,
  };
  return {
    sources: [join(compat, 'rcutorture-qemu.c')],
    // Our host headers first: a real tree's own qemu/atomic.h, thread.h... are for Linux hosts.
    includeDirs: [compat, tree.include],
    cflags: Object.entries(defines).filter(([, v]) => v !== null).map(([k, v]) => `-D${k}=${v}`),
    label,
  };
}

/** The flavor of a QEMU tree (built, or taken from the cache). */
export function loadQemuTreeFlavors(path: string, label: string): RcuFlavor[] {
  const tree = qemuTree(path, label);
  return flavorsOfWasm(compileC(qemuBuild(tree, label)).wasm, label);
}
