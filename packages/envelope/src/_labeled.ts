/**
 * RFC 9180 §4 labeled HKDF helpers, shared by the KEMs and the key schedule. Internal.
 * @module
 */
import { hkdfExpand, hkdfExtract, type HashId } from './_core.js';

const HPKE_V1 = /* "HPKE-v1" */ new Uint8Array([0x48, 0x50, 0x4b, 0x45, 0x2d, 0x76, 0x31]);
const EMPTY = new Uint8Array(0);

/** ASCII bytes of a label (labels are fixed ASCII strings). */
export function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function cat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
export { cat as concat };

/** `LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" ‖ suite_id ‖ label ‖ ikm)` (RFC 9180 §4). */
export function labeledExtract(hash: HashId, suiteId: Uint8Array, salt: Uint8Array, label: Uint8Array, ikm: Uint8Array): Uint8Array {
  return hkdfExtract(hash, salt, cat([HPKE_V1, suiteId, label, ikm]));
}

/** `LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) ‖ "HPKE-v1" ‖ suite_id ‖ label ‖ info, L)`. */
export function labeledExpand(hash: HashId, suiteId: Uint8Array, prk: Uint8Array, label: Uint8Array, info: Uint8Array, L: number): Uint8Array {
  return hkdfExpand(hash, prk, cat([new Uint8Array([L >>> 8, L & 0xff]), HPKE_V1, suiteId, label, info]), L);
}

export { EMPTY };
