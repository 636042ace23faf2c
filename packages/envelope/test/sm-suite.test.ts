/**
 * The PrivKit SM2-SM3-SM4 HPKE suite: our checked-in vectors (scripts/gen-sm-vectors.ts) reproduced exactly, and
 * base mode recomputed from first principles with an independent SM implementation (sm-crypto-v2).
 */
import { readFileSync } from 'node:fs';
import { sm2 as smv2, sm3 as smv2sm3, sm4 as smv2sm4 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@privkit/core';
import { hpke, open, seal } from '@privkit/envelope';

interface Vec {
  mode: number; kem_id: number; kdf_id: number; aead_id: number; info: string; ikmR: string; ikmE: string; ikmS?: string;
  skRm: string; skEm: string; skSm?: string; pkRm: string; pkEm: string; pkSm?: string; psk?: string; psk_id?: string;
  enc: string; shared_secret: string; encryptions: { aad: string; pt: string; ct: string }[]; exports: { exporter_context: string; L: number; exported_value: string }[];
}
const vectors = JSON.parse(readFileSync(new URL('./vectors/privkit/sm2-sm3-sm4.json', import.meta.url), 'utf8')) as Vec[];
const h = hexToBytes;

// independent HKDF-SM3 (RFC 5869) over sm-crypto-v2's HMAC-SM3
const hmac = (key: Uint8Array, msg: Uint8Array) => h(smv2sm3(msg, { key, mode: 'hmac' }));
const extract = (salt: Uint8Array, ikm: Uint8Array) => hmac(salt.length ? salt : new Uint8Array(32), ikm);
const expand = (prk: Uint8Array, info: Uint8Array, L: number) => {
  let t: Uint8Array = new Uint8Array(0);
  let okm: Uint8Array = new Uint8Array(0);
  for (let i = 1; okm.length < L; i++) {
    t = hmac(prk, concatBytes(t, info, new Uint8Array([i])));
    okm = concatBytes(okm, t);
  }
  return okm.slice(0, L);
};
const V1 = utf8ToBytes('HPKE-v1');
const u16 = (n: number) => new Uint8Array([n >> 8, n & 0xff]);
const lExtract = (sid: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array) => extract(salt, concatBytes(V1, sid, utf8ToBytes(label), ikm));
const lExpand = (sid: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, L: number) => expand(prk, concatBytes(u16(L), V1, sid, utf8ToBytes(label), info), L);

describe('SM2-SM3-SM4 suite (PrivKit extension)', () => {
  it('has 8 vectors (4 modes × {SM4-GCM, export-only})', () => expect(vectors.length).toBe(8));
  for (const v of vectors) {
    it(`reproduces mode ${v.mode} aead 0x${v.aead_id.toString(16)}`, () => {
      const s = hpke.suite(v.kem_id, v.kdf_id, v.aead_id);
      expect(bytesToHex(s.kem.deriveKeyPair(h(v.ikmR)).publicKey)).toBe(v.pkRm);
      expect(bytesToHex(s.kem.deriveKeyPair(h(v.ikmE)).secretKey)).toBe(v.skEm);
      const info = h(v.info);
      const o = { ikmE: h(v.ikmE) };
      const psk = v.psk ? h(v.psk) : new Uint8Array(0);
      const pskId = v.psk_id ? h(v.psk_id) : new Uint8Array(0);
      const S =
        v.mode === 0 ? hpke.setupBaseS(s, h(v.pkRm), info, o)
        : v.mode === 1 ? hpke.setupPSKS(s, h(v.pkRm), info, psk, pskId, o)
        : v.mode === 2 ? hpke.setupAuthS(s, h(v.pkRm), info, h(v.skSm!), o)
        : hpke.setupAuthPSKS(s, h(v.pkRm), info, psk, pskId, h(v.skSm!), o);
      const R =
        v.mode === 0 ? hpke.setupBaseR(s, S.enc, h(v.skRm), info)
        : v.mode === 1 ? hpke.setupPSKR(s, S.enc, h(v.skRm), info, psk, pskId)
        : v.mode === 2 ? hpke.setupAuthR(s, S.enc, h(v.skRm), info, h(v.pkSm!))
        : hpke.setupAuthPSKR(s, S.enc, h(v.skRm), info, psk, pskId, h(v.pkSm!));
      expect(bytesToHex(S.enc)).toBe(v.enc);
      for (const e of v.encryptions) {
        expect(bytesToHex(S.ctx.seal(h(e.aad), h(e.pt)))).toBe(e.ct);
        expect(bytesToHex(R.open(h(e.aad), h(e.ct)))).toBe(e.pt);
      }
      for (const x of v.exports) expect(bytesToHex(R.export(h(x.exporter_context), x.L))).toBe(x.exported_value);
    });
  }

  it('base mode recomputed independently with sm-crypto-v2 (SM2 ECDH, HMAC-SM3 HKDF, SM4-GCM)', () => {
    const v = vectors.find((x) => x.mode === 0 && x.aead_id === 0xff01)!;
    expect(smv2.getPublicKeyFromPrivateKey(v.skRm)).toBe(v.pkRm);
    const point = smv2.ecdh(v.skEm, v.pkRm, false);
    const dh = point.subarray(1, 33);
    const kemSid = concatBytes(utf8ToBytes('KEM'), u16(0xff01));
    const eae = lExtract(kemSid, new Uint8Array(0), 'eae_prk', dh);
    const shared = lExpand(kemSid, eae, 'shared_secret', concatBytes(h(v.enc), h(v.pkRm)), 32);
    expect(bytesToHex(shared)).toBe(v.shared_secret);
    const sid = concatBytes(utf8ToBytes('HPKE'), u16(0xff01), u16(0xff01), u16(0xff01));
    const ksc = concatBytes(new Uint8Array([0]), lExtract(sid, new Uint8Array(0), 'psk_id_hash', new Uint8Array(0)), lExtract(sid, new Uint8Array(0), 'info_hash', h(v.info)));
    const secret = lExtract(sid, shared, 'secret', new Uint8Array(0));
    const key = lExpand(sid, secret, 'key', ksc, 16);
    const nonce = lExpand(sid, secret, 'base_nonce', ksc, 12);
    const e0 = v.encryptions[0]!;
    const ct = h(e0.ct);
    const pt = smv2sm4.decrypt(ct.subarray(0, ct.length - 16), key, { mode: 'gcm', iv: nonce, associatedData: h(e0.aad), tag: ct.subarray(ct.length - 16), output: 'array' });
    expect(bytesToHex(pt as Uint8Array)).toBe(e0.pt);
  });

  it('round-trips inside envelopes', () => {
    const kem = hpke.suite(0xff01, 0xff01, 0xff01).kem;
    const r = kem.generateKeyPair();
    const snd = kem.generateKeyPair();
    const env = seal(utf8ToBytes('国密'), [r.publicKey], { suite: 'SM2-SM3-SM4', senderSecretKey: snd.secretKey });
    expect(open(env, r.secretKey, { senderPublicKey: snd.publicKey })).toEqual(utf8ToBytes('国密'));
  });
});
