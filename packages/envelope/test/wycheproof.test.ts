/**
 * Wycheproof X25519 and ECDH secp256r1 vectors driven through the KEM (`kem.decap(enc = peer public key, skR)`):
 * valid cases must give ExtractAndExpand(shared, enc ‖ pkR); invalid public keys (low order, zero shared secret,
 * off-curve points, wrong lengths) must give the generic OpenError.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '@privkit/core';
import { hpke, OpenError } from '@privkit/envelope';
import { ascii, concat, EMPTY, labeledExpand, labeledExtract } from '../src/_labeled.js';

interface T { tcId: number; comment: string; flags: string[]; public: string; private: string; shared: string; result: 'valid' | 'invalid' | 'acceptable' }
const load = (f: string) => JSON.parse(readFileSync(new URL(`./vectors/wycheproof/${f}`, import.meta.url), 'utf8')) as { testGroups: { tests: T[] }[] };

function expected(kemId: number, shared: Uint8Array, enc: Uint8Array, pkR: Uint8Array): string {
  const sid = concat([ascii('KEM'), new Uint8Array([kemId >> 8, kemId & 0xff])]);
  const prk = labeledExtract('sha256', sid, EMPTY, ascii('eae_prk'), shared);
  return bytesToHex(labeledExpand('sha256', sid, prk, ascii('shared_secret'), concat([enc, pkR]), 32));
}

/** Minimal SPKI reader: returns the BIT STRING contents when the SPKI is id-ecPublicKey/prime256v1, else undefined. */
function p256Point(spki: Uint8Array): Uint8Array | undefined {
  const hex = bytesToHex(spki);
  const algo = '301306072a8648ce3d020106082a8648ce3d030107';
  const at = hex.indexOf(algo);
  if (!hex.startsWith('30') || at < 0) return undefined;
  let i = at / 2 + algo.length / 2;
  if (spki[i] !== 0x03) return undefined;
  let len = spki[i + 1]!;
  i += 2;
  if (len & 0x80) {
    const nb = len & 0x7f;
    len = 0;
    for (let j = 0; j < nb; j++) len = (len << 8) | spki[i + j]!;
    i += nb;
  }
  if (spki[i] !== 0x00 || i + len !== spki.length) return undefined;
  return spki.subarray(i + 1, i + len);
}

describe('Wycheproof through the KEM', () => {
  it('x25519_test.json: every vector', () => {
    const kem = hpke.suite(0x20, 1, 1).kem;
    let n = 0;
    for (const g of load('x25519_test.json').testGroups) {
      for (const t of g.tests) {
        n++;
        const sk = hexToBytes(t.private);
        const enc = hexToBytes(t.public);
        const pkR = kem.getPublicKey(sk);
        const zero = /^0+$/.test(t.shared);
        if (t.result === 'invalid' || zero) {
          // all-zero shared secrets (low-order points) must be rejected (RFC 9180 §7.1.4)
          expect(() => kem.decap(enc, sk), `tc ${t.tcId} ${t.comment}`).toThrow(OpenError);
        } else {
          // valid and acceptable (twist, non-canonical u) cases: RFC 7748 decodes them, so must we
          expect(bytesToHex(kem.decap(enc, sk)), `tc ${t.tcId} ${t.comment}`).toBe(expected(0x20, hexToBytes(t.shared), enc, pkR));
        }
      }
    }
    expect(n).toBeGreaterThan(500);
  });

  it('ecdh_secp256r1_test.json: every vector', () => {
    const kem = hpke.suite(0x10, 1, 1).kem;
    let n = 0;
    let viaKem = 0;
    for (const g of load('ecdh_secp256r1_test.json').testGroups) {
      for (const t of g.tests) {
        n++;
        let skHex = t.private.replace(/^00/, '');
        skHex = skHex.padStart(64, '0');
        if (skHex.length > 64) {
          // Out of scope: private keys longer than Nsk = 32 bytes cannot be serialized for DHKEM(P-256) (RFC 9180 §7.1.2).
          expect(t.result).not.toBe('invalid');
          continue;
        }
        const sk = hexToBytes(skHex);
        const point = p256Point(hexToBytes(t.public));
        if (!point) {
          // Out of scope: the SPKI/ASN.1 layer (wrong curve OID, malformed DER) is not part of RFC 9180's
          // SerializePublicKey, which is a raw SEC1 point; such cases are all invalid/acceptable encodings.
          expect(t.result === 'invalid' || t.result === 'acceptable', `tc ${t.tcId} ${t.comment}`).toBe(true);
          continue;
        }
        viaKem++;
        const want = expected(0x10, hexToBytes(t.shared), point, kem.getPublicKey(sk));
        let got: string;
        try {
          got = bytesToHex(kem.decap(point, sk));
        } catch (e) {
          expect(e, `tc ${t.tcId}`).toBeInstanceOf(OpenError);
          got = 'OpenError';
        }
        if (t.result === 'valid' && point.length === 65) expect(got, `tc ${t.tcId} ${t.comment}`).toBe(want);
        // invalid points, and compressed points (RFC 9180 requires the uncompressed form): generic OpenError
        else if (t.result === 'invalid' || point.length !== 65) expect(got, `tc ${t.tcId} ${t.comment}`).toBe('OpenError');
        // 'acceptable' (lenient ASN.1 only, flag InvalidAsn): either rejected, or the right answer
        else expect([want, 'OpenError'], `tc ${t.tcId} ${t.comment}`).toContain(got);
      }
    }
    expect(n).toBeGreaterThan(400);
    expect(viaKem).toBeGreaterThan(200);
  });
});
