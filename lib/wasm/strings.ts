/** Reading C strings and words out of a module's memory. */

const decoder = new TextDecoder();

/** The NUL-terminated UTF-8 string at byte address `ptr` (null for a NULL pointer). */
export function cString(memory: WebAssembly.Memory, ptr: number): string | null {
  if (ptr === 0) return null;
  const bytes = new Uint8Array(memory.buffer);
  let end = ptr;
  while (end < bytes.length && bytes[end] !== 0) end++;
  // TextDecoder refuses views of shared memory: decode a private copy.
  return decoder.decode(bytes.slice(ptr, end));
}

/** The 32-bit word at byte address `ptr`, unsigned. */
export function word(memory: WebAssembly.Memory, ptr: number): number {
  if (ptr & 3) throw new Error(`unaligned word at 0x${ptr.toString(16)}`);
  return new Uint32Array(memory.buffer)[ptr >>> 2];
}
