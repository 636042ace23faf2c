/**
 * Small helpers shared by the `node:crypto`-backed fast paths (Node entry only).
 * @module
 */
import { Buffer } from 'node:buffer';

/**
 * Returns a plain `Uint8Array` for a Node `Buffer` without copying when the buffer owns its whole `ArrayBuffer`
 * (large outputs); small or pooled buffers are copied so callers never see a shared slab.
 * @internal
 */
export function _u8(buf: Uint8Array): Uint8Array {
  if (buf.byteOffset === 0 && buf.buffer.byteLength === buf.byteLength && buf.byteLength >= 4096) {
    return new Uint8Array(buf.buffer, 0, buf.byteLength);
  }
  return new Uint8Array(buf);
}

/**
 * A fresh Uint8Array of `n` bytes that the caller overwrites completely. Large buffers come from
 * `Buffer.allocUnsafe` (no zero-fill, the allocation pattern `node:crypto` itself uses), returned as a plain
 * Uint8Array over the whole, unpooled ArrayBuffer.
 * @internal
 */
export function _alloc(n: number): Uint8Array {
  if (n < 4096) return new Uint8Array(n);
  const b = Buffer.allocUnsafe(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}

/** Concatenates two native outputs into one fresh Uint8Array. @internal */
export function _cat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (b.length === 0) return _u8(a);
  const out = _alloc(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
