/**
 * Generates `test/vectors/privkit/sm2-sm3-sm4.json`: known-answer vectors for the PrivKit HPKE suite
 * `SM2-SM3-SM4` = (KEM 0xff01 DHKEM(SM2, HKDF-SM3), KDF 0xff01 HKDF-SM3, AEAD 0xff01 SM4-GCM), plus
 * (0xff01, 0xff01, 0xffff export-only), in the same JSON shape as the CFRG RFC 9180 vectors.
 *
 * How: every input is derived from a fixed label with SM3 (ikm = SM3("PrivKit SM2-SM3-SM4 vector <mode> <name>"));
 * keys come from DeriveKeyPair(ikm) (RFC 9180 §7.1.3 with bitmask 0xff), the ephemeral key from ikmE, and the
 * values are produced by this package's HPKE implementation. They are regression vectors; the test additionally
 * recomputes the base-mode shared secret independently (sm-crypto-v2 ECDH + HMAC-SM3) so the file is not only
 * self-consistent. Run: `npx tsx packages/envelope/scripts/gen-sm-vectors.ts` (from /work/main).
 */
import { writeFileSync } from 'node:fs';
import { bytesToHex, sm3, utf8ToBytes } from '@privkit/core';
import { hpke } from '@privkit/envelope';

const ikm = (label: string) => sm3(utf8ToBytes(`PrivKit SM2-SM3-SM4 vector ${label}`));
const out: unknown[] = [];
for (const aeadId of [0xff01, 0xffff]) {
  const s = hpke.suite(0xff01, 0xff01, aeadId);
  for (const mode of [0, 1, 2, 3]) {
    const ikmR = ikm(`${mode} ${aeadId} R`);
    const ikmE = ikm(`${mode} ${aeadId} E`);
    const ikmS = ikm(`${mode} ${aeadId} S`);
    const R = s.kem.deriveKeyPair(ikmR);
    const E = s.kem.deriveKeyPair(ikmE);
    const S = s.kem.deriveKeyPair(ikmS);
    const info = utf8ToBytes('Ode on a Grecian Urn');
    const psk = ikm(`${mode} psk`);
    const pskId = utf8ToBytes('Ennyn Durin aran Moria');
    const o = { ikmE };
    const { enc, ctx } =
      mode === 0 ? hpke.setupBaseS(s, R.publicKey, info, o)
      : mode === 1 ? hpke.setupPSKS(s, R.publicKey, info, psk, pskId, o)
      : mode === 2 ? hpke.setupAuthS(s, R.publicKey, info, S.secretKey, o)
      : hpke.setupAuthPSKS(s, R.publicKey, info, psk, pskId, S.secretKey, o);
    const shared = mode < 2 ? s.kem.encap(R.publicKey, ikmE).sharedSecret : s.kem.authEncap(R.publicKey, S.secretKey, ikmE).sharedSecret;
    const encryptions = [];
    if (aeadId !== 0xffff) {
      for (let i = 0; i < 4; i++) {
        const pt = utf8ToBytes('Beauty is truth, truth beauty');
        const aad = utf8ToBytes(`Count-${i}`);
        encryptions.push({ aad: bytesToHex(aad), pt: bytesToHex(pt), ct: bytesToHex(ctx.seal(aad, pt)) });
      }
    }
    const exports = [new Uint8Array(0), new Uint8Array([0]), utf8ToBytes('TestContext')].map((c) => ({
      exporter_context: bytesToHex(c),
      L: 32,
      exported_value: bytesToHex(ctx.export(c, 32)),
    }));
    out.push({
      mode, kem_id: 0xff01, kdf_id: 0xff01, aead_id: aeadId, info: bytesToHex(info),
      ikmR: bytesToHex(ikmR), ikmE: bytesToHex(ikmE), skRm: bytesToHex(R.secretKey), skEm: bytesToHex(E.secretKey), pkRm: bytesToHex(R.publicKey), pkEm: bytesToHex(E.publicKey),
      ...(mode >= 2 ? { ikmS: bytesToHex(ikmS), skSm: bytesToHex(S.secretKey), pkSm: bytesToHex(S.publicKey) } : {}),
      ...(mode === 1 || mode === 3 ? { psk: bytesToHex(psk), psk_id: bytesToHex(pskId) } : {}),
      enc: bytesToHex(enc), shared_secret: bytesToHex(shared), encryptions, exports,
    });
  }
}
writeFileSync(new URL('../test/vectors/privkit/sm2-sm3-sm4.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
