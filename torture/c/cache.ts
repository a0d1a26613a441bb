/**
 * The compiled-module cache, keyed by content: the key hashes the flags,
 * the compiler's identity and the sources; a manifest under the key records
 * every header the compiler read (its -MD list) with the hash of its
 * contents, and a hit requires them all unchanged. So editing an included
 * header recompiles, and nothing else does.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Manifest {
  wasm: string;
  /** Every file the compilation read, with the sha256 of its contents. */
  deps: Record<string, string>;
}

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

function fileHash(path: string): string | null {
  try {
    return sha256(readFileSync(path));
  } catch {
    return null;
  }
}

/** $RCUTORTURE_CACHE, else $XDG_CACHE_HOME/rcutorture/c, else results/.cache/c under the working directory. */
export function cacheDir(): string {
  if (process.env.RCUTORTURE_CACHE) return resolve(process.env.RCUTORTURE_CACHE);
  if (process.env.XDG_CACHE_HOME) return join(process.env.XDG_CACHE_HOME, 'rcutorture', 'c');
  return resolve('results', '.cache', 'c');
}

export function cacheKey(parts: string[], sources: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  for (const s of sources) h.update(s).update('\0').update(fileHash(s) ?? 'missing').update('\0');
  return h.digest('hex').slice(0, 32);
}

/** The cached module's path when the manifest's every dependency is unchanged. */
export function lookup(dir: string, key: string): string | null {
  const mpath = join(dir, `${key}.json`);
  if (!existsSync(mpath)) return null;
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(mpath, 'utf8')) as Manifest;
  } catch {
    return null;
  }
  const wasm = join(dir, m.wasm);
  if (!existsSync(wasm)) return null;
  for (const [path, hash] of Object.entries(m.deps)) if (fileHash(path) !== hash) return null;
  return wasm;
}

/** Stores a module and its manifest; each file written aside and renamed (workers read concurrently). */
export function store(dir: string, key: string, wasmBytes: Uint8Array, depPaths: string[]): string {
  mkdirSync(dir, { recursive: true });
  const deps: Record<string, string> = {};
  for (const p of depPaths) deps[p] = fileHash(p) ?? 'missing';
  const name = `${key}-${sha256(wasmBytes).slice(0, 16)}.wasm`;
  const tmp = `.${process.pid}.tmp`;
  writeFileSync(join(dir, name + tmp), wasmBytes);
  renameSync(join(dir, name + tmp), join(dir, name));
  writeFileSync(join(dir, `${key}.json${tmp}`), JSON.stringify({ wasm: name, deps } satisfies Manifest));
  renameSync(join(dir, `${key}.json${tmp}`), join(dir, `${key}.json`));
  return join(dir, name);
}

/** Paths in a make-style dependency file (clang -MD). */
export function parseDepFile(text: string): string[] {
  const body = text.replace(/\\\n/g, ' ');
  const colon = body.indexOf(': ');
  const list = colon >= 0 ? body.slice(colon + 2) : body;
  return list.split(/(?<!\\)\s+/).filter(Boolean).map((p) => resolve(p.replace(/\\ /g, ' ')));
}
