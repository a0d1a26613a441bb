/**
 * --impl x.c and --impl x.wasm: the flavors of a C file (compiled, or taken
 * from the cache) or of a module built by `rcutorture build`. Memoised per
 * process: every worker of a run loads the same module once.
 */
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { RcuFlavor } from '../../lib/rcu/flavor.js';
import { cFlavors } from '../../lib/wasm/flavor.js';
import { loadImage } from '../../lib/wasm/image.js';
import { UsageError } from '../run/parse.js';
import { compileC } from './compile.js';

const loaded = new Map<string, RcuFlavor[]>();

/** The flavors of a compiled module file. Throws a UsageError naming what is wrong. */
export function flavorsOfWasm(wasmPath: string, label: string): RcuFlavor[] {
  const key = resolve(wasmPath);
  const known = loaded.get(key);
  if (known) return known;
  let flavors: RcuFlavor[];
  try {
    flavors = cFlavors(loadImage(readFileSync(wasmPath), label), label);
  } catch (e) {
    throw new UsageError(`${label}: ${e instanceof Error ? e.message : String(e)}`);
  }
  loaded.set(key, flavors);
  return flavors;
}

export function loadCFlavors(path: string, label: string): RcuFlavor[] {
  const wasm = extname(path).toLowerCase() === '.wasm' ? path : compileC({ sources: [path], label }).wasm;
  return flavorsOfWasm(wasm, label);
}
