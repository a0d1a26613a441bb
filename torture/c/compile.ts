/**
 * Compiling C flavors to wasm32 modules: clang per source (with -MD, so the
 * cache knows every header read), then wasm-ld through clang, with a shared
 * imported memory, atomics, local-exec TLS and the ABI's exports. Results
 * are cached by content (cache.ts). A compiler error is a UsageError (exit 2)
 * carrying the compiler's first error line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { UsageError } from '../run/parse.js';
import { cacheDir, cacheKey, lookup, parseDepFile, store } from './cache.js';
import { findToolchain, packageInclude } from './toolchain.js';

/** A module's memory may grow to this (shared memories need a maximum); a run uses what it needs. */
const MAX_MEMORY_BYTES = 1 << 30;

export const COMPILE_FLAGS = [
  '--target=wasm32', '-O2', '-matomics', '-mbulk-memory', '-mmutable-globals',
  // clang 14 aborts on TLS in a shared-memory module under any other model.
  '-ftls-model=local-exec',
  '-nostdlib', '-ffreestanding',
  // An undeclared function would otherwise become a link error far from its cause.
  '-Werror=implicit-function-declaration',
];

export const LINK_FLAGS = [
  '--target=wasm32', '-nostdlib', '-Wl,--no-entry',
  '-Wl,--import-memory', '-Wl,--shared-memory', `-Wl,--max-memory=${MAX_MEMORY_BYTES}`,
  // The harness gives each thread its own stack and TLS block before any other call.
  '-Wl,--export=__stack_pointer', '-Wl,--export=__heap_base',
  '-Wl,--export=__wasm_init_tls', '-Wl,--export=__tls_size', '-Wl,--export=__tls_align',
  // Entry points are function pointers in the descriptor: the harness calls them through the table.
  '-Wl,--export-table',
  // The image's own stack is only used while a probe reads the descriptors.
  '-Wl,-z,stack-size=8192',
];

export interface CBuild {
  /** C sources of the flavor (include/rcutorture-rt.c is added). */
  sources: string[];
  /** Extra -I folders (the package's include/ is always first). */
  includeDirs?: string[];
  /** Extra compiler arguments (-D..., -include ...). */
  cflags?: string[];
  /** Names the input in messages ("--impl x.c"). */
  label: string;
}

export interface CBuildResult { wasm: string; cached: boolean }

/** The compiler's first error line, without the tool's own prefix. */
export function firstErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /\berror\b/.test(l)) ?? lines[0] ?? 'the compiler failed without a message';
}

function run(tool: string, args: string[], label: string): void {
  const r = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.error) throw new UsageError(`${label}: cannot run ${tool}: ${r.error.message}`);
  if (r.status !== 0) throw new UsageError(`${label}: ${firstErrorLine(r.stderr)}`);
}

export function compileC(b: CBuild): CBuildResult {
  const tools = findToolchain(b.label);
  const include = packageInclude();
  const sources = [...b.sources.map((s) => resolve(s)), join(include, 'rcutorture-rt.c')];
  const includeArgs = [include, ...(b.includeDirs ?? [])].map((d) => `-I${resolve(d)}`);
  const cflags = [...COMPILE_FLAGS, ...includeArgs, ...(b.cflags ?? [])];
  const dir = cacheDir();
  const key = cacheKey([tools.identity, ...cflags, '--', ...LINK_FLAGS], sources);
  const hit = lookup(dir, key);
  if (hit) return { wasm: hit, cached: true };

  const tmp = mkdtempSync(join(tmpdir(), 'rcutorture-c-'));
  try {
    const objects: string[] = [];
    const deps = new Set<string>();
    sources.forEach((src, i) => {
      const obj = join(tmp, `${i}-${basename(src)}.o`);
      const dep = `${obj}.d`;
      run(tools.clang, [...cflags, '-MD', '-MF', dep, '-c', src, '-o', obj], b.label);
      for (const d of parseDepFile(readFileSync(dep, 'utf8'))) deps.add(d);
      objects.push(obj);
    });
    const out = join(tmp, 'module.wasm');
    run(tools.clang, [...LINK_FLAGS, `-fuse-ld=${tools.wasmLd}`, ...objects, '-o', out], b.label);
    return { wasm: store(dir, key, readFileSync(out), [...deps]), cached: false };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
