/**
 * Finding clang and wasm-ld on PATH, without running them (workers look the
 * cache up on every start and must not spawn a compiler to do so).
 */
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../run/parse.js';

export const INSTALL_HINT = 'install clang and lld (Debian: apt-get install clang lld)';

export interface Toolchain {
  clang: string;
  wasmLd: string;
  /** Identifies this compiler build for the cache key (real path, size, mtime). */
  identity: string;
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      if (statSync(p).isFile()) return p;
    } catch { /* not here */ }
  }
  return null;
}

/** Throws a UsageError with the install hint when clang or wasm-ld is missing. */
export function findToolchain(label: string): Toolchain {
  const clang = onPath('clang');
  const wasmLd = onPath('wasm-ld');
  if (!clang || !wasmLd) {
    const missing = [clang ? null : 'clang', wasmLd ? null : 'wasm-ld'].filter(Boolean).join(' and ');
    throw new UsageError(`${label}: the C path needs ${missing}, not found on PATH: ${INSTALL_HINT}`);
  }
  const id = (p: string) => { const r = realpathSync(p); const s = statSync(r); return `${r}:${s.size}:${s.mtimeMs}`; };
  return { clang, wasmLd, identity: `${id(clang)} ${id(wasmLd)}` };
}

/** The package's include/ folder (rcutorture.h, rcutorture-rt.c), from dist/ or from source. */
export function packageInclude(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'include', 'rcutorture.h'))) return join(dir, 'include');
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the package\'s include/rcutorture.h');
    dir = up;
  }
}
