/**
 * FORMAT.md, re-implemented from the text with raw noble primitives (no package internals), must accept the
 * package's signatures and compute the same key images: the document and the code agree byte for byte.
 */
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { computeKeyImage, encode, keygen, sign } from '@privkit/ring-sig';

const Pt = ristretto255.Point;
const L = Pt.Fn.ORDER;
const te = (s: string) => new TextEncoder().encode(s);
const le = (b: Uint8Array) => b.reduceRight((a, v) => (a << 8n) | BigInt(v), 0n);
const cat = (...p: Uint8Array[]) => Uint8Array.from(p.flatMap((x) => [...x]));
const XMD = (m: Uint8Array, dst: string, len: number) => expand_message_xmd(m, te(dst), len, sha512);
const HashToScalar = (m: Uint8Array, dst: string) => le(XMD(m, dst, 64)) % L;
const H2G = (m: Uint8Array, dst: string) => ristretto255_hasher.hashToCurve(m, { DST: te(dst) });
const DST_HP = 'PrivKit-RingSig-v1-HashToPoint-ristretto255_XMD:SHA-512_R255MAP_RO_';
const u16 = (x: number) => Uint8Array.of(x >>> 8, x & 0xff);
const u32 = (x: number) => Uint8Array.of(x >>> 24, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff);
const scopeField = (scope?: string) => (scope === undefined ? Uint8Array.of(0) : cat(Uint8Array.of(1), u16(te(scope).length), te(scope)));

/** FORMAT.md §2–§4 verification, written from the document. */
function specVerify(sigBytes: Uint8Array, m: Uint8Array, ring: Uint8Array[], scope?: string, aux?: Uint8Array[]): boolean {
  const tag = [...sigBytes.subarray(0, 4)].map((c) => String.fromCharCode(c)).join('');
  if (tag !== 'PKRS' || sigBytes[4] !== 1) return false;
  const scheme = sigBytes[5]!;
  const columns = sigBytes[6]!;
  const n = (sigBytes[7]! << 8) | sigBytes[8]!;
  if (n !== ring.length || sigBytes.length !== 9 + 32 * (n + 2) + (columns === 2 ? 32 : 0)) return false;
  const field = (k: number) => sigBytes.subarray(9 + 32 * k, 9 + 32 * (k + 1));
  const c0 = le(field(0));
  const s = Array.from({ length: n }, (_, i) => le(field(1 + i)));
  const Ib = field(n + 1);
  const Db = columns === 2 ? field(n + 2) : undefined;
  const sf = scopeField(scope);
  const T = cat(te('PKRS'), Uint8Array.of(1, scheme, columns), u16(n), ...ring, ...(aux ?? []), sf, u32(m.length), m, Ib, ...(Db ? [Db] : []));
  const digest = XMD(T, 'PrivKit-RingSig-v1-Transcript-XMD:SHA-512', 64);
  const weights =
    scheme === 2
      ? [1n]
      : columns === 2
        ? [HashToScalar(digest, 'PrivKit-RingSig-v1-CLSAG-Agg0-XMD:SHA-512'), HashToScalar(digest, 'PrivKit-RingSig-v1-CLSAG-Agg1-XMD:SHA-512')]
        : [HashToScalar(digest, 'PrivKit-RingSig-v1-CLSAG-Agg0-XMD:SHA-512')];
  const roundDst = scheme === 2 ? 'PrivKit-RingSig-v1-bLSAG-Round-XMD:SHA-512' : 'PrivKit-RingSig-v1-CLSAG-Round-XMD:SHA-512';
  const cols = [ring.map((b) => Pt.fromBytes(b)), ...(aux ? [aux.map((b) => Pt.fromBytes(b))] : [])];
  const imgs = [Pt.fromBytes(Ib), ...(Db ? [Pt.fromBytes(Db)] : [])];
  let c = c0;
  for (let i = 0; i < n; i++) {
    const hp = H2G(cat(sf, ring[i]!), DST_HP);
    let Li = Pt.BASE.multiply(s[i]!);
    let Ri = hp.multiply(s[i]!);
    weights.forEach((w, j) => {
      const cw = (c * w) % L;
      Li = Li.add(cols[j]![i]!.multiply(cw));
      Ri = Ri.add(imgs[j]!.multiply(cw));
    });
    c = HashToScalar(cat(digest, Li.toBytes(), Ri.toBytes()), roundDst);
  }
  return c === c0;
}

describe('FORMAT.md re-implemented independently', () => {
  const k = Array.from({ length: 4 }, () => keygen());
  const ring = k.map((x) => x.publicKey);
  const m = te('format check');
  for (const scheme of ['clsag', 'blsag'] as const) {
    for (const scope of [undefined, 'epoch-1']) {
      it(`${scheme}, scope=${scope}`, () => {
        const sig = sign(m, ring, k[2]!.secretKey, { scheme, ...(scope === undefined ? {} : { scope }) });
        expect(specVerify(encode(sig), m, ring, scope)).toBe(true);
        expect(specVerify(encode(sig), te('other'), ring, scope)).toBe(false);
        const x = le(k[2]!.secretKey);
        const I = H2G(cat(scopeField(scope), ring[2]!), DST_HP).multiply(x).toBytes();
        expect(I).toEqual(sig.keyImage);
        expect(I).toEqual(computeKeyImage(k[2]!.secretKey, scope === undefined ? {} : { scope }));
      });
    }
  }
  it('two-column CLSAG', () => {
    const aux = ring.map(() => keygen());
    const auxRing = aux.map((a) => a.publicKey);
    const sig = sign(m, ring, k[1]!.secretKey, { auxRing, auxSecretKey: aux[1]!.secretKey, scope: 's' });
    expect(specVerify(encode(sig), m, ring, 's', auxRing)).toBe(true);
    const z = le(aux[1]!.secretKey);
    expect(H2G(cat(scopeField('s'), ring[1]!), DST_HP).multiply(z).toBytes()).toEqual(sig.auxImage);
  });
  it('keygen(seed) follows FORMAT.md §2', () => {
    const seed = new Uint8Array(32).fill(9);
    const x = HashToScalar(seed, 'PrivKit-RingSig-v1-KeyGen-XMD:SHA-512');
    expect(keygen(seed).publicKey).toEqual(Pt.BASE.multiply(x).toBytes());
  });
  it('Node Buffers are accepted as bytes', () => {
    const sig = sign(Buffer.from(m), ring.map((r) => Buffer.from(r)), Buffer.from(k[0]!.secretKey));
    expect(specVerify(encode(sig), m, ring)).toBe(true);
  });
});
