/**
 * Test-only forgery kit for issue 16 items 1–2: what a hostile sender can build with the library's own public
 * primitives (HPKE single-shot, core's AEADs, HKDF, hashes). Nothing here is in a production entry.
 *
 * - GF(2^128) arithmetic in GCM's bit-reflected convention (NIST SP 800-38D §6.3, Algorithm 1), written here.
 * - `solveGcmBlock`: chooses one ciphertext block so that the GCM tag under two different keys is the same
 *   (works for AES-GCM and SM4-GCM alike; it only calls the AEAD's public seal).
 * - `buildEnvelope`: lays out an envelope byte by byte from FORMAT.md (version 1 or 2), with an arbitrary data key
 *   per slot — what an honest `seal` never does — and `openV1` opens version 1 exactly as FORMAT.md v1 §3.5 did.
 */
import { expect } from 'vitest';
import { chacha20 } from '@noble/ciphers/chacha.js';
import { concatBytes, getHash, hkdfExpand, hkdfExtract, randomBytes, utf8ToBytes } from '@privkit/core';
import { hpke, keyId, OpenError, type Suite } from '@privkit/envelope';

/** Asserts that `fn` throws the generic OpenError (code, message, no detail). */
export function expectOpenError(fn: () => unknown): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(OpenError);
  expect((err as OpenError).code).toBe('ENVELOPE_AUTH_FAILED');
  expect((err as OpenError).message).toBe('open failed');
}

// ---------------------------------------------------------------- GF(2^128), GCM convention
// An element is a 16-byte block read big-endian into a bigint: the coefficient of x^0 is the most significant bit.
const R = 0xe1n << 120n;
/** The field's one (x^0). */
export const GF_ONE = 1n << 127n;

export function toBig(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}
export function toBlock(v: bigint): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 15; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
/** X · Y in GF(2^128) (SP 800-38D Algorithm 1). */
export function gmul(x: bigint, y: bigint): bigint {
  let z = 0n;
  let v = y;
  for (let i = 127; i >= 0; i--) {
    if ((x >> BigInt(i)) & 1n) z ^= v;
    v = v & 1n ? (v >> 1n) ^ R : v >> 1n;
  }
  return z;
}
/** a^(2^128 − 2) = a^(−1) for a ≠ 0. */
export function ginv(a: bigint): bigint {
  let r = GF_ONE;
  let b = a;
  let e = (1n << 128n) - 2n;
  while (e > 0n) {
    if (e & 1n) r = gmul(r, b);
    b = gmul(b, b);
    e >>= 1n;
  }
  return r;
}

const xor = (a: Uint8Array, b: Uint8Array): Uint8Array => a.map((x, i) => x ^ b[i]!);

/**
 * Given the payload keys k1 ≠ k2 of one GCM AEAD, a nonce, associated data and a ciphertext `c` (a multiple of 16
 * bytes), replaces block `j` of `c` so that `c ‖ tag` verifies under both keys. GCM's tag is affine in each
 * ciphertext block: tag_k(c ⊕ x·e_j) = tag_k(c) ⊕ x·H_k^(e), so x = (t1 ⊕ t2)·(D1 ⊕ D2)^(−1) with D_k = H_k^(e)
 * read off two encryptions. Returns the ciphertext with its tag.
 */
export function solveGcmBlock(s: Suite, k1: Uint8Array, k2: Uint8Array, nonce: Uint8Array, aad: Uint8Array, c: Uint8Array, j: number): Uint8Array {
  const aead = s.aead.impl!();
  const n = c.length;
  const ks = [k1, k2].map((k) => aead.seal(k, nonce, new Uint8Array(n), aad).subarray(0, n));
  const tag = (i: 0 | 1, ct: Uint8Array): bigint => toBig(aead.seal([k1, k2][i]!, nonce, xor(ct, ks[i]!), aad).subarray(n));
  const withBlock = (v: bigint): Uint8Array => {
    const out = c.slice();
    out.set(toBlock(v), 16 * j);
    return out;
  };
  const c0 = withBlock(0n);
  const c1 = withBlock(GF_ONE);
  const t1 = tag(0, c0);
  const t2 = tag(1, c0);
  const d1 = tag(0, c1) ^ t1;
  const d2 = tag(1, c1) ^ t2;
  const forged = withBlock(gmul(t1 ^ t2, ginv(d1 ^ d2)));
  return concatBytes(forged, toBlock(tag(0, forged)));
}

// ---------------------------------------------------------------- Poly1305 (RFC 8439 §2.5, §2.8), mod 2^130 − 5
const P1305 = (1n << 130n) - 5n;
const le = (b: Uint8Array): bigint => toBig(b.slice().reverse());
const leBlock = (v: bigint): Uint8Array => toBlock(v).reverse();
const mod = (a: bigint): bigint => ((a % P1305) + P1305) % P1305;
function powmod(b: bigint, e: bigint): bigint {
  let r = 1n;
  b = mod(b);
  while (e > 0n) {
    if (e & 1n) r = (r * b) % P1305;
    b = (b * b) % P1305;
    e >>= 1n;
  }
  return r;
}

/**
 * The ChaCha20-Poly1305 analogue of {@link solveGcmBlock} (the partitioning-oracle construction of Len, Grubbs,
 * Ristenpart, USENIX Security 2021, for two keys): with the one-time keys (r_k, s_k) — ChaCha20 block 0, from
 * `@noble/ciphers` — the tag is `(Σ n_i·r^(q−i+1) mod p + s) mod 2^128`, affine mod p in the 17-byte value
 * `n_j = c_j + 2^128` of the free block. For each candidate integer difference δ ≡ s2 − s1 (mod 2^128) of the two
 * accumulators, solve n_j mod p and keep it when it is a valid block and both tags agree; otherwise re-draw block
 * `filler` and retry. `c` is a multiple of 16 bytes.
 */
export function solvePoly1305Block(k1: Uint8Array, k2: Uint8Array, nonce: Uint8Array, aad: Uint8Array, c: Uint8Array, j: number, filler: number): Uint8Array {
  const clamp = 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const oneTime = [k1, k2].map((k) => {
    const otk = chacha20(k, nonce, new Uint8Array(32), undefined, 0);
    return { r: le(otk.subarray(0, 16)) & clamp, s: le(otk.subarray(16, 32)) };
  });
  const pad = (x: Uint8Array) => concatBytes(x, new Uint8Array((16 - (x.length % 16)) % 16));
  const lens = new Uint8Array(16);
  new DataView(lens.buffer).setBigUint64(0, BigInt(aad.length), true);
  new DataView(lens.buffer).setBigUint64(8, BigInt(c.length), true);
  const aadBlocks = pad(aad).length / 16;
  const t = aadBlocks + j; // index of the free block in the MAC input
  const ct = c.slice();
  for (let attempt = 0; attempt < 256; attempt++) {
    const data = concatBytes(pad(aad), ct, lens);
    const q = data.length / 16;
    const n = Array.from({ length: q }, (_, i) => le(data.subarray(16 * i, 16 * i + 16)) + (1n << 128n));
    const acc = (r: bigint, nt: bigint) => n.reduce((a, ni, i) => mod(a + (i === t ? nt : ni) * powmod(r, BigInt(q - i))), 0n);
    const [o1, o2] = oneTime as [{ r: bigint; s: bigint }, { r: bigint; s: bigint }];
    const B1 = acc(o1.r, 0n);
    const B2 = acc(o2.r, 0n);
    const R1 = powmod(o1.r, BigInt(q - t));
    const R2 = powmod(o2.r, BigInt(q - t));
    const d = (o2.s - o1.s) & ((1n << 128n) - 1n);
    for (let m = -4n; m <= 3n; m++) {
      const delta = d + m * (1n << 128n);
      const X = mod((delta - B1 + B2) * powmod(R1 - R2, P1305 - 2n));
      if (X < 1n << 128n || X >= 1n << 129n) continue;
      const t1 = (acc(o1.r, X) + o1.s) & ((1n << 128n) - 1n);
      const t2 = (acc(o2.r, X) + o2.s) & ((1n << 128n) - 1n);
      if (t1 !== t2) continue;
      ct.set(leBlock(X - (1n << 128n)), 16 * j);
      return concatBytes(ct, leBlock(t1));
    }
    ct.set(randomBytes(16), 16 * filler);
  }
  throw new Error('no solution in 256 attempts');
}

/** The plaintext a key reads from an AEAD ciphertext‖tag (decrypts; throws if the tag fails). */
export function aeadOpen(s: Suite, k: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array): Uint8Array {
  return s.aead.impl!().open(k, nonce, ct, aad);
}

// ---------------------------------------------------------------- envelope layout from FORMAT.md
const u16 = (v: number) => new Uint8Array([v >>> 8, v & 0xff]);
const u64 = (v: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(v));
  return b;
};

/**
 * The header prefix P' (FORMAT.md §3); `extra` is the stream's chunk size ‖ nonce prefix; `senderKid` switches to
 * auth mode (flags bit 0).
 */
export function prefixOf(version: 1 | 2, kind: 1 | 2, s: Suite, n: number, extra: Uint8Array = new Uint8Array(0), senderKid?: Uint8Array): Uint8Array {
  const flags = new Uint8Array([senderKid ? 1 : 0]);
  return concatBytes(utf8ToBytes('PKEV'), new Uint8Array([version, kind]), u16(s.kem.id), u16(s.kdf.id), u16(s.aead.id), flags, u16(n), senderKid ?? new Uint8Array(0), extra);
}

/** Auth-mode payload commitment C: v1 `Hash(u64(len aad) ‖ aad ‖ payload)`, v2 `Hash(h ‖ payload)` (FORMAT.md §3.3). */
function payloadCommitment(version: 1 | 2, s: Suite, prefix: Uint8Array, kids: Uint8Array, aad: Uint8Array, payload: Uint8Array): Uint8Array {
  const H = getHash(s.kdf.hash);
  if (version === 1) return H(concatBytes(u64(aad.length), aad, payload));
  return H(concatBytes(H(concatBytes(prefix, kids, u64(aad.length), aad)), payload));
}

/** FORMAT.md §3.1 (v2): h, κ and the payload key from a data key. Written from the spec, not from the sources. */
export function v2Keys(s: Suite, prefix: Uint8Array, kids: Uint8Array, aad: Uint8Array, dek: Uint8Array): { h: Uint8Array; kappa: Uint8Array; key: Uint8Array } {
  const h = getHash(s.kdf.hash)(concatBytes(prefix, kids, u64(aad.length), aad));
  const prk = hkdfExtract(s.kdf.hash, utf8ToBytes('PrivKit envelope v2'), dek);
  return {
    h,
    kappa: hkdfExpand(s.kdf.hash, prk, concatBytes(utf8ToBytes('commit'), h), 32),
    key: hkdfExpand(s.kdf.hash, prk, concatBytes(utf8ToBytes('payload'), h), s.aead.Nk),
  };
}

/**
 * A base-mode envelope laid out from FORMAT.md with one data key per slot (`deks[i]` for `recipients[i]`),
 * `kids` (default: the recipients' real key ids), the key commitment `kappa` (v2 only) and a ready payload.
 */
export function buildEnvelope(o: {
  version: 1 | 2;
  kind?: 1 | 2;
  suite: Suite;
  recipients: Uint8Array[];
  deks: Uint8Array[];
  kids?: Uint8Array[];
  kappa?: Uint8Array;
  extra?: Uint8Array;
  /** Sender secret key: auth mode (one-shot envelopes, no AAD). */
  sender?: Uint8Array;
  payload: (prefix: Uint8Array, kids: Uint8Array) => Uint8Array;
}): Uint8Array {
  const { version, suite: s, recipients, sender } = o;
  const senderKid = sender ? keyId(s, s.kem.getPublicKey(sender)) : undefined;
  const prefix = prefixOf(version, o.kind ?? 1, s, recipients.length, o.extra, senderKid);
  const kidList = o.kids ?? recipients.map((pk) => keyId(s, pk));
  const kids = concatBytes(...kidList);
  const payload = o.payload(prefix, kids);
  const C = sender ? payloadCommitment(version, s, prefix, kids, new Uint8Array(0), payload) : new Uint8Array(0);
  const info = concatBytes(utf8ToBytes(`PrivKit envelope v${version} wrap`), prefix);
  const aad = version === 1 ? concatBytes(kids, C) : concatBytes(kids, o.kappa!, C);
  const slots = recipients.map((pk, i) => {
    const { enc, ct } = sender ? hpke.sealAuth(s, pk, info, aad, o.deks[i]!, sender) : hpke.sealBase(s, pk, info, aad, o.deks[i]!);
    return concatBytes(kidList[i]!, enc, ct);
  });
  return concatBytes(prefix, ...slots, version === 2 ? o.kappa! : new Uint8Array(0), payload);
}

/**
 * Opens a version-1 one-shot envelope exactly as FORMAT.md v1 §3.5 specified (the pre-fix format), base mode or,
 * with `senderPublicKey`, auth mode.
 */
export function openV1(env: Uint8Array, sk: Uint8Array, senderPublicKey?: Uint8Array): Uint8Array {
  const s = hpke.suite((env[6]! << 8) | env[7]!, (env[8]! << 8) | env[9]!, (env[10]! << 8) | env[11]!);
  const n = (env[13]! << 8) | env[14]!;
  const aad = new Uint8Array(0);
  const prefix = env.subarray(0, senderPublicKey ? 23 : 15);
  const P = prefix.length;
  const Nenc = s.kem.lengths.enc;
  const slotLen = 8 + Nenc + s.aead.Nk + s.aead.Nt;
  const slots = env.subarray(P, P + n * slotLen);
  const payload = env.subarray(P + n * slotLen);
  const kids = concatBytes(...Array.from({ length: n }, (_, i) => slots.subarray(i * slotLen, i * slotLen + 8)));
  const mine = keyId(s, s.kem.getPublicKey(sk));
  const info = concatBytes(utf8ToBytes('PrivKit envelope v1 wrap'), prefix);
  for (let i = 0; i < n; i++) {
    const slot = slots.subarray(i * slotLen, (i + 1) * slotLen);
    if (slot.subarray(0, 8).some((x, k) => x !== mine[k])) continue;
    const enc = slot.subarray(8, 8 + Nenc);
    const w = slot.subarray(8 + Nenc);
    const dek = senderPublicKey
      ? hpke.openAuth(s, enc, sk, info, concatBytes(kids, payloadCommitment(1, s, prefix, kids, aad, payload)), w, senderPublicKey)
      : hpke.openBase(s, enc, sk, info, kids, w);
    return s.aead.impl!().open(dek, new Uint8Array(s.aead.Nn), payload, concatBytes(prefix, kids, aad));
  }
  throw new Error('no slot');
}
