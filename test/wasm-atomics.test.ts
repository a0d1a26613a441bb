/**
 * The threads engine's cell operations through inlined WebAssembly
 * (lib/platform/wasm-atomics.ts) do what `Atomics` does, cell for cell,
 * on the same shared buffer; and the threads engine's Platform uses them
 * when the heap is a shared WebAssembly.Memory.
 */
import { describe, expect, it } from 'vitest';
import { jsAtomics, wasmAtomics, type CellAtomics } from '../lib/platform/wasm-atomics.js';
import { ThreadsPlatform } from '../lib/platform/threads.js';
import { execFileSync } from 'node:child_process';
import { CLI, scratchDir } from './helpers.js';

function pair(): { w: CellAtomics; j: CellAtomics; wi: Int32Array; ji: Int32Array } {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const wi = new Int32Array(memory.buffer as unknown as SharedArrayBuffer);
  const ji = new Int32Array(new SharedArrayBuffer(wi.byteLength));
  return { w: wasmAtomics(memory), j: jsAtomics(ji), wi, ji };
}

describe('wasm atomics', () => {
  it('every operation returns and stores what Atomics does, on values across the int32 range', () => {
    const { w, j, wi, ji } = pair();
    const values = [0, 1, -1, 7, 0x7fffffff, -0x80000000, 0x6b6b6b6b, -12345];
    let cell = 3;
    for (const a of values) {
      for (const b of values) {
        for (const [name, args] of [
          ['store', [b]], ['exchange', [b]], ['fetchAdd', [b]], ['fetchOr', [b]], ['fetchAnd', [b]],
          ['compareExchange', [a, b]], ['compareExchange', [a ^ 1, b]], ['load', []],
        ] as const) {
          wi[cell] = a;
          ji[cell] = a;
          const f = name as keyof CellAtomics;
          const got = (w[f] as (c: number, ...x: number[]) => number | void)(cell, ...args);
          const want = (j[f] as (c: number, ...x: number[]) => number | void)(cell, ...args);
          expect(got, `${name}(${a}, ${args.join(', ')})`).toBe(want);
          expect(wi[cell], `${name}(${a}, ${args.join(', ')}) stored`).toBe(ji[cell]);
          // Neighbours untouched: the cell is shifted to its own 4 bytes.
          expect(wi[cell - 1]).toBe(0);
          expect(wi[cell + 1]).toBe(0);
        }
      }
      cell = cell === 3 ? 1000 : 3;
    }
  });

  it('the last cell of the memory is in reach, the one past it traps', () => {
    const { w, wi } = pair();
    w.store(wi.length - 1, 42);
    expect(wi[wi.length - 1]).toBe(42);
    expect(() => w.load(wi.length)).toThrow(WebAssembly.RuntimeError);
  });

  it('the threads Platform accesses a heap given as a WebAssembly.Memory through them, and waits on it as before', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const i32 = new Int32Array(memory.buffer as unknown as SharedArrayBuffer);
    const p = new ThreadsPlatform(i32, { abortCell: 0, epochMs: performance.timeOrigin + performance.now(), memory });
    p.store(10, 5);
    expect(i32[10]).toBe(5);
    expect(p.fetchAdd(10, 2)).toBe(5);
    expect(p.load(10)).toBe(7);
    expect(p.compareExchange(10, 7, 9)).toBe(7);
    expect(Atomics.load(i32, 10)).toBe(9);
    expect(p.wait(10, 8, 1)).toBe('not-equal');
    expect(p.wait(10, 9, 1)).toBe('timed-out');
  });

  it.runIf(process.platform === 'linux')('under an address-space limit (ulimit -v) a run uses a plain buffer and Atomics, and succeeds', () => {
    // 12 GiB: room for node and its workers, not for a wasm memory's reservation besides them.
    const out = execFileSync('bash', ['-c', `ulimit -v 12000000 && exec "${process.execPath}" "${CLI}" --duration 1s --readers 2 --seed 3 -q --results "${scratchDir()}"`],
      { encoding: 'utf8', timeout: 60_000 });
    expect(out).toContain('rcutorture: qemu-v0 default SUCCESS');
  });
});
