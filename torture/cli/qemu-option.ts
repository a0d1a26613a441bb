/**
 * `--qemu <tree>` on run, compare and soak: QEMU mode (torture/c/qemu-tree.ts).
 * The tree travels to the workers as the run's impl path (a folder), so it
 * is the same as `--impl <tree>`; the option checks the tree's shape first.
 */
import type { Command } from 'commander';
import { qemuTree } from '../c/qemu-tree.js';
import { UsageError } from '../run/parse.js';

export interface QemuCliOptions { qemu?: string; impl?: string }

export function addQemuOption(cmd: Command): Command {
  return cmd.option('--qemu <tree>', 'torture the util/rcu.c of a QEMU source tree, built with clang to wasm32 (see docs/qemu-mode.md)');
}

/** The impl path the options ask for: --impl, or the --qemu tree. Throws a UsageError. */
export function implFromOptions(o: QemuCliOptions): string | undefined {
  if (o.qemu === undefined) return o.impl;
  if (o.impl !== undefined) throw new UsageError(`--qemu ${o.qemu} and --impl ${o.impl}: give one of them (a tree is also accepted as --impl <tree>)`);
  qemuTree(o.qemu, `--qemu ${o.qemu}`);
  return o.qemu;
}
