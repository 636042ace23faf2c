import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@privkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ATTESTATION_KEY_ALGS,
  createAttestationKey,
  createPcrBank,
  encodeTpmsAttest,
  encodeTpmtSignature,
  parseAkPublicKey,
  parseTpmsAttest,
  parseTpmtSignature,
  quote,
  spkiPem,
  tpmName,
  verifyQuote,
  verifyTpmQuote,
  type PcrValues,
} from '@privkit/attest';
import { arbTamperedQuote, arbTpmsAttestFields, arbValidQuote } from '@privkit/attest/testing';

const ALGS = ATTESTATION_KEY_ALGS;

describe('attestation keys', () => {
  it.each(ALGS)('%s: TPMT_PUBLIC, name, SPKI PEM and TPM2B_PUBLIC all describe the same key', (alg) => {
    const ak = createAttestationKey(alg);
    expect(Object.isFrozen(ak)).toBe(true);
    const t = ak.publicKey.tpmtPublic!;
    expect(ak.name).toEqual(tpmName(t, alg === 'sm2' ? 'sm3' : 'sha256'));
    expect(bytesToHex(ak.name.subarray(0, 2))).toBe(alg === 'sm2' ? '0012' : '000b');
    const fromPem = parseAkPublicKey(ak.pem);
    expect(fromPem.type).toBe(ak.publicKey.type);
    expect(fromPem.key).toEqual(ak.publicKey.key);
    const tpm2b = Uint8Array.of(t.length >> 8, t.length & 0xff, ...t);
    expect(ak.tpm2bPublic).toEqual(tpm2b);
    expect(parseAkPublicKey(tpm2b).name).toEqual(ak.name);
    expect(spkiPem(fromPem)).toBe(ak.pem);
  });

  it('ECDSA P-256 and Ed25519 SPKI PEM match node:crypto', () => {
    for (const alg of ['ecdsa-p256', 'ed25519'] as const) {
      const ak = createAttestationKey(alg);
      const k = createPublicKey(ak.pem);
      expect(k.asymmetricKeyType).toBe(alg === 'ed25519' ? 'ed25519' : 'ec');
      expect(k.export({ type: 'spki', format: 'pem' })).toBe(ak.pem);
    }
  });

  it('imports a secret key deterministically', () => {
    const sk = hexToBytes('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721');
    const a = createAttestationKey('ecdsa-p256', { secretKey: sk });
    const b = createAttestationKey('ecdsa-p256', { secretKey: sk });
    expect(a.name).toEqual(b.name);
    // RFC 6979 A.2.5 public key for this secret
    expect(bytesToHex(a.publicKey.key)).toBe(
      '0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb67903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299',
    );
    expect(() => createAttestationKey('ecdsa-p256', { secretKey: new Uint8Array(32) })).toThrow(/invalid attestation secret key/);
  });
});

describe('quotes', () => {
  it.each(ALGS)('%s: quote → verifyQuote and verifyTpmQuote succeed; fields are as specified', (alg) => {
    const ak = createAttestationKey(alg);
    const bank = createPcrBank(alg === 'sm2' ? 'sm3' : 'sha256');
    bank.measure(0, utf8ToBytes('bios'));
    bank.measure(16, utf8ToBytes('app'));
    const nonce = hexToBytes('00112233445566778899aabbccddeeff');
    const q = quote({ bank, selection: [16, 0], nonce, key: ak });
    const p = q.parsed;
    expect(p.magic).toBe(0xff544347);
    expect(p.type).toBe(0x8018);
    expect(p.qualifiedSigner).toEqual(ak.name);
    expect(p.extraData).toEqual(nonce);
    expect(p.pcrSelections).toEqual([{ hashAlg: alg === 'sm2' ? 0x0012 : 0x000b, sizeofSelect: 3, pcrs: [0, 16] }]);
    const sig = parseTpmtSignature(q.signature);
    expect(sig.sigAlg).toBe({ 'ecdsa-p256': 'ecdsa', sm2: 'sm2', ed25519: 'eddsa' }[alg]);
    expect(bytesToHex(q.signature.subarray(0, 2))).toBe({ 'ecdsa-p256': '0018', sm2: '001b', ed25519: '0060' }[alg]);
    const expectedPcrs = bank.pcrValues([0, 16]);
    const r = verifyQuote(q, { publicKey: ak.publicKey, nonce, expectedPcrs });
    expect(r.failures).toEqual([]);
    expect(r.verified).toBe(true);
    for (const akPublicKey of [ak.pem, ak.publicKey.tpmtPublic!]) {
      expect(verifyTpmQuote({ attest: q.attest, signature: q.signature, akPublicKey, nonce, pcrs: expectedPcrs }).verified).toBe(true);
    }
  });

  it('ECDSA quote signatures verify with node:crypto (independent implementation)', () => {
    const ak = createAttestationKey('ecdsa-p256');
    const q = quote({ bank: createPcrBank('sha256'), selection: [23], nonce: new Uint8Array(20).fill(7), key: ak });
    const s = parseTpmtSignature(q.signature);
    if (s.sigAlg !== 'ecdsa') throw new Error('unexpected');
    const sig = Buffer.concat([s.r, s.s]);
    expect(nodeVerify('sha256', q.attest, { key: createPublicKey(ak.pem), dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
    const ed = createAttestationKey('ed25519');
    const q2 = quote({ bank: createPcrBank('sha256'), selection: [23], nonce: new Uint8Array(20).fill(7), key: ed });
    const s2 = parseTpmtSignature(q2.signature);
    if (s2.sigAlg !== 'eddsa') throw new Error('unexpected');
    expect(nodeVerify(null, q2.attest, createPublicKey(ed.pem), s2.sig)).toBe(true);
  });

  it('binds a payload as extraData = H(nonce ‖ data); a swapped payload is a nonce mismatch', () => {
    const ak = createAttestationKey();
    const bank = createPcrBank('sha256');
    const nonce = new Uint8Array(32).fill(1);
    const data = utf8ToBytes('reading 42');
    const q = quote({ bank, selection: [16], nonce, data, key: ak });
    expect(bytesToHex(q.parsed.extraData)).toBe(bytesToHex(new Uint8Array(require('node:crypto').createHash('sha256').update(Buffer.concat([nonce, data])).digest())));
    expect(verifyQuote(q, { publicKey: ak.publicKey, nonce, data }).verified).toBe(true);
    const r = verifyQuote(q, { publicKey: ak.publicKey, nonce, data: utf8ToBytes('reading 43') });
    expect(r.verified).toBe(false);
    expect(r.failures.map((f) => f.code)).toEqual(['QUOTE_NONCE_MISMATCH']);
    expect(verifyQuote(q, { publicKey: ak.publicKey, nonce }).verified).toBe(false);
  });

  it('fails closed on the wrong key, a scheme mismatch and a foreign signer', () => {
    const ak = createAttestationKey();
    const other = createAttestationKey();
    const ed = createAttestationKey('ed25519');
    const nonce = new Uint8Array(16).fill(9);
    const q = quote({ bank: createPcrBank('sha256'), selection: [0], nonce, key: ak });
    const wrong = verifyQuote(q, { publicKey: other.publicKey, nonce });
    expect(wrong.verified).toBe(false);
    expect(wrong.failures.map((f) => f.code)).toContain('QUOTE_SIGNATURE_INVALID');
    const scheme = verifyQuote(q, { publicKey: ed.publicKey, nonce });
    expect(scheme.failures.map((f) => f.code)).toContain('QUOTE_SCHEME_MISMATCH');
    // Another key's quote re-signed: qualifiedSigner names `ak`, signature by `other`.
    const resigned = { attest: q.attest, signature: other.sign(q.attest) };
    const r = verifyQuote(resigned, { publicKey: other.publicKey, nonce });
    expect(r.failures.map((f) => f.code)).toEqual(['QUOTE_SIGNER_MISMATCH']);
    expect(verifyQuote(q, { publicKey: 'not a pem', nonce }).failures.map((f) => f.code)).toEqual(['QUOTE_KEY_INVALID']);
  });

  it('rejects a selection that differs from the expected PCRs, or the wrong bank', () => {
    const ak = createAttestationKey();
    const bank = createPcrBank('sha256');
    const nonce = new Uint8Array(16);
    const q = quote({ bank, selection: [0, 1], nonce, key: ak });
    const sub = verifyQuote(q, { publicKey: ak.publicKey, nonce, expectedPcrs: bank.pcrValues([0]) });
    expect(sub.failures.map((f) => f.code)).toEqual(['QUOTE_PCR_SELECTION_MISMATCH']);
    const sha384 = createPcrBank('sha384').pcrValues([0, 1]);
    expect(verifyQuote(q, { publicKey: ak.publicKey, nonce, expectedPcrs: sha384 }).failures.map((f) => f.code)).toEqual([
      'QUOTE_PCR_SELECTION_MISMATCH',
    ]);
    const short: PcrValues = { hash: 'sha256', values: { 0: new Uint8Array(32), 1: new Uint8Array(20) } };
    expect(verifyQuote(q, { publicKey: ak.publicKey, nonce, expectedPcrs: short }).failures.map((f) => f.code)).toEqual([
      'QUOTE_PCR_VALUE_INVALID',
    ]);
  });

  it('property: valid quotes verify', () => {
    fc.assert(
      fc.property(arbValidQuote(ALGS), (c) => {
        const r = verifyQuote(c.quote, {
          publicKey: c.key.publicKey,
          nonce: c.nonce,
          expectedPcrs: c.bank.pcrValues(c.selection),
          ...(c.data === undefined ? {} : { data: c.data }),
        });
        expect(r.failures).toEqual([]);
        expect(r.verified).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('property: every single mutation makes verification fail', () => {
    fc.assert(
      fc.property(arbTamperedQuote(ALGS), (c) => {
        const pcrs = c.bank.pcrValues(c.selection);
        const expectedPcrs: PcrValues =
          c.expectPcrDelta === undefined
            ? pcrs
            : { hash: pcrs.hash, values: { ...pcrs.values, [c.expectPcrDelta]: new Uint8Array(c.bank.digestLength).fill(0x5a) } };
        const r = verifyQuote(
          { attest: c.attest, signature: c.signature },
          { publicKey: c.key.publicKey, nonce: c.expectNonce, expectedPcrs, ...(c.expectData === undefined ? {} : { data: c.expectData }) },
        );
        if (r.verified) throw new Error(`verified after mutation: ${c.mutation}`);
        expect(r.failures.length).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });

  it('property: encodeTpmsAttest / parseTpmsAttest round-trip every field', () => {
    fc.assert(
      fc.property(arbTpmsAttestFields, (f) => {
        const bytes = encodeTpmsAttest(f);
        const p = parseTpmsAttest(bytes);
        expect(p.qualifiedSigner).toEqual(f.qualifiedSigner);
        expect(p.extraData).toEqual(f.extraData);
        expect(p.clockInfo).toEqual(f.clockInfo);
        expect(p.firmwareVersion).toBe(f.firmwareVersion);
        expect(p.pcrSelections).toEqual(f.pcrSelections);
        expect(p.pcrDigest).toEqual(f.pcrDigest);
        expect(encodeTpmsAttest(p)).toEqual(bytes);
      }),
      { numRuns: 100 },
    );
  });

  it('TPMT_SIGNATURE round-trips', () => {
    for (const alg of ALGS) {
      const ak = createAttestationKey(alg);
      const s = ak.sign(utf8ToBytes('x'));
      expect(encodeTpmtSignature(parseTpmtSignature(s))).toEqual(s);
    }
  });
});
