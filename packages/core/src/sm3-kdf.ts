/**
 * The key derivation function of GB/T 32918.4-2016 §5.4.3 (SM2 public-key encryption and key exchange):
 * `K = Hv(Z || ct=1) || Hv(Z || ct=2) || …` truncated to `klen`, with `Hv` = SM3 and `ct` a 32-bit big-endian
 * counter starting at 1.
 * @module
 */
import { LimitError } from './errors.js';
import { sm3 } from './sm3.js';
import { abytes, anumber } from './validate.js';

/** Largest output accepted: (2³² − 1)·32 bytes is the spec bound; we cap lower, at 2³⁰ bytes (1 GiB). */
const MAX_KLEN = 2 ** 30;

/**
 * SM3-KDF of GB/T 32918.4-2016 §5.4.3.
 * @param z - the shared bit string Z (e.g. `x2 || y2` in SM2 encryption)
 * @param klen - output length in **bytes** (the standard counts bits; PrivKit only supports whole bytes), 0..2³⁰
 * @returns `klen` bytes
 * @throws {InputError} for a non-Uint8Array `z` or a `klen` that is not an integer ≥ 0
 * @throws {LimitError} `LIMIT_EXCEEDED` for `klen` > 2³⁰
 * @example
 * ```ts
 * const t = sm3Kdf(concatBytes(x2, y2), message.length);
 * ```
 */
export function sm3Kdf(z: Uint8Array, klen: number): Uint8Array {
  abytes(z, undefined, 'z');
  anumber(klen, 'klen');
  if (klen > MAX_KLEN) throw new LimitError(`"klen" expected at most ${MAX_KLEN} bytes, got ${klen}`);
  const out = new Uint8Array(klen);
  const ctr = new Uint8Array(4);
  for (let pos = 0, ct = 1; pos < klen; ct++, pos += 32) {
    ctr[0] = ct >>> 24;
    ctr[1] = ct >>> 16;
    ctr[2] = ct >>> 8;
    ctr[3] = ct;
    const block: Uint8Array = sm3.create().update(z).update(ctr).digest();
    out.set(klen - pos >= 32 ? block : block.subarray(0, klen - pos), pos);
  }
  return out;
}
