/** The Node entry (node:crypto ECDSA/Ed25519) and the portable entry (noble) agree in both directions. */
import { utf8ToBytes } from '@privkit/core';
import { describe, expect, it } from 'vitest';
import * as portable from '../src/index.js';
import * as node from '../src/index.node.js';

const bank = portable.createPcrBank('sha256');
bank.measure(16, utf8ToBytes('x'));
const nonce = new Uint8Array(32).fill(3);
const expectedPcrs = bank.pcrValues([16]);

describe('node and portable paths', () => {
  it.each(portable.ATTESTATION_KEY_ALGS)('%s: quotes from either path verify on both; tampering fails on both', (alg) => {
    for (const signer of [portable, node]) {
      const ak = signer.createAttestationKey(alg);
      const same = (signer === portable ? node : portable).createAttestationKey(alg, { secretKey: ak.secretKey });
      expect(same.name).toEqual(ak.name);
      const q = portable.quote({ bank, selection: [16], nonce, key: ak });
      for (const v of [portable, node]) {
        expect(v.verifyQuote(q, { publicKey: ak.publicKey, nonce, expectedPcrs }).verified).toBe(true);
        expect(v.verifyTpmQuote({ attest: q.attest, signature: q.signature, akPublicKey: ak.pem, nonce }).verified).toBe(true);
        const bad = Uint8Array.from(q.signature);
        bad[bad.length - 1]! ^= 1;
        expect(v.verifyQuote({ attest: q.attest, signature: bad }, { publicKey: ak.publicKey, nonce }).verified).toBe(false);
      }
    }
  });

  it('Ed25519 signatures are byte-identical on both paths (deterministic)', () => {
    const a = portable.createAttestationKey('ed25519');
    const b = node.createAttestationKey('ed25519', { secretKey: a.secretKey });
    const m = utf8ToBytes('attest');
    expect(b.sign(m)).toEqual(a.sign(m));
  });

  it('an upload from a portable-entry sensor is accepted by a Node-entry receiver, and the reverse', async () => {
    const { hpke, suites } = await import('@privkit/envelope');
    const [k, d, a] = suites['X25519-SHA256-AES-256-GCM'];
    for (const [sensorSide, receiverSide] of [
      [portable, node],
      [node, portable],
    ] as const) {
      const kp = hpke.suite(k, d, a).kem.generateKeyPair();
      const sensor = sensorSide.createAttestationKey();
      const signer = receiverSide.createAttestationKey('ed25519');
      const rx = receiverSide.createUploadReceiver({
        registry: portable.createNonceRegistry(),
        secretKey: kp.secretKey,
        signingKey: signer,
        sensors: () => ({ publicKey: sensor.publicKey, expectedPcrs }),
      });
      const reading = utf8ToBytes('reading');
      const upload = sensorSide.createAttestedUpload({ challenge: rx.challenge(), reading, receiverPublicKey: kp.publicKey, bank, selection: [16], key: sensor });
      const r = rx.receive(upload);
      expect(r.status).toBe('ACCEPTED');
      expect(sensorSide.verifyUploadResponse(r.response, { receiverKey: signer.publicKey, upload }).accepted).toBe(true);
    }
    expect(node.parseTpmsAttest).toBe(portable.parseTpmsAttest);
  });
});

describe('attack: Ed25519 quotes that one entry accepts and the other refuses — one rule on both entries (RFC 8032 strict, cofactorless, small-order keys refused)', async () => {
  const { ed25519 } = await import('@noble/curves/ed25519.js');
  const { sha512 } = await import('@noble/hashes/sha2.js');
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  const le = (b: Uint8Array) => b.reduceRight((n, x) => (n << 8n) | BigInt(x), 0n);
  const toLe = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
  /** Replaces R and S in a PrivKit EdDSA TPMT_SIGNATURE (sigAlg, TPM2B(R ‖ S)). */
  const withRS = (tpmtSig: Uint8Array, R: Uint8Array, S: Uint8Array) => {
    const out = Uint8Array.from(tpmtSig);
    out.set(R, out.length - 64);
    out.set(S, out.length - 32);
    return out;
  };
  const ak = portable.createAttestationKey('ed25519');
  const q = portable.quote({ bank, selection: [16], nonce, key: ak });
  const pkBytes = ed25519.getPublicKey(ak.secretKey!);
  const { scalar: a } = ed25519.utils.getExtendedPublicKey(ak.secretKey!);
  const T = ed25519.Point.fromBytes(new Uint8Array(32), false); // y = 0: a point of order 4
  const verdicts = (sig: Uint8Array, akPublicKey: Parameters<typeof portable.verifyTpmQuote>[0]['akPublicKey']) =>
    [portable, node].map((v) => v.verifyTpmQuote({ attest: q.attest, signature: sig, akPublicKey, nonce }).verified);

  it('small-order component in R (accepted by cofactored ZIP-215 verification) is refused on both entries', () => {
    expect(T.isSmallOrder()).toBe(true);
    const r = 12345678901234567890n;
    const R = ed25519.Point.BASE.multiply(r).add(T).toBytes();
    const k = le(sha512.create().update(R).update(pkBytes).update(q.attest).digest()) % L;
    const S = toLe((r + k * a) % L);
    const forged = withRS(q.signature, R, S);
    // The cofactored (ZIP-215) equation accepts it: this is what the portable entry used to do.
    expect(ed25519.verify(new Uint8Array([...R, ...S]), q.attest, pkBytes, { zip215: true })).toBe(true);
    expect(verdicts(forged, ak.pem)).toEqual([false, false]);
    // The honest signature still verifies on both.
    expect(verdicts(q.signature, ak.pem)).toEqual([true, true]);
  });

  it('small-order public key (identity: any R = [S]B verifies every message under OpenSSL alone) is refused on both', () => {
    const identity = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0));
    const S = toLe(987654321n);
    const R = ed25519.Point.BASE.multiply(987654321n).toBytes();
    expect(verdicts(withRS(q.signature, R, S), { type: 'ed25519', key: identity } as never)).toEqual([false, false]);
  });

  it('S ≥ L and non-canonical R are refused on both', () => {
    const sig = q.signature;
    const S = le(sig.subarray(sig.length - 32));
    expect(verdicts(withRS(sig, sig.subarray(sig.length - 64, sig.length - 32), toLe(S + L)), ak.pem)).toEqual([false, false]);
    const R = Uint8Array.from(sig.subarray(sig.length - 64, sig.length - 32));
    R[31]! ^= 0x80; // flips the x sign bit: another point, or none
    expect(verdicts(withRS(sig, R, sig.subarray(sig.length - 32)), ak.pem)).toEqual([false, false]);
  });
});
