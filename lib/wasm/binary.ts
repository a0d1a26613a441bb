/**
 * The one fact about a wasm binary the adapter needs before instantiating
 * it: the limits of the memory it imports (a shared memory handed to it must
 * be at least `min` and at most `max` pages).
 */

export interface MemoryLimits { minPages: number; maxPages: number | undefined; shared: boolean }

const IMPORT_SECTION = 2;
const KIND_FUNC = 0, KIND_TABLE = 1, KIND_MEMORY = 2, KIND_GLOBAL = 3;

class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}
  byte(): number {
    if (this.pos >= this.b.length) throw new Error('truncated wasm binary');
    return this.b[this.pos++];
  }
  leb(): number {
    let result = 0, shift = 0, byte: number;
    do {
      byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  }
  skip(n: number): void { this.pos += n; }
  limits(): { min: number; max: number | undefined; shared: boolean } {
    const flags = this.byte();
    const min = this.leb();
    const max = flags & 1 ? this.leb() : undefined;
    return { min, max, shared: (flags & 2) !== 0 };
  }
}

/** The imported memory's limits, or null when the module imports none. */
export function importedMemoryLimits(bytes: Uint8Array): MemoryLimits | null {
  const r = new Reader(bytes);
  r.skip(8); // magic and version
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.leb();
    const end = r.pos + size;
    if (id === IMPORT_SECTION) {
      for (let n = r.leb(); n > 0; n--) {
        r.skip(r.leb()); // module name
        r.skip(r.leb()); // field name
        const kind = r.byte();
        if (kind === KIND_FUNC) r.leb();
        else if (kind === KIND_TABLE) { r.byte(); r.limits(); }
        else if (kind === KIND_GLOBAL) { r.byte(); r.byte(); }
        else if (kind === KIND_MEMORY) {
          const l = r.limits();
          return { minPages: l.min, maxPages: l.max, shared: l.shared };
        } else throw new Error(`unknown import kind ${kind}`);
      }
      return null;
    }
    r.pos = end;
  }
  return null;
}
