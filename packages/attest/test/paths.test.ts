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
