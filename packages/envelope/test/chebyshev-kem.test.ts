/** DHKEM(Chebyshev-<id>, HKDF-SHA256) on core's chebyshev groups (issue 4, KEM part). */
import { describe, expect, it } from 'vitest';
import { chebyshev, utf8ToBytes } from '@privkit/core';
import { hpke, KEM_ID, open, OpenError, seal } from '@privkit/envelope';

describe('Chebyshev KEM', () => {
  for (const [name, kemId, id] of [
    ['CHEBYSHEV3072-SHA256-AES-256-GCM', KEM_ID.CHEBYSHEV_3072_SHA256, 'chebyshev-3072'],
    ['CHEBYSHEV2048-SHA256-AES-256-GCM', KEM_ID.CHEBYSHEV_2048_SHA256, 'chebyshev-2048'],
  ] as const) {
    it(`${name}: round-trips inside envelopes (base, auth, multi-recipient) and streams`, () => {
      const s = hpke.suite(kemId, 1, 2);
      const g = chebyshev.group(id);
      expect(s.kem.lengths).toEqual({ sharedSecret: 32, enc: g.publicKeyLength, publicKey: g.publicKeyLength, secretKey: g.secretKeyLength });
      const a = s.kem.generateKeyPair();
      const b = s.kem.deriveKeyPair(new Uint8Array(32).fill(3));
      expect(s.kem.deriveKeyPair(new Uint8Array(32).fill(3))).toEqual(b);
      expect(g.isValidSecretKey(b.secretKey)).toBe(true);
      const snd = s.kem.generateKeyPair();
      const pt = utf8ToBytes('meter reading 42');
      const env = seal(pt, [a.publicKey, b.publicKey], { suite: name });
      expect(open(env, a.secretKey)).toEqual(pt);
      expect(open(env, b.secretKey)).toEqual(pt);
      const envA = seal(pt, [a.publicKey], { suite: name, senderSecretKey: snd.secretKey });
      expect(open(envA, a.secretKey, { senderPublicKey: snd.publicKey })).toEqual(pt);
      expect(() => open(envA, a.secretKey, { senderPublicKey: b.publicKey })).toThrow(OpenError);
    });

    it(`${name}: invalid public keys (0, 1, p−1, out of range, non-subgroup) are rejected`, () => {
      const s = hpke.suite(kemId, 1, 2);
      const g = chebyshev.group(id);
      const a = s.kem.generateKeyPair();
      const L = g.publicKeyLength;
      const enc = (v: bigint) => {
        const out = new Uint8Array(L);
        for (let i = L - 1; i >= 0 && v > 0n; i--, v >>= 8n) out[i] = Number(v & 0xffn);
        return out;
      };
      const p = BigInt(`0x${Buffer.from(new Uint8Array(L).fill(0xff)).toString('hex')}`); // 2^(8L) − 1 ≥ p: out of range
      const pm1 = chebyshev.params?.[id]?.p ? chebyshev.params[id].p - 1n : 0n;
      const bad = [enc(0n), enc(1n), enc(p), new Uint8Array(L - 1)];
      if (pm1) bad.push(enc(pm1));
      // a non-subgroup value: find a small y that the group rejects
      for (let y = 2n; y < 40n; y++) if (!g.isValidPublicKey(enc(y))) { bad.push(enc(y)); break; }
      for (const pk of bad) {
        expect(() => seal(utf8ToBytes('m'), [pk], { suite: name })).toThrow(expect.objectContaining({ name: expect.stringMatching(/KeyError|InputError/) }));
        expect(() => s.kem.decap(pk, a.secretKey)).toThrow(OpenError);
      }
    });
  }
});
