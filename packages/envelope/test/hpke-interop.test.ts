/**
 * Cross-implementation tests with @hpke/core (and @hpke/dhkem-x448 for X448), both directions, every mode, for
 * every suite both libraries support (ChaCha20-Poly1305 through @hpke/chacha20poly1305). Not covered (with reason):
 * secp256k1 — hpke-js's @hpke/dhkem-secp256k1 uses KEM id 0x0013 from an old draft, while IANA assigns 0x0016 (which
 * we use); the ids enter the key schedule, so the two cannot interoperate. PrivKit private suites have no counterpart.
 */
import { Aes128Gcm, Aes256Gcm, CipherSuite, DhkemP256HkdfSha256, DhkemP384HkdfSha384, DhkemP521HkdfSha512, DhkemX25519HkdfSha256, ExportOnly, HkdfSha256, HkdfSha384, HkdfSha512 } from '@hpke/core';
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';
import { DhkemX448HkdfSha512 } from '@hpke/dhkem-x448';
import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from '@privkit/core';
import { hpke } from '@privkit/envelope';

const KEMS = { 0x10: () => new DhkemP256HkdfSha256(), 0x11: () => new DhkemP384HkdfSha384(), 0x12: () => new DhkemP521HkdfSha512(), 0x20: () => new DhkemX25519HkdfSha256(), 0x21: () => new DhkemX448HkdfSha512() } as const;
const KDFS = { 1: () => new HkdfSha256(), 2: () => new HkdfSha384(), 3: () => new HkdfSha512() } as const;
const AEADS = { 1: () => new Aes128Gcm(), 2: () => new Aes256Gcm(), 3: () => new Chacha20Poly1305(), 0xffff: () => new ExportOnly() } as const;

const u8 = (b: ArrayBuffer | Uint8Array) => new Uint8Array(b as ArrayBuffer);

describe('interop with @hpke/core', () => {
  for (const kemId of [0x10, 0x11, 0x12, 0x20, 0x21] as const) {
    for (const kdfId of [1, 2, 3] as const) {
      for (const aeadId of [1, 2, 3, 0xffff] as const) {
        it(`kem 0x${kemId.toString(16)} kdf ${kdfId} aead 0x${aeadId.toString(16)}: all modes, both directions`, async () => {
          const s = hpke.suite(kemId, kdfId, aeadId);
          const them = new CipherSuite({ kem: KEMS[kemId](), kdf: KDFS[kdfId](), aead: AEADS[aeadId]() });
          const R = s.kem.generateKeyPair();
          const S = s.kem.generateKeyPair();
          const rPriv = await them.kem.deserializePrivateKey(R.secretKey);
          const rPub = await them.kem.deserializePublicKey(R.publicKey);
          const sPriv = await them.kem.deserializePrivateKey(S.secretKey);
          const sPub = await them.kem.deserializePublicKey(S.publicKey);
          const info = utf8ToBytes('privkit interop');
          const aad = utf8ToBytes('aad');
          const pt = utf8ToBytes('a message from one implementation to the other');
          const psk = new Uint8Array(32).fill(0x42);
          const pskId = utf8ToBytes('psk-1');
          const xc = utf8ToBytes('exporter');
          for (const mode of [0, 1, 2, 3]) {
            const withPsk = mode === 1 || mode === 3;
            const withAuth = mode >= 2;
            // ours → theirs
            const ours =
              mode === 0 ? hpke.setupBaseS(s, R.publicKey, info)
              : mode === 1 ? hpke.setupPSKS(s, R.publicKey, info, psk, pskId)
              : mode === 2 ? hpke.setupAuthS(s, R.publicKey, info, S.secretKey)
              : hpke.setupAuthPSKS(s, R.publicKey, info, psk, pskId, S.secretKey);
            const rctx = await them.createRecipientContext({
              recipientKey: rPriv,
              enc: ours.enc,
              info,
              ...(withPsk ? { psk: { id: pskId, key: psk } } : {}),
              ...(withAuth ? { senderPublicKey: sPub } : {}),
            });
            if (aeadId !== 0xffff) {
              for (let i = 0; i < 3; i++) expect(u8(await rctx.open(ours.ctx.seal(aad, pt), aad))).toEqual(pt);
            }
            expect(u8(await rctx.export(xc, 48))).toEqual(ours.ctx.export(xc, 48));
            // theirs → ours
            const sctx = await them.createSenderContext({
              recipientPublicKey: rPub,
              info,
              ...(withPsk ? { psk: { id: pskId, key: psk } } : {}),
              ...(withAuth ? { senderKey: sPriv } : {}),
            });
            const enc = u8(sctx.enc);
            const mine =
              mode === 0 ? hpke.setupBaseR(s, enc, R.secretKey, info)
              : mode === 1 ? hpke.setupPSKR(s, enc, R.secretKey, info, psk, pskId)
              : mode === 2 ? hpke.setupAuthR(s, enc, R.secretKey, info, S.publicKey)
              : hpke.setupAuthPSKR(s, enc, R.secretKey, info, psk, pskId, S.publicKey);
            if (aeadId !== 0xffff) {
              for (let i = 0; i < 3; i++) expect(mine.open(aad, u8(await sctx.seal(pt, aad)))).toEqual(pt);
            }
            expect(mine.export(xc, 48)).toEqual(u8(await sctx.export(xc, 48)));
          }
          // single-shot + DeriveKeyPair agree
          if (aeadId !== 0xffff) {
            const { enc, ct } = hpke.sealBase(s, R.publicKey, info, aad, pt);
            expect(u8(await them.open({ recipientKey: rPriv, enc, info }, ct, aad))).toEqual(pt);
            const r = await them.seal({ recipientPublicKey: rPub, info }, pt, aad);
            expect(hpke.openBase(s, u8(r.enc), R.secretKey, info, aad, u8(r.ct))).toEqual(pt);
          }
          const ikm = new Uint8Array(64).map((_, i) => i);
          const theirKp = await them.kem.deriveKeyPair(ikm);
          expect(u8(await them.kem.serializePublicKey(theirKp.publicKey))).toEqual(s.kem.deriveKeyPair(ikm).publicKey);
        });
      }
    }
  }
});
