/**
 * Every vector of the full CFRG/RFC 9180 file (128 suites × 4 modes, all encryptions and exports).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '@privkit/core';
import { hpke } from '@privkit/envelope';

interface Vec {
  mode: number; kem_id: number; kdf_id: number; aead_id: number; info: string;
  ikmR: string; ikmE: string; ikmS?: string; skRm: string; skEm: string; skSm?: string; pkRm: string; pkEm: string; pkSm?: string;
  psk?: string; psk_id?: string; enc: string; shared_secret: string;
  encryptions: { aad: string; ct: string; nonce: string; pt: string }[];
  exports: { exporter_context: string; L: number; exported_value: string }[];
}
const vectors = JSON.parse(readFileSync(new URL('./vectors/cfrg-hpke/hpke-rfc9180.json', import.meta.url), 'utf8')) as Vec[];
const h = hexToBytes;

describe('RFC 9180 test vectors (full file)', () => {
  it('the file has the 128 expected suites, none skipped', () => {
    expect(vectors.length).toBe(128);
  });
  for (const v of vectors) {
    const name = `mode ${v.mode} kem 0x${v.kem_id.toString(16)} kdf ${v.kdf_id} aead 0x${v.aead_id.toString(16)}`;
    it(name, () => {
      const s = hpke.suite(v.kem_id, v.kdf_id, v.aead_id);
      const kR = s.kem.deriveKeyPair(h(v.ikmR));
      expect(bytesToHex(kR.secretKey)).toBe(v.skRm);
      expect(bytesToHex(kR.publicKey)).toBe(v.pkRm);
      const kE = s.kem.deriveKeyPair(h(v.ikmE));
      expect(bytesToHex(kE.secretKey)).toBe(v.skEm);
      expect(bytesToHex(kE.publicKey)).toBe(v.pkEm);
      expect(bytesToHex(s.kem.getPublicKey(h(v.skRm)))).toBe(v.pkRm);
      const info = h(v.info);
      const opts = { ikmE: h(v.ikmE) };
      const psk = v.psk ? h(v.psk) : undefined;
      const pskId = v.psk_id ? h(v.psk_id) : undefined;
      let S: { enc: Uint8Array; ctx: hpke.Context };
      let R: hpke.Context;
      const skR = h(v.skRm);
      if (v.mode === 0) {
        expect(bytesToHex(s.kem.encap(h(v.pkRm), h(v.ikmE)).sharedSecret)).toBe(v.shared_secret);
        S = hpke.setupBaseS(s, h(v.pkRm), info, opts);
        R = hpke.setupBaseR(s, S.enc, skR, info);
      } else if (v.mode === 1) {
        S = hpke.setupPSKS(s, h(v.pkRm), info, psk!, pskId!, opts);
        R = hpke.setupPSKR(s, S.enc, skR, info, psk!, pskId!);
      } else {
        const kS = s.kem.deriveKeyPair(h(v.ikmS!));
        expect(bytesToHex(kS.secretKey)).toBe(v.skSm);
        expect(bytesToHex(kS.publicKey)).toBe(v.pkSm);
        expect(bytesToHex(s.kem.authEncap(h(v.pkRm), h(v.skSm!), h(v.ikmE)).sharedSecret)).toBe(v.shared_secret);
        expect(bytesToHex(s.kem.authDecap(h(v.enc), skR, h(v.pkSm!)))).toBe(v.shared_secret);
        if (v.mode === 2) {
          S = hpke.setupAuthS(s, h(v.pkRm), info, h(v.skSm!), opts);
          R = hpke.setupAuthR(s, S.enc, skR, info, h(v.pkSm!));
        } else {
          S = hpke.setupAuthPSKS(s, h(v.pkRm), info, psk!, pskId!, h(v.skSm!), opts);
          R = hpke.setupAuthPSKR(s, S.enc, skR, info, psk!, pskId!, h(v.pkSm!));
        }
      }
      expect(bytesToHex(S.enc)).toBe(v.enc);
      if (v.mode === 0) expect(bytesToHex(s.kem.decap(h(v.enc), skR))).toBe(v.shared_secret);
      if (v.aead_id === 0xffff) {
        expect(v.encryptions.length).toBe(0);
        expect(() => S.ctx.seal(new Uint8Array(0), new Uint8Array(1))).toThrow(/export-only/);
      }
      for (const [i, e] of v.encryptions.entries()) {
        expect(S.ctx.seq).toBe(i);
        const ct = S.ctx.seal(h(e.aad), h(e.pt));
        expect(bytesToHex(ct)).toBe(e.ct);
        expect(bytesToHex(R.open(h(e.aad), ct))).toBe(e.pt);
      }
      for (const x of v.exports) {
        expect(bytesToHex(S.ctx.export(h(x.exporter_context), x.L))).toBe(x.exported_value);
        expect(bytesToHex(R.export(h(x.exporter_context), x.L))).toBe(x.exported_value);
      }
    });
  }
});
