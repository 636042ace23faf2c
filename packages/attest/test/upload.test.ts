import { bytesToHex, utf8ToBytes } from '@privkit/core';
import { hpke, suites } from '@privkit/envelope';
import { describe, expect, it } from 'vitest';
import {
  createAttestationKey,
  createAttestedUpload,
  createNonceRegistry,
  createPcrBank,
  createUploadReceiver,
  encodeUploadChallenge,
  parseUploadChallenge,
  quote,
  UploadError,
  UploadFormatError,
  verifyQuote,
  verifyUploadResponse,
  verifyUploadStatement,
  type SensorRecord,
} from '@privkit/attest';

function setup(opts: { ttlMs?: number } = {}) {
  const clock = { t: 0 };
  const registry = createNonceRegistry({ now: () => clock.t, ...(opts.ttlMs ? { ttlMs: opts.ttlMs } : {}) });
  const [k, d, a] = suites['X25519-SHA256-AES-256-GCM'];
  const receiverKp = hpke.suite(k, d, a).kem.generateKeyPair();
  const receiverSigner = createAttestationKey('ecdsa-p256');
  const sensorKey = createAttestationKey('ecdsa-p256');
  const bank = createPcrBank('sha256');
  bank.measure(0, utf8ToBytes('firmware 1.0'));
  bank.measure(16, utf8ToBytes('sensor app 2.1'));
  const selection = [0, 16];
  const known = new Map<string, SensorRecord>([[bytesToHex(sensorKey.name), { publicKey: sensorKey.publicKey, expectedPcrs: bank.pcrValues(selection) }]]);
  const receiver = createUploadReceiver({
    registry,
    secretKey: receiverKp.secretKey,
    signingKey: receiverSigner,
    sensors: (name) => known.get(bytesToHex(name)),
  });
  const reading = new Uint8Array(1024).map((_, i) => i & 0xff);
  const upload = (challenge = receiver.challenge(), key = sensorKey, b = bank) =>
    createAttestedUpload({ challenge, reading, receiverPublicKey: receiverKp.publicKey, bank: b, selection, key });
  const check = (response: Uint8Array, u: Uint8Array) => verifyUploadResponse(response, { receiverKey: receiverSigner.publicKey, upload: u });
  return { clock, registry, receiver, receiverKp, receiverSigner, sensorKey, bank, selection, reading, upload, check, known };
}

function flip(b: Uint8Array, i: number): Uint8Array {
  const c = Uint8Array.from(b);
  c[i]! ^= 1;
  return c;
}

describe('attested upload protocol', () => {
  it('success: challenge → sealed + quoted upload → verified, opened, signed acknowledgement', () => {
    const s = setup();
    const u = s.upload();
    const r = s.receiver.receive(u);
    expect(r.status).toBe('ACCEPTED');
    if (!r.accepted) throw new Error('not accepted');
    expect(r.reading).toEqual(s.reading);
    expect(r.akName).toEqual(s.sensorKey.name);
    expect(s.check(r.response, u)).toMatchObject({ accepted: true, status: 'ACCEPTED' });
  });

  it('the national-standard suite end to end: SM2 AK, SM3 PCR bank, SM2-SM3-SM4 envelope, SM4-GCM Edata', () => {
    const registry = createNonceRegistry();
    const [k, d, a] = suites['SM2-SM3-SM4'];
    const kp = hpke.suite(k, d, a).kem.generateKeyPair();
    const sensor = createAttestationKey('sm2');
    const bank = createPcrBank('sm3');
    bank.measure(16, utf8ToBytes('sensor app'));
    const signer = createAttestationKey('sm2');
    const rx = createUploadReceiver({
      registry,
      secretKey: kp.secretKey,
      signingKey: signer,
      sensors: () => ({ publicKey: sensor.pem, expectedPcrs: bank.pcrValues([16]) }),
      suites: ['SM2-SM3-SM4'],
    });
    const reading = utf8ToBytes('温度 21.5 °C');
    const u = createAttestedUpload({ challenge: rx.challenge(), reading, receiverPublicKey: kp.publicKey, suite: 'SM2-SM3-SM4', bank, selection: [16], key: sensor });
    const r = rx.receive(u);
    if (!r.accepted) throw new Error(r.status);
    expect(r.reading).toEqual(reading);
    expect(verifyUploadResponse(r.response, { receiverKey: signer.pem, upload: u }).status).toBe('ACCEPTED');
    // A suite outside the receiver's allow-list is refused before anything else.
    const s = setup();
    const other = createAttestedUpload({ challenge: s.receiver.challenge(), reading, receiverPublicKey: kp.publicKey, suite: 'SM2-SM3-SM4', bank: s.bank, selection: s.selection, key: s.sensorKey });
    expect(s.receiver.receive(other).status).toBe('MALFORMED');
  });

  it('replayed upload → signed NONCE_REPLAYED, nothing decrypted', () => {
    const s = setup();
    const u = s.upload();
    expect(s.receiver.receive(u).accepted).toBe(true);
    const r = s.receiver.receive(u);
    expect(r.status).toBe('NONCE_REPLAYED');
    expect('reading' in r).toBe(false);
    expect(s.check(r.response, u)).toMatchObject({ accepted: false, status: 'NONCE_REPLAYED' });
  });

  it('expired nonce → NONCE_EXPIRED; unknown nonce → NONCE_UNKNOWN', () => {
    const s = setup({ ttlMs: 100 });
    const u = s.upload();
    s.clock.t = 100;
    expect(s.receiver.receive(u).status).toBe('NONCE_EXPIRED');
    const foreign = s.upload(encodeUploadChallenge(new Uint8Array(32).fill(3)));
    const r = s.receiver.receive(foreign);
    expect(r.status).toBe('NONCE_UNKNOWN');
    expect(s.check(r.response, foreign).status).toBe('NONCE_UNKNOWN');
  });

  it('PCRs differ from the expected state → PCR_MISMATCH', () => {
    const s = setup();
    const bank = createPcrBank('sha256');
    bank.measure(0, utf8ToBytes('firmware 1.0'));
    bank.measure(16, utf8ToBytes('malware'));
    const r = s.receiver.receive(s.upload(undefined, s.sensorKey, bank));
    expect(r.status).toBe('PCR_MISMATCH');
    if (r.accepted) throw new Error('accepted');
    expect(r.failures.map((f) => f.code)).toEqual(['QUOTE_PCR_DIGEST_MISMATCH']);
  });

  it('unknown sensor key and a known name with a forged signature → the same QUOTE_INVALID', () => {
    const s = setup();
    expect(s.receiver.receive(s.upload(undefined, createAttestationKey())).status).toBe('QUOTE_INVALID');
    const u = s.upload();
    const sigOffset = u.length - 64 + 5; // inside the ECDSA s value of the TPMT_SIGNATURE
    expect(s.receiver.receive(flip(u, sigOffset)).status).toBe('QUOTE_INVALID');
  });

  it('attack: the receiver as an oracle for golden PCR values — unauthenticated quotes get one status and spend the nonce', () => {
    const s = setup();
    // The attacker knows the sensor's AK name (it travels in clear) but not its key. It builds quotes with its own
    // key under the sensor's name, once with the right PCR values and once with wrong ones.
    const attacker = createAttestationKey('ecdsa-p256');
    const impersonate = { ...attacker, name: s.sensorKey.name } as typeof attacker;
    const wrongBank = createPcrBank('sha256');
    wrongBank.measure(0, utf8ToBytes('guess'));
    const right = s.receiver.receive(s.upload(undefined, impersonate, s.bank));
    const wrong = s.receiver.receive(s.upload(undefined, impersonate, wrongBank));
    // Both answers are identical: nothing distinguishes a right guess from a wrong one.
    expect(right.status).toBe('QUOTE_INVALID');
    expect(wrong.status).toBe('QUOTE_INVALID');
    for (const r of [right, wrong]) {
      if (r.accepted) throw new Error('accepted');
      expect(r.failures.map((f) => f.code)).not.toContain('QUOTE_PCR_DIGEST_MISMATCH');
      expect(r.failures.map((f) => f.code)).not.toContain('QUOTE_PCR_SELECTION_MISMATCH');
    }
    // A failed attempt spends the nonce: the genuine sensor's upload for that nonce is now a replay.
    const challenge = s.receiver.challenge();
    expect(s.receiver.receive(s.upload(challenge, impersonate, wrongBank)).status).toBe('QUOTE_INVALID');
    expect(s.receiver.receive(s.upload(challenge)).status).toBe('NONCE_REPLAYED');
    // The genuine sensor in a wrong state still learns PCR_MISMATCH: its quote is authenticated.
    expect(s.receiver.receive(s.upload(undefined, s.sensorKey, wrongBank)).status).toBe('PCR_MISMATCH');
  });

  it('verifyQuote compares PCRs and extraData only after the signature verified (signatureValid)', () => {
    const s = setup();
    const other = createAttestationKey('ecdsa-p256');
    const nonce = new Uint8Array(32).fill(7);
    const q = quote({ bank: s.bank, selection: s.selection, nonce, key: other });
    const wrongPcrs = createPcrBank('sha256').pcrValues(s.selection);
    const forged = verifyQuote(q, { publicKey: s.sensorKey.publicKey, nonce: new Uint8Array(32), expectedPcrs: wrongPcrs });
    expect(forged.verified).toBe(false);
    expect(forged.signatureValid).toBe(false);
    expect(forged.failures.map((f) => f.code)).toEqual(['QUOTE_SIGNATURE_INVALID']);
    const authentic = verifyQuote(q, { publicKey: other.publicKey, nonce: new Uint8Array(32), expectedPcrs: wrongPcrs });
    expect(authentic.signatureValid).toBe(true);
    expect(authentic.failures.map((f) => f.code)).toEqual(['QUOTE_NONCE_MISMATCH', 'QUOTE_PCR_DIGEST_MISMATCH']);
  });

  it('an accepted upload keeps the verified quote and a signed statement; acknowledge names the storage address', () => {
    const s = setup();
    const u = s.upload();
    const r = s.receiver.receive(u);
    if (!r.accepted) throw new Error('not accepted');
    // The quote re-verifies from the result alone, by anyone holding the sensor's key.
    const nonce = verifyUploadStatement(r.statement, { receiverKey: s.receiverSigner.publicKey, upload: u, quote: r.quote }).nonce;
    expect(r.attest.extraData.length).toBe(32);
    const st0 = verifyUploadStatement(r.statement, { receiverKey: s.receiverSigner.publicKey });
    expect(st0.storageAddress).toBeUndefined();
    expect(st0.akName).toEqual(s.sensorKey.name);
    expect(st0.pcrSelection.pcrs).toEqual([0, 16]);
    expect(st0.pcrDigest).toEqual(r.attest.pcrDigest);
    expect(nonce).toEqual(st0.nonce);
    const cid = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';
    const st = verifyUploadStatement(s.receiver.acknowledge(r, { storageAddress: cid }), { receiverKey: s.receiverSigner.publicKey, upload: u });
    expect(st.storageAddress).toBe(cid);
    // Forged or foreign statements fail; acknowledge signs only this receiver's own accepted results.
    const stmt = s.receiver.acknowledge(r, { storageAddress: cid });
    expect(() => verifyUploadStatement(flip(stmt, 20), { receiverKey: s.receiverSigner.publicKey })).toThrow(UploadError);
    expect(() => verifyUploadStatement(stmt, { receiverKey: s.sensorKey.publicKey })).toThrow(UploadError);
    expect(() => verifyUploadStatement(stmt, { receiverKey: s.receiverSigner.publicKey, upload: flip(u, 40) })).toThrow(UploadError);
    expect(() => s.receiver.acknowledge({ ...r }, { storageAddress: cid })).toThrow();
    expect(() => s.receiver.acknowledge(r, { storageAddress: '' })).toThrow();
    expect(() => s.receiver.acknowledge(r, { storageAddress: 'x'.repeat(513) })).toThrow();
  });

  it('swapped payload (Updata of another upload) → PAYLOAD_MISMATCH, nothing decrypted', () => {
    const s = setup();
    const a = s.upload();
    const b = createAttestedUpload({
      challenge: encodeUploadChallenge(parseUploadChallenge(s.receiver.challenge())),
      reading: utf8ToBytes('other reading'),
      receiverPublicKey: s.receiverKp.publicKey,
      bank: s.bank,
      selection: s.selection,
      key: s.sensorKey,
    });
    // Rebuild `a` with the Updata of `b` (same header layout): header ‖ u32 len ‖ Updata ‖ attest ‖ sig.
    const headerLen = 4 + 1 + 1 + 1 + 'X25519-SHA256-AES-256-GCM'.length + 2 + 32 + 2 + 34;
    const len = (x: Uint8Array) => new DataView(x.buffer, x.byteOffset).getUint32(headerLen);
    const updB = b.subarray(headerLen + 4, headerLen + 4 + len(b));
    const tailA = a.subarray(headerLen + 4 + len(a));
    const lenB = new Uint8Array(4);
    new DataView(lenB.buffer).setUint32(0, updB.length);
    const swapped = Uint8Array.from([...a.subarray(0, headerLen), ...lenB, ...updB, ...tailA]);
    const r = s.receiver.receive(swapped);
    expect(r.status).toBe('PAYLOAD_MISMATCH');
    expect('reading' in r).toBe(false);
  });

  it('Updata that verifies but does not decrypt (wrong receiver key) → DECRYPT_FAILED', () => {
    const s = setup();
    const [k, d, a] = suites['X25519-SHA256-AES-256-GCM'];
    const otherKp = hpke.suite(k, d, a).kem.generateKeyPair();
    const u = createAttestedUpload({
      challenge: s.receiver.challenge(),
      reading: s.reading,
      receiverPublicKey: otherKp.publicKey,
      bank: s.bank,
      selection: s.selection,
      key: s.sensorKey,
    });
    const r = s.receiver.receive(u);
    expect(r.status).toBe('DECRYPT_FAILED');
    expect(s.check(r.response, u).status).toBe('DECRYPT_FAILED');
  });

  it('malformed uploads → signed MALFORMED; truncated/extended/bit-flipped never accepted', () => {
    const s = setup();
    const u = s.upload();
    for (const bad of [u.subarray(0, 10), u.subarray(0, u.length - 1), Uint8Array.of(...u, 0), flip(u, 0), flip(u, 4), new Uint8Array(0)]) {
      const r = s.receiver.receive(bad);
      expect(r.accepted).toBe(false);
      expect(r.status).toBe('MALFORMED');
      expect(s.check(r.response, bad).status).toBe('MALFORMED');
    }
    for (let i = 0; i < u.length; i += 97) expect(s.receiver.receive(flip(u, i)).accepted).toBe(false);
  });

  it('the sensor rejects forged or misdirected responses', () => {
    const s = setup();
    const u = s.upload();
    const r = s.receiver.receive(u);
    expect(() => verifyUploadResponse(flip(r.response, 6), { receiverKey: s.receiverSigner.publicKey, upload: u })).toThrow(UploadError);
    expect(() => verifyUploadResponse(r.response, { receiverKey: createAttestationKey().publicKey, upload: u })).toThrow(
      /signature does not verify/,
    );
    expect(() => verifyUploadResponse(r.response, { receiverKey: s.receiverSigner.publicKey, upload: flip(u, 50) })).toThrow(/another upload/);
    expect(() => verifyUploadResponse(r.response.subarray(1), { receiverKey: s.receiverSigner.publicKey, upload: u })).toThrow(UploadFormatError);
  });

  it('challenge encoding round-trips and rejects bad input', () => {
    const n = new Uint8Array(32).fill(5);
    expect(parseUploadChallenge(encodeUploadChallenge(n))).toEqual(n);
    expect(() => encodeUploadChallenge(new Uint8Array(8))).toThrow(/"nonce"/);
    expect(() => parseUploadChallenge(flip(encodeUploadChallenge(n), 0))).toThrow(UploadFormatError);
    expect(() => parseUploadChallenge(encodeUploadChallenge(n).subarray(0, 20))).toThrow(UploadFormatError);
  });
});
