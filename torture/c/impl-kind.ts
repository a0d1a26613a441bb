/**
 * What kind of --impl a path is, without loading the C path: a JavaScript
 * module, a C or wasm file (torture/c/load.ts), or a QEMU source tree
 * (torture/c/qemu-tree.ts). Every worker asks; only C runs load the rest.
 */
import { statSync } from 'node:fs';
import { extname, resolve } from 'node:path';

export const C_EXTENSIONS = ['.c', '.wasm'];

export const isCImpl = (path: string): boolean => C_EXTENSIONS.includes(extname(path).toLowerCase());

/** A folder given as --impl (or --qemu) is a QEMU source tree. */
export function isTreeImpl(path: string): boolean {
  try {
    return statSync(resolve(path)).isDirectory();
  } catch {
    return false;
  }
}
