/** Hostile inputs (docs/CONVENTIONS.md §19) on every public function: typed errors, never a crash or a wrong answer. */
import { isPrivkitError, utf8ToBytes } from '@privkit/core';
import { bitFlips, hostileBytes, hostileNumbers, hostileValues, truncations } from '@privkit/core/testing';
import { hpke, suites } from '@privkit/envelope';
import { describe, expect, it } from 'vitest';
import {
  checkEventLog,
  createAttestationKey,
  createAttestedUpload,
  createNonceRegistry,
  createPcrBank,
  createUploadReceiver,
  encodeTpmsAttest,
  encodeTpmtSignature,
  encodeUploadChallenge,
  extend,
  parseAkPublicKey,
  parseTcgEventLog,
  parseTpmsAttest,
  parseTpmtPublic,
  parseTpmtSignature,
  parseUploadChallenge,
  pcrResetLocality,
  quote,
  replayEventLog,
  spkiPem,
  tpmName,
  verifyQuote,
  verifyTpmQuote,
  verifyUploadResponse,
} from '@privkit/attest';

function typed(fn: () => unknown, what: string): void {
  try {
    fn();
  } catch (e) {
    if (!isPrivkitError(e)) throw new Error(`${what}: threw a non-PrivKit error: ${String(e)}`);
    return;
  }
  throw new Error(`${what}: did not throw`);
}

const ak = createAttestationKey();
const bank = createPcrBank('sha256');
bank.measure(16, utf8ToBytes('x'));
const nonce = new Uint8Array(32).fill(1);
const q = quote({ bank, selection: [16], nonce, key: ak });
const pcrs = bank.pcrValues([16]);
const base = { attest: q.attest, signature: q.signature, akPublicKey: ak.pem, nonce, pcrs };
const objectsRequired = hostileValues('object');
const objectsOptional = objectsRequired.filter((h) => h.value !== undefined);

describe('hostile inputs', () => {
  it('PCR bank functions', () => {
    for (const h of hostileValues('string')) typed(() => createPcrBank(h.value as never), `createPcrBank(${h.title})`);
    for (const h of objectsOptional) typed(() => createPcrBank('sha256', h.value as never), `createPcrBank options ${h.title}`);
    for (const h of hostileNumbers()) {
      if (h.value === 16 || h.value === 23) continue;
      typed(() => bank.read(h.value as never), `read(${h.title})`);
      typed(() => bank.extend(h.value as never, new Uint8Array(32)), `extend index ${h.title}`);
      typed(() => bank.reset(h.value as never), `reset(${h.title})`);
      typed(() => pcrResetLocality(h.value as never), `pcrResetLocality(${h.title})`);
    }
    for (const h of hostileBytes()) {
      typed(() => bank.extend(16, h.value as never), `extend digest ${h.title}`);
      typed(() => bank.measure(16, h.value as never), `measure data ${h.title}`);
      typed(() => extend(h.value as never, 16, new Uint8Array(32)), `extend bank ${h.title}`);
      if (h.title !== '[]' && h.title !== '[1,2,3]') typed(() => bank.pcrValues(h.value as never), `pcrValues(${h.title})`);
      if (h.title !== '[]') typed(() => replayEventLog('sha256', h.value as never), `replayEventLog(${h.title})`);
      typed(() => replayEventLog('sha256', [h.value] as never), `replayEventLog([${h.title}])`);
      typed(() => checkEventLog([], h.value as never), `checkEventLog(${h.title})`);
    }
    typed(() => bank.pcrValues([16, 16]), 'duplicate selection');
    typed(() => bank.extend(16, new Uint8Array(32), { eventType: 5 as never }), 'eventType number');
  });

  it('TPM structure codecs', () => {
    for (const h of hostileBytes()) {
      typed(() => parseTpmsAttest(h.value as never), `parseTpmsAttest(${h.title})`);
      typed(() => parseTcgEventLog(h.value as never), `parseTcgEventLog(${h.title})`);
      if (h.value !== undefined) typed(() => parseTcgEventLog(new Uint8Array(40), h.value as never), `parseTcgEventLog bank ${h.title}`);
      typed(() => parseTpmtSignature(h.value as never), `parseTpmtSignature(${h.title})`);
      typed(() => parseTpmtPublic(h.value as never), `parseTpmtPublic(${h.title})`);
      typed(() => tpmName(h.value as never), `tpmName(${h.title})`);
      typed(() => encodeTpmsAttest(h.value as never), `encodeTpmsAttest(${h.title})`);
      typed(() => encodeTpmsAttest({ ...q.parsed, extraData: h.value as never }), `encodeTpmsAttest extraData ${h.title}`);
      typed(() => encodeTpmtSignature(h.value as never), `encodeTpmtSignature(${h.title})`);
      typed(() => spkiPem(h.value as never), `spkiPem(${h.title})`);
      if (typeof h.value !== 'string') typed(() => parseAkPublicKey(h.value as never), `parseAkPublicKey(${h.title})`);
    }
    for (const h of [...truncations(q.attest), ...bitFlips(q.attest.subarray(0, 6))]) {
      typed(() => parseTpmsAttest(h.value as Uint8Array), `parseTpmsAttest ${h.title}`);
    }
    for (const h of truncations(q.signature)) typed(() => parseTpmtSignature(h.value as Uint8Array), `parseTpmtSignature ${h.title}`);
    for (const h of truncations(ak.publicKey.tpmtPublic!)) typed(() => parseTpmtPublic(h.value as Uint8Array), `parseTpmtPublic ${h.title}`);
    const pems = [
      '',
      'abc',
      '-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----',
      '-----BEGIN PUBLIC KEY----------END PUBLIC KEY-----',
      ak.pem.replace('MFkw', 'MFkx'),
      ak.pem.slice(0, 60),
      `-----BEGIN PUBLIC KEY-----${' \n'.repeat(8000)}`,
      `-----BEGIN PUBLIC KEY-----${'A'.repeat(20000)}-----END PUBLIC KEY-----`,
    ];
    for (const pem of pems) {
      typed(() => parseAkPublicKey(pem), `parseAkPublicKey(${JSON.stringify(pem.slice(0, 20))})`);
    }
    typed(() => encodeTpmsAttest({ ...q.parsed, extraData: new Uint8Array(65) }), 'extraData too long');
    typed(() => encodeTpmsAttest({ ...q.parsed, pcrSelections: [{ hashAlg: 11, sizeofSelect: 3, pcrs: [24] }] }), 'pcr 24');
  });

  it('attestation keys and quotes', () => {
    for (const h of hostileValues('string')) {
      if (h.value === undefined) continue;
      typed(() => createAttestationKey(h.value as never), `createAttestationKey(${h.title})`);
    }
    for (const h of objectsOptional) typed(() => createAttestationKey('ecdsa-p256', h.value as never), `createAttestationKey options ${h.title}`);
    for (const h of hostileBytes()) {
      if (h.value !== undefined) typed(() => createAttestationKey('ed25519', { secretKey: h.value as never }), `secretKey ${h.title}`);
      typed(() => ak.sign(h.value as never), `sign(${h.title})`);
    }
    const qi = { bank, selection: [16], nonce, key: ak };
    for (const h of objectsRequired) typed(() => quote(h.value as never), `quote(${h.title})`);
    for (const field of ['bank', 'selection', 'nonce', 'key'] as const) {
      for (const h of hostileBytes()) {
        if (field === 'selection' && h.title === '[1,2,3]') continue; // a valid selection
        typed(() => quote({ ...qi, [field]: h.value } as never), `quote ${field} ${h.title}`);
      }
    }
    typed(() => quote({ ...qi, nonce: new Uint8Array(65) }), 'nonce 65 bytes');
    typed(() => quote({ ...qi, selection: [24] }), 'selection 24');
  });

  it('verifiers: wrong argument types throw typed errors; hostile quote content is never verified', () => {
    for (const h of objectsRequired) typed(() => verifyTpmQuote(h.value as never), `verifyTpmQuote(${h.title})`);
    for (const field of ['attest', 'signature', 'nonce'] as const) {
      for (const h of hostileBytes()) typed(() => verifyTpmQuote({ ...base, [field]: h.value } as never), `verifyTpmQuote ${field} ${h.title}`);
    }
    for (const h of hostileBytes()) {
      if (typeof h.value === 'string' || (typeof h.value === 'object' && h.value !== null && !Array.isArray(h.value))) continue;
      typed(() => verifyTpmQuote({ ...base, akPublicKey: h.value } as never), `akPublicKey ${h.title}`);
    }
    for (const h of objectsOptional) {
      typed(() => verifyTpmQuote({ ...base, pcrs: h.value } as never), `pcrs ${h.title}`);
    }
    typed(() => verifyTpmQuote({ ...base, pcrs: { hash: 'md5', values: {} } } as never), 'pcrs.hash md5');
    typed(() => verifyTpmQuote({ ...base, pcrs: { hash: 'sha256', values: { 24: new Uint8Array(32) } } }), 'pcr 24');
    typed(() => verifyTpmQuote({ ...base, allowedHashes: ['md5'] } as never), 'allowedHashes md5');
    for (const h of objectsRequired) typed(() => verifyQuote(q, h.value as never), `verifyQuote options ${h.title}`);
    for (const h of objectsRequired) typed(() => verifyQuote(h.value as never, { publicKey: ak.publicKey, nonce }), `verifyQuote quote ${h.title}`);
    // Content: every truncation / bit flip of attest and signature, and non-key objects as keys: never verified.
    for (const h of [...truncations(q.attest), ...bitFlips(q.attest, 64)]) {
      expect(verifyTpmQuote({ ...base, attest: h.value as Uint8Array }).verified, h.title).toBe(false);
    }
    for (const h of [...truncations(q.signature), ...bitFlips(q.signature, 64)]) {
      expect(verifyTpmQuote({ ...base, signature: h.value as Uint8Array }).verified, h.title).toBe(false);
    }
    // Any change to the TPMT_PUBLIC changes the key's name, which verifyQuote binds to qualifiedSigner.
    for (const h of [...truncations(ak.publicKey.tpmtPublic!), ...bitFlips(ak.publicKey.tpmtPublic!, 200)]) {
      expect(verifyQuote(q, { publicKey: h.value as Uint8Array, nonce }).verified, h.title).toBe(false);
    }
    // verifyTpmQuote (real TPMs sign with the *qualified* name) still rejects a key that is not restricted|sign.
    const t = Uint8Array.from(ak.publicKey.tpmtPublic!);
    t[5]! &= ~0x01; // clear TPMA_OBJECT.restricted (bit 16)
    expect(verifyTpmQuote({ ...base, akPublicKey: t }).failures.map((f) => f.code)).toEqual(['QUOTE_KEY_INVALID']);
    const r = Uint8Array.from(ak.publicKey.tpmtPublic!);
    r[4]! |= 0x80; // a reserved TPMA_OBJECT bit
    expect(verifyTpmQuote({ ...base, akPublicKey: r }).failures.map((f) => f.code)).toEqual(['QUOTE_KEY_INVALID']);
    for (const k of [{}, { type: 'p256', key: new Uint8Array(65) }, 'x', '']) {
      expect(verifyTpmQuote({ ...base, akPublicKey: k as never }).verified).toBe(false);
    }
  });

  it('nonce registry and upload protocol', () => {
    for (const h of objectsOptional) typed(() => createNonceRegistry(h.value as never), `createNonceRegistry(${h.title})`);
    const reg = createNonceRegistry();
    for (const h of hostileBytes()) {
      typed(() => reg.consume(h.value as never), `consume(${h.title})`);
      typed(() => encodeUploadChallenge(h.value as never), `encodeUploadChallenge(${h.title})`);
      typed(() => parseUploadChallenge(h.value as never), `parseUploadChallenge(${h.title})`);
    }
    const [k, d, a] = suites['X25519-SHA256-AES-256-GCM'];
    const kp = hpke.suite(k, d, a).kem.generateKeyPair();
    const opts = { registry: reg, secretKey: kp.secretKey, signingKey: ak, sensors: () => undefined };
    for (const h of objectsRequired) typed(() => createUploadReceiver(h.value as never), `createUploadReceiver(${h.title})`);
    for (const field of ['registry', 'secretKey', 'signingKey', 'sensors'] as const) {
      for (const h of hostileBytes()) {
        if (field === 'sensors' && typeof h.value === 'function') continue;
        typed(() => createUploadReceiver({ ...opts, [field]: h.value } as never), `createUploadReceiver ${field} ${h.title}`);
      }
    }
    const rx = createUploadReceiver(opts);
    const challenge = rx.challenge();
    const ui = { challenge, reading: utf8ToBytes('r'), receiverPublicKey: kp.publicKey, bank, selection: [16], key: ak };
    for (const field of ['challenge', 'reading', 'receiverPublicKey', 'bank', 'selection', 'key'] as const) {
      for (const h of hostileBytes()) {
        if (field === 'selection' && h.title === '[1,2,3]') continue; // a valid selection
        typed(() => createAttestedUpload({ ...ui, [field]: h.value } as never), `createAttestedUpload ${field} ${h.title}`);
      }
    }
    typed(() => createAttestedUpload({ ...ui, receiverPublicKey: new Uint8Array(32).fill(0) }), 'all-zero X25519 key');
    const up = createAttestedUpload(ui);
    for (const h of hostileBytes()) {
      typed(() => rx.receive(h.value as never), `receive(${h.title})`);
      typed(() => verifyUploadResponse(h.value as never, { receiverKey: ak.publicKey, upload: up }), `verifyUploadResponse(${h.title})`);
      typed(() => verifyUploadResponse(new Uint8Array(10), { receiverKey: ak.publicKey, upload: h.value as never }), `upload ${h.title}`);
    }
    const resp = rx.receive(up).response;
    for (const h of [...truncations(resp), ...bitFlips(resp, 64)]) {
      typed(() => verifyUploadResponse(h.value as Uint8Array, { receiverKey: ak.publicKey, upload: up }), `response ${h.title}`);
    }
  });
});

// The shared reflective sweep of @privkit/core/testing over every export of every production entry point: every
// function (and every function inside an exported bundle) gets every value of the shared table in every position.
// Test entries (`@privkit/attest/testing`) are test infrastructure and are not swept.
import * as nodeEntry from '@privkit/attest';
import * as portableEntry from '../src/index.js';
import { assertHostileSweep } from '@privkit/core/testing';

it.each([
  ['node entry', nodeEntry],
  ['portable entry', portableEntry],
] as const)('reflective hostile sweep over every export (%s)', async (_n, mod) => {
  await assertHostileSweep(mod, { minCalled: 10 });
}, 600_000);

it("lone surrogates: event types 'boot-\\uD800' and 'boot-\\uDFFF' are refused instead of logging the same bytes", () => {
  const bank = createPcrBank('sha256');
  for (const eventType of ['boot-\uD800', 'boot-\uDFFF']) {
    let err: unknown;
    try {
      bank.extend(0, new Uint8Array(32), { eventType });
    } catch (e) {
      err = e;
    }
    expect(isPrivkitError(err)).toBe(true);
  }
  bank.extend(0, new Uint8Array(32), { eventType: 'boot-\uFFFD' });
});

// The sweep reaches the objects the factories return (issue #16): nonce registries, PCR banks (SHA-256 and the
// read-only SHA-1 bank), attestation keys and upload receivers, on both entries. Each check runs an honest
// operation; for the PCR bank it also compares the whole bank and its event log with a twin bank that received
// only the honest operations, so a rejected hostile extend/reset/measure that changed any register is reported.
describe('reflective hostile sweep over the objects the factories return', () => {
  it.each([
    ['node entry', nodeEntry],
    ['portable entry', portableEntry],
  ] as const)('%s', async (_n, m) => {
    const twins = new WeakMap<object, ReturnType<typeof m.createPcrBank>>();
    const sha1Values = Array.from({ length: 24 }, (_, i) => new Uint8Array(20).fill(i));
    const bankSeed = (alg: 'sha256' | 'sha1') => ({
      create: () => {
        const make = () => (alg === 'sha1' ? m.createPcrBank('sha1', { values: sha1Values }) : m.createPcrBank(alg));
        const bank = make();
        twins.set(bank, make());
        return bank;
      },
      check: (bank: ReturnType<typeof m.createPcrBank>) => {
        const twin = twins.get(bank)!;
        if (alg === 'sha256') for (const b of [bank, twin]) b.measure(16, utf8ToBytes('honest'));
        const same = (x: Uint8Array[], y: Uint8Array[]) => x.length === y.length && x.every((v, i) => Buffer.from(v).equals(Buffer.from(y[i]!)));
        if (!same(bank.readAll(), twin.readAll())) throw new Error('the PCR values differ from the honest twin bank');
        if (bank.eventLog().length !== twin.eventLog().length) throw new Error('the event log differs from the honest twin bank');
      },
    });
    const receiverSeed = () => {
      const registry = m.createNonceRegistry();
      const [k, d, a] = suites['X25519-SHA256-AES-256-GCM'];
      const kp = hpke.suite(k, d, a).kem.generateKeyPair();
      const sensorKey = m.createAttestationKey('ecdsa-p256');
      const bank = m.createPcrBank('sha256');
      bank.measure(0, utf8ToBytes('firmware 1.0'));
      const expected = bank.pcrValues([0]);
      const receiver = m.createUploadReceiver({
        registry,
        secretKey: kp.secretKey,
        signingKey: m.createAttestationKey('ecdsa-p256'),
        sensors: (name) => (Buffer.from(name).equals(Buffer.from(sensorKey.name)) ? { publicKey: sensorKey.publicKey, expectedPcrs: expected } : undefined),
      });
      return {
        create: () => receiver,
        check: (rx: typeof receiver) => {
          const u = m.createAttestedUpload({ challenge: rx.challenge(), reading: Uint8Array.of(1, 2, 3), receiverPublicKey: kp.publicKey, bank, selection: [0], key: sensorKey });
          const r = rx.receive(u);
          if (r.status !== 'ACCEPTED') throw new Error(`an honest upload is now ${r.status}`);
        },
      };
    };
    const r = await assertHostileSweep(
      {},
      {
        minCalled: 0,
        seeds: {
          nonceRegistry: {
            // issue() takes no argument and issues a nonce whatever it is given: the default bound (not reached by the
            // sweep's few hundred calls) keeps the check's own issue() from hitting NONCE_LIMIT
            create: () => m.createNonceRegistry(),
            check: (reg: ReturnType<typeof m.createNonceRegistry>) => {
              const before = reg.outstanding;
              const n = reg.issue();
              reg.consume(n);
              if (reg.outstanding !== before) throw new Error('outstanding count drifted');
            },
          },
          pcrBankSha256: bankSeed('sha256'),
          pcrBankSha1: bankSeed('sha1'),
          akP256: { create: () => m.createAttestationKey('ecdsa-p256'), check: (k: ReturnType<typeof m.createAttestationKey>) => k.sign(Uint8Array.of(1)) },
          akEd25519: { create: () => m.createAttestationKey('ed25519'), check: (k: ReturnType<typeof m.createAttestationKey>) => k.sign(Uint8Array.of(1)) },
          akSm2: { create: () => m.createAttestationKey('sm2'), check: (k: ReturnType<typeof m.createAttestationKey>) => k.sign(Uint8Array.of(1)) },
          uploadReceiver: receiverSeed(),
        },
      },
    );
    expect(r.called).toEqual(expect.arrayContaining(['nonceRegistry.consume', 'pcrBankSha256.extend', 'pcrBankSha256.reset', 'akP256.sign', 'uploadReceiver.receive', 'uploadReceiver.acknowledge']));
  }, 600_000);
});
