import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as entry from '@privkit/envelope';
import * as testing from '@privkit/envelope/testing';

describe('API lock', () => {
  it('index exports', () => {
    expect(Object.keys(entry).sort()).toMatchSnapshot();
    expect(Object.keys(entry.hpke).sort()).toMatchSnapshot();
  });
  it('testing exports', () => {
    expect(Object.keys(testing).sort()).toMatchSnapshot();
  });
  it('params and bundles are frozen', () => {
    for (const o of [entry.suites, entry.KEM_ID, entry.KDF_ID, entry.AEAD_ID, entry.hpke.MODE, testing.KEM_IDS, testing.KDF_IDS, testing.AEAD_IDS, testing.SUITE_NAMES]) {
      expect(Object.isFrozen(o)).toBe(true);
    }
    for (const v of Object.values(entry.suites)) expect(Object.isFrozen(v)).toBe(true);
    for (const id of testing.KEM_IDS) {
      const kem = entry.getKem(id);
      expect(Object.isFrozen(kem)).toBe(true);
      const s = entry.hpke.suite(id, 1, 1);
      expect(Object.isFrozen(s)).toBe(true);
    }
    for (const id of testing.KDF_IDS) expect(Object.isFrozen(entry.getKdf(id))).toBe(true);
    for (const id of testing.AEAD_IDS) expect(Object.isFrozen(entry.getAeadById(id))).toBe(true);
  });
  it('info: declared KEM lengths match real outputs', () => {
    for (const id of testing.KEM_IDS) {
      const kem = entry.getKem(id);
      const kp = kem.generateKeyPair();
      expect(kp.secretKey.length, kem.name).toBe(kem.lengths.secretKey);
      expect(kp.publicKey.length, kem.name).toBe(kem.lengths.publicKey);
      const { enc, sharedSecret } = kem.encap(kp.publicKey);
      expect(enc.length).toBe(kem.lengths.enc);
      expect(sharedSecret.length).toBe(kem.lengths.sharedSecret);
      expect(kem.decap(enc, kp.secretKey)).toEqual(sharedSecret);
    }
  });
  it('errors have literal names and stable codes', () => {
    const e = new entry.OpenError();
    expect(e.name).toBe('OpenError');
    expect(e.code).toBe('ENVELOPE_AUTH_FAILED');
    expect(e.message).toBe('open failed');
    const m = new entry.MessageLimitError();
    expect(m.name).toBe('MessageLimitError');
    expect(m.code).toBe('HPKE_MESSAGE_LIMIT');
  });
});

describe('testing arbitraries', () => {
  it('arbKeyPair gives consistent key pairs for every KEM', () => {
    for (const id of testing.KEM_IDS.filter((k) => k !== 0xff10)) {
      fc.assert(
        fc.property(testing.arbKeyPair(id), (kp) => {
          expect(entry.getKem(id).getPublicKey(kp.secretKey)).toEqual(kp.publicKey);
        }),
        { numRuns: 3 },
      );
    }
  });
});
