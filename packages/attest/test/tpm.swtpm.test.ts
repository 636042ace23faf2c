/**
 * The TPM client against swtpm: every command's answer checked, interop with tpm2-tools (EK templates,
 * tpm2_pcrread, tpm2_checkquote, credential activation both ways), the attested upload and a ledger submitter proof
 * with a TPM-resident AK. Skips with a named reason when swtpm / tpm2-tools are missing, unless PRIVKIT_REQUIRE_TPM=1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { bytesToHex, equalBytes, randomBytes, utf8ToBytes } from '@privkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAttestedUpload,
  createAttestationKey,
  createNonceRegistry,
  createPcrBank,
  createUploadReceiver,
  parseTpmsAttest,
  parseTpmtSignature,
  quote,
  verifyQuote,
  verifyTpmQuote,
} from '@privkit/attest';
import { makeCredential, openTpm, TpmResponseError, type TpmClient } from '@privkit/attest/tpm';
import { hpke, suites } from '@privkit/envelope';
import { createIntegrityService, createMemoryLedger, decodeQuoteProof, decodeRecordData, encodeQuoteProof, type SubmitterProof } from '@privkit/ledger';
import { missingTpmTools, startSwtpm, tpm2ToolsPcrsFile, type Swtpm } from './tpm-helpers.js';

const [kemId, kdfId, aeadId] = suites['X25519-SHA256-AES-256-GCM'];
const kemKeys = () => hpke.suite(kemId, kdfId, aeadId).kem.generateKeyPair();
const required = process.env.PRIVKIT_REQUIRE_TPM === '1';
const reason = missingTpmTools.length ? `swtpm/tpm2-tools not installed (missing: ${missingTpmTools.join(', ')})` : '';

it(`TPM tools for the client tests are available when PRIVKIT_REQUIRE_TPM=1${required ? '' : ' (not required here)'}`, () => {
  if (required) expect(missingTpmTools, reason).toEqual([]);
});

/** tpm2-tools credential file (tpm2_makecredential -o / tpm2_activatecredential -i): magic, version, two TPM2Bs. */
function parseToolsCredential(bytes: Uint8Array): { credentialBlob: Uint8Array; secret: Uint8Array } {
  const b = Buffer.from(bytes);
  expect(b.readUInt32BE(0)).toBe(0xbadcc0de);
  expect(b.readUInt32BE(4)).toBe(1);
  const n1 = b.readUInt16BE(8);
  const credentialBlob = Uint8Array.from(b.subarray(10, 10 + n1));
  const n2 = b.readUInt16BE(10 + n1);
  const secret = Uint8Array.from(b.subarray(12 + n1, 12 + n1 + n2));
  expect(12 + n1 + n2).toBe(b.length);
  return { credentialBlob, secret };
}
function toolsCredential(c: { credentialBlob: Uint8Array; secret: Uint8Array }): Uint8Array {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(0xbadcc0de, 0);
  h.writeUInt32BE(1, 4);
  const t2b = (x: Uint8Array) => Buffer.concat([Buffer.from([x.length >> 8, x.length & 0xff]), x]);
  return Uint8Array.from(Buffer.concat([h, t2b(c.credentialBlob), t2b(c.secret)]));
}

describe.skipIf(missingTpmTools.length > 0)(`TPM client on swtpm${reason ? ` — skipped: ${reason}` : ''}`, () => {
  let sw: Swtpm;
  let tpm: TpmClient | undefined;
  const open = () => (tpm = openTpm({ kind: 'swtpm', host: '127.0.0.1', port: sw.port, timeoutMs: 20_000 }));
  /** swtpm serves one connection at a time: close ours before tpm2-tools talk to it. */
  const closeTpm = () => {
    tpm?.close();
    tpm = undefined;
  };

  beforeAll(async () => {
    sw = await startSwtpm();
  });
  afterAll(async () => {
    closeTpm();
    await sw?.stop();
  });

  it('GetRandom, GetCapability and Startup answers are checked', () => {
    const t = open();
    const r = t.getRandom(200);
    expect(r.length).toBe(200);
    expect(new Set(r).size).toBeGreaterThan(50);
    expect(bytesToHex(t.getRandom(32))).not.toBe(bytesToHex(t.getRandom(32)));
    const pcrs = t.getCapability('pcrs', 0, 1);
    expect(pcrs.capability).toBe('pcrs');
    if (pcrs.capability === 'pcrs') expect(pcrs.banks.find((b) => b.hashAlg === 0x000b)?.pcrs.length).toBe(24);
    // TPM_PT_FAMILY_INDICATOR (0x100) = "2.0\0".
    const props = t.getCapability('properties', 0x100, 1);
    if (props.capability === 'properties') expect(props.properties.get(0x100)).toBe(0x322e3000);
    closeTpm();
    // A second Startup on an already started TPM is tolerated.
    open();
    closeTpm();
  });

  it('PCR_Extend follows the software bank and PCR_Read agrees with tpm2_pcrread', () => {
    const t = open();
    const before = t.pcrRead('sha256', [16, 23]);
    const sw256 = createPcrBank('sha256', { values: Array.from({ length: 24 }, (_, i) => (i === 16 ? before[0]! : i === 23 ? before[1]! : new Uint8Array(32))) });
    const d = sha256(utf8ToBytes('firmware v1'));
    t.pcrExtend(16, 'sha256', d);
    sw256.extend(16, d);
    t.pcrExtend(16, 'sha1', new Uint8Array(20).fill(3));
    const all = t.pcrRead('sha256', Array.from({ length: 24 }, (_, i) => i)); // > 8 PCRs: several PCR_Read calls
    expect(bytesToHex(all[16]!)).toBe(bytesToHex(sw256.read(16)));
    expect(all[17]!.every((b) => b === 0xff)).toBe(true); // PCRs 17-22 start as all-ones
    const sha1 = t.pcrRead('sha1', [16])[0]!;
    closeTpm();
    const out = sw.tool(['tpm2_pcrread', 'sha256:0,7,16,17,23+sha1:16']);
    const hex = [...out.matchAll(/0x([0-9A-F]+)/g)].map((m) => m[1]!.toLowerCase());
    expect(hex).toEqual([0, 7, 16, 17, 23].map((i) => bytesToHex(all[i]!)).concat(bytesToHex(sha1)));
  });

  it('CreatePrimary with the EK templates L-1 (RSA) and L-2 (ECC) gives the EK tpm2_createek makes', () => {
    const t = open();
    const ekRsa = t.createEk({ alg: 'rsa' });
    t.flush(ekRsa.handle);
    const ekEcc = t.createEk({ alg: 'ecc' });
    t.flush(ekEcc.handle);
    expect(ekRsa.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    // ReadPublic of a fresh SRK returns the same public area and name the TPM announced at creation.
    const srk = t.srk();
    const rp = t.readPublic(srk.handle);
    expect(bytesToHex(rp.publicArea)).toBe(bytesToHex(srk.publicArea));
    expect(bytesToHex(rp.name)).toBe(bytesToHex(srk.name));
    closeTpm();
    sw.tool(['tpm2_createek', '-c', 'ekr.ctx', '-G', 'rsa', '-u', 'ekr.pub']);
    sw.flush();
    sw.tool(['tpm2_createek', '-c', 'eke.ctx', '-G', 'ecc', '-u', 'eke.pub']);
    sw.flush();
    expect(bytesToHex(readFileSync(join(sw.dir, 'ekr.pub')))).toBe(bytesToHex(ekRsa.publicArea));
    expect(bytesToHex(readFileSync(join(sw.dir, 'eke.pub')))).toBe(bytesToHex(ekEcc.publicArea));
  });

  for (const alg of ['ecdsa-p256', 'rsassa-2048'] as const) {
    it(`a quote with a TPM-resident ${alg} AK verifies with verifyTpmQuote and tpm2_checkquote`, () => {
      const t = open();
      const ak = t.createAttestationKey({ alg });
      expect(ak.alg).toBe(alg === 'rsassa-2048' ? 'tpm-rsassa-2048' : 'tpm-ecdsa-p256');
      expect(ak.secretKey.length).toBe(0);
      expect(() => ak.sign(new Uint8Array(4))).toThrow(/quote/);
      t.pcrExtend(23, 'sha256', sha256(utf8ToBytes(alg)));
      const nonce = createNonceRegistry().issue();
      const q = t.quote({ key: ak, bank: 'sha256', selection: [16, 23], nonce });
      const values = t.pcrRead('sha256', [16, 23]);
      const pcrs = { hash: 'sha256' as const, values: { 16: values[0]!, 23: values[1]! } };
      const parsed = parseTpmsAttest(q.attest);
      expect(bytesToHex(parsed.extraData)).toBe(bytesToHex(nonce));
      expect(bytesToHex(parsed.qualifiedSigner)).toBe(bytesToHex(ak.qualifiedName));
      expect(parseTpmtSignature(q.signature).sigAlg).toBe(alg === 'rsassa-2048' ? 'rsassa' : 'ecdsa');
      for (const akPublicKey of [ak.publicArea, ak.publicKeyPem]) {
        const r = verifyTpmQuote({ ...q, akPublicKey, nonce, pcrs });
        expect(r.failures).toEqual([]);
        expect(r.verified).toBe(true);
      }
      expect(verifyTpmQuote({ ...q, akPublicKey: ak.publicArea, nonce: new Uint8Array(32), pcrs }).verified).toBe(false);
      // The same key through the generic quote() with the TPM's bank: extraData = nonce, TPM-made attest.
      const q2 = quote({ bank: t.pcrBank('sha256'), selection: [16, 23], nonce, key: ak });
      expect(verifyTpmQuote({ attest: q2.attest, signature: q2.signature, akPublicKey: ak.publicKeyPem, nonce, pcrs }).verified).toBe(true);
      // verifyQuote checks qualifiedSigner: a TPM quote carries the qualified name, not the name.
      expect(verifyQuote(q2, { publicKey: ak.publicKey, nonce, expectedPcrs: pcrs }).failures.map((f) => f.code)).toEqual(['QUOTE_SIGNER_MISMATCH']);
      expect(verifyQuote(q2, { publicKey: ak.publicKey, qualifiedSigner: ak.qualifiedName, nonce, expectedPcrs: pcrs }).verified).toBe(true);
      expect(verifyQuote(q2, { publicKey: ak.publicKey, qualifiedSigner: ak.name, nonce, expectedPcrs: pcrs }).verified).toBe(false);
      writeFileSync(join(sw.dir, 'tq.pub'), ak.publicArea);
      writeFileSync(join(sw.dir, 'tq.msg'), q.attest);
      writeFileSync(join(sw.dir, 'tq.sig'), q.signature);
      writeFileSync(join(sw.dir, 'tq.pcrs'), tpm2ToolsPcrsFile(0x000b, [16, 23], values));
      closeTpm();
      sw.tool(['tpm2_checkquote', '-u', 'tq.pub', '-m', 'tq.msg', '-s', 'tq.sig', '-f', 'tq.pcrs', '-q', bytesToHex(nonce), '-g', 'sha256']);
      expect(() => sw.tool(['tpm2_checkquote', '-u', 'tq.pub', '-m', 'tq.msg', '-s', 'tq.sig', '-f', 'tq.pcrs', '-q', bytesToHex(randomBytes(32)), '-g', 'sha256'])).toThrow();
    });
  }

  for (const ekAlg of ['rsa', 'ecc'] as const) {
    it(`credential activation (${ekAlg} EK): our MakeCredential ↔ our ActivateCredential, tpm2_makecredential → our ActivateCredential`, () => {
      const t = open();
      const ek = t.createEk({ alg: ekAlg });
      const ak = t.createAttestationKey();
      const secret = randomBytes(32);
      const c = makeCredential({ ekPublic: ek.publicArea, akName: ak.name, credential: secret });
      expect(bytesToHex(t.activateCredential({ key: ak, ek, ...c }))).toBe(bytesToHex(secret));
      // Bound to the AK name: another AK cannot activate it (integrity check fails inside the TPM).
      const other = makeCredential({ ekPublic: ek.publicArea, akName: createAttestationKey().name, credential: secret });
      expect(() => t.activateCredential({ key: ak, ek, ...other })).toThrow(TpmResponseError);
      // Tampered blob → typed TPM error, and the policy session does not leak (a second activation still works).
      const bad = Uint8Array.from(c.credentialBlob);
      bad[bad.length - 1]! ^= 1;
      for (let i = 0; i < 5; i++) expect(() => t.activateCredential({ key: ak, ek, credentialBlob: bad, secret: c.secret })).toThrow(TpmResponseError);
      // tpm2_makecredential (offline, -T none) for our EK and AK name.
      writeFileSync(join(sw.dir, `our-ek-${ekAlg}.pub`), ek.publicArea);
      writeFileSync(join(sw.dir, 'secret.bin'), secret);
      sw.tool(['tpm2_makecredential', '-T', 'none', '-u', `our-ek-${ekAlg}.pub`, '-s', 'secret.bin', '-n', bytesToHex(ak.name), '-o', 'tools.cred']);
      const fromTools = parseToolsCredential(Uint8Array.from(readFileSync(join(sw.dir, 'tools.cred'))));
      expect(bytesToHex(t.activateCredential({ key: ak, ek, ...fromTools }))).toBe(bytesToHex(secret));
      closeTpm();
    });

    it(`credential activation (${ekAlg} EK): our MakeCredential → tpm2_activatecredential`, () => {
      sw.tool(['tpm2_createek', '-c', 'ek.ctx', '-G', ekAlg, '-u', 'ek.pub']);
      sw.flush();
      sw.tool(['tpm2_createak', '-C', 'ek.ctx', '-c', 'ak.ctx', '-G', 'ecc', '-g', 'sha256', '-s', 'ecdsa', '-u', 'ak.pub', '-n', 'ak.name']);
      sw.flush();
      const secret = randomBytes(24);
      const c = makeCredential({ ekPublic: Uint8Array.from(readFileSync(join(sw.dir, 'ek.pub'))), akName: Uint8Array.from(readFileSync(join(sw.dir, 'ak.name'))), credential: secret });
      writeFileSync(join(sw.dir, 'our.cred'), toolsCredential(c));
      sw.tool(['tpm2_startauthsession', '--policy-session', '-S', 'session.ctx']);
      sw.tool(['tpm2_policysecret', '-S', 'session.ctx', '-c', 'e']);
      sw.tool(['tpm2_activatecredential', '-c', 'ak.ctx', '-C', 'ek.ctx', '-i', 'our.cred', '-o', 'act.out', '-P', 'session:session.ctx']);
      sw.tool(['tpm2_flushcontext', 'session.ctx']);
      sw.flush();
      expect(bytesToHex(readFileSync(join(sw.dir, 'act.out')))).toBe(bytesToHex(secret));
    });
  }

  it('the README flow: credential activation binds the AK, then quote() with the TPM bank verifies (property: any credential)', () => {
    const t = open();
    const ak = t.createAttestationKey({ alg: 'ecdsa-p256' });
    const ek = t.createEk({ alg: 'rsa' });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 32 }), (credential) => {
        const cred = makeCredential({ ekPublic: ek.publicArea, akName: ak.name, credential });
        return equalBytes(t.activateCredential({ key: ak, ek, ...cred }), credential);
      }),
      { numRuns: 12 },
    );
    const bank = t.pcrBank('sha256');
    bank.measure(16, utf8ToBytes('sensor app 2.1'));
    expect(bank.eventLog().map((e) => e.index)).toEqual([16]);
    const nonce = createNonceRegistry().issue();
    const q = quote({ bank, selection: [0, 7, 16], nonce, key: ak });
    expect(verifyQuote(q, { publicKey: ak.publicArea, qualifiedSigner: ak.qualifiedName, nonce, expectedPcrs: bank.pcrValues([0, 7, 16]) }).verified).toBe(true);
    closeTpm();
  });

  it('the attested upload end to end with a TPM-resident AK, PCRs from the TPM and the data key from TPM2_GetRandom', () => {
    const t = open();
    const ak = t.createAttestationKey();
    const bank = t.pcrBank('sha256');
    bank.measure(16, utf8ToBytes('sensor firmware 2.1'));
    const expectedPcrs = bank.pcrValues([16]);
    const registry = createNonceRegistry();
    const rx = kemKeys();
    const receiver = createUploadReceiver({
      registry,
      secretKey: rx.secretKey,
      signingKey: createAttestationKey(),
      sensors: (name) => (bytesToHex(name) === bytesToHex(ak.name) ? { publicKey: ak.publicKeyPem, expectedPcrs } : undefined),
    });
    let tpmRandomCalls = 0;
    const reading = utf8ToBytes('{"temp":21.5}');
    const upload = createAttestedUpload({
      challenge: receiver.challenge(),
      reading,
      receiverPublicKey: rx.publicKey,
      bank,
      selection: [16],
      key: ak,
      randomBytes: (n) => {
        tpmRandomCalls++;
        return t.getRandom(n);
      },
    });
    expect(tpmRandomCalls).toBe(2); // data key and AEAD nonce
    const res = receiver.receive(upload);
    expect(res.status).toBe('ACCEPTED');
    if (res.accepted) expect(bytesToHex(res.reading)).toBe(bytesToHex(reading));
    // After a measurement changes PCR 16, the same device is refused.
    bank.measure(16, utf8ToBytes('malware'));
    const up2 = createAttestedUpload({ challenge: receiver.challenge(), reading, receiverPublicKey: rx.publicKey, bank, selection: [16], key: ak });
    expect(receiver.receive(up2).status).toBe('PCR_MISMATCH');
    closeTpm();
  });

  it('a ledger record with a TPM quote as submitter proof is anchored and its proof re-verifies', async () => {
    const t = open();
    const ak = t.createAttestationKey({ alg: 'rsassa-2048' });
    const bank = t.pcrBank('sha256');
    const expectedPcrs = bank.pcrValues([16]);
    const verifyProof = (p: SubmitterProof, message: Uint8Array) =>
      p.kind === 'quote' && verifyQuote(decodeQuoteProof(p.bytes), { publicKey: ak.publicArea, qualifiedSigner: ak.qualifiedName, nonce: message, expectedPcrs }).verified;
    const ledger = createMemoryLedger();
    const owner = kemKeys();
    const svc = createIntegrityService(ledger.as('sensor-gw'), { verifyProof });
    await svc.recordBlock('tpm/1', randomBytes(40), {
      recipients: [owner.publicKey],
      proof: (m) => ({ kind: 'quote', bytes: encodeQuoteProof(quote({ bank, selection: [16], nonce: m, key: ak })) }),
    });
    const rec = await ledger.as('sensor-gw').get('tpm/1');
    expect(decodeRecordData(rec.data).proof?.kind).toBe('quote');
    expect(await svc.recheckProof(rec, verifyProof)).toBe(true);
    closeTpm();
  });

  it('EvictControl persists an AK that a new session quotes with; NV_ReadPublic of a missing index is a typed TPM error', () => {
    const t = open();
    const ak = t.createAttestationKey();
    t.persist(ak, 0x81010077);
    closeTpm();
    const t2 = open();
    const again = t2.openAttestationKey(0x81010077);
    expect(bytesToHex(again.name)).toBe(bytesToHex(ak.name));
    const nonce = randomBytes(20);
    const q = t2.quote({ key: again, bank: 'sha256', selection: [0], nonce });
    expect(verifyTpmQuote({ ...q, akPublicKey: ak.publicArea, nonce }).verified).toBe(true);
    t2.evict(0x81010077);
    expect(() => t2.openAttestationKey(0x81010077)).toThrow(TpmResponseError);
    try {
      t2.nvReadPublic(0x01c00002);
      expect.unreachable('swtpm without swtpm_setup has no EK certificate');
    } catch (e) {
      expect(e).toBeInstanceOf(TpmResponseError);
      expect((e as TpmResponseError).rcName).toMatch(/^TPM_RC_HANDLE/);
    }
    expect(t2.readEkCertificate('rsa')).toBeUndefined();
    closeTpm();
  });

  it('NV_ReadPublic / NV_Read: an EK certificate provisioned by tpm2-tools at 0x01c0000a reads back in chunks', () => {
    const cert = randomBytes(1100); // stands in for the DER (the client does not parse it)
    writeFileSync(join(sw.dir, 'ekcert.der'), cert);
    sw.tool(['tpm2_nvdefine', '0x1c0000a', '-C', 'p', '-s', String(cert.length), '-a', 'ppwrite|ppread|ownerread|authread|authwrite|no_da|platformcreate']);
    sw.tool(['tpm2_nvwrite', '0x1c0000a', '-C', 'p', '-i', 'ekcert.der']);
    const t = open();
    const pub = t.nvReadPublic(0x01c0000a);
    expect(pub.dataSize).toBe(cert.length);
    expect(pub.nameAlg).toBe(0x000b);
    expect(bytesToHex(t.readEkCertificate('ecc')!)).toBe(bytesToHex(cert));
    closeTpm();
  });
});
