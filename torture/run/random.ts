/**
 * Seeded randomness for the harness. One run seed; every role derives its own
 * stream from (seed, stream id), so a role's choices do not depend on how
 * fast the others run, and the simulation engine replays a seed exactly.
 */

/** splitmix32: turns (seed, stream) into well-mixed 32-bit state words. */
function splitmix32(x: number): () => number {
  return () => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** sfc32 (Chris Doty-Humphrey's small fast counting generator). */
export class Random {
  private a: number; private b: number; private c: number; private d: number;

  constructor(seed: number, stream = 0) {
    const mix = splitmix32((seed ^ Math.imul(stream + 1, 0x27d4eb2d)) | 0);
    // The state as int32 from its first store (the same bits): fields are assigned here, not
    // defined (tsconfig useDefineForClassFields), so this store decides their representation, and a
    // uint32 above 2^31 would make it double for good: boxed loads and stores in every reader
    // section's draw (8 ns a draw instead of 2, with a tagged or double state).
    this.a = mix() | 0; this.b = mix() | 0; this.c = mix() | 0; this.d = mix() | 0;
    for (let i = 0; i < 12; i++) this.next32();
  }

  /** The next 32 bits as a signed int32 (a small integer to V8: the hot paths' draw, no heap number). */
  nextInt32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t;
  }

  /** The same bits as a uint32. */
  next32(): number { return this.nextInt32() >>> 0; }

  /** Uniform in [0, 1). */
  float(): number { return this.next32() / 4294967296; }
  /** Uniform integer in [0, n). */
  below(n: number): number { return Math.floor(this.float() * n); }
  /** True with probability 1/n (n <= 0 never). */
  oneIn(n: number): boolean { return n > 0 && this.below(n) === 0; }
  /** Uniform in [lo, hi]. */
  range(lo: number, hi: number): number { return lo + this.float() * (hi - lo); }
  /** Picks an index with probability proportional to its weight. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) return i;
    }
    return weights.length - 1;
  }
}

/** A fresh random seed for a run that was given none (the only unseeded choice). */
export function freshSeed(): number {
  return (Math.random() * 0x7fffffff) >>> 0;
}
