import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPrivkitError, utf8ToBytes } from '@privkit/core';
import { hpke, MessageLimitError, OpenError } from '@privkit/envelope';
import { arbHpkeSuite } from '@privkit/envelope/testing';
import { makeContext as _makeContext, maxMessages } from '../src/_context.js';

const s = hpke.suite(0x20, 1, 1);
const R = s.kem.generateKeyPair();
const S = s.kem.generateKeyPair();
const info = utf8ToBytes('info');
const aad = utf8ToBytes('aad');
const psk = new Uint8Array(32).fill(1);
const pskId = utf8ToBytes('id');

describe('HPKE (RFC 9180) API', () => {
  it('property: all four modes round-trip for every registered KEM/KDF/AEAD, with tamper rejection', () => {
    fc.assert(
      fc.property(arbHpkeSuite({ kems: [0x10, 0x16, 0x20, 0xff01, 0xff11] }), fc.uint8Array({ maxLength: 64 }), fc.nat(), (su, pt, pos) => {
        const r = su.kem.generateKeyPair();
        const sn = su.kem.generateKeyPair();
        const a = hpke.sealBase(su, r.publicKey, info, aad, pt);
        expect(hpke.openBase(su, a.enc, r.secretKey, info, aad, a.ct)).toEqual(pt);
        const b = hpke.sealPSK(su, r.publicKey, info, aad, pt, psk, pskId);
        expect(hpke.openPSK(su, b.enc, r.secretKey, info, aad, b.ct, psk, pskId)).toEqual(pt);
        const c = hpke.sealAuth(su, r.publicKey, info, aad, pt, sn.secretKey);
        expect(hpke.openAuth(su, c.enc, r.secretKey, info, aad, c.ct, sn.publicKey)).toEqual(pt);
        const d = hpke.sealAuthPSK(su, r.publicKey, info, aad, pt, psk, pskId, sn.secretKey);
        expect(hpke.openAuthPSK(su, d.enc, r.secretKey, info, aad, d.ct, psk, pskId, sn.publicKey)).toEqual(pt);
        const bad = a.ct.slice();
        bad[pos % bad.length]! ^= 1;
        expect(() => hpke.openBase(su, a.enc, r.secretKey, info, aad, bad)).toThrow(OpenError);
        expect(() => hpke.openAuth(su, c.enc, r.secretKey, info, aad, c.ct, r.publicKey)).toThrow(OpenError);
        expect(() => hpke.openPSK(su, b.enc, r.secretKey, info, aad, b.ct, new Uint8Array(32).fill(2), pskId)).toThrow(OpenError);
        const x = hpke.sendExport(su, r.publicKey, info, aad, 17);
        expect(hpke.receiveExport(su, x.enc, r.secretKey, info, aad, 17)).toEqual(x.exported);
      }),
      { numRuns: 30 },
    );
  });

  it('context: sequence numbers advance; a failed open does not advance; roles are enforced', () => {
    const { enc, ctx } = hpke.setupBaseS(s, R.publicKey, info);
    const r = hpke.setupBaseR(s, enc, R.secretKey, info);
    const c0 = ctx.seal(aad, utf8ToBytes('0'));
    const c1 = ctx.seal(aad, utf8ToBytes('1'));
    expect(ctx.seq).toBe(2);
    expect(() => r.open(aad, c1)).toThrow(OpenError); // out of order
    expect(r.seq).toBe(0);
    expect(r.open(aad, c0)).toEqual(utf8ToBytes('0'));
    expect(r.open(aad, c1)).toEqual(utf8ToBytes('1'));
    expect(() => r.seal(aad, c0)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(() => ctx.open(aad, c0)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(() => ctx.export(aad, 0)).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    expect(() => ctx.export(aad, 255 * 32 + 1)).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    expect(ctx.export(aad, 255 * 32).length).toBe(255 * 32);
  });

  it('sequence-number overflow raises MessageLimitError (RFC 9180 §5.2)', () => {
    expect(maxMessages(12)).toBe(Number.MAX_SAFE_INTEGER);
    expect(maxMessages(2)).toBe(65535);
    const key = new Uint8Array(16);
    const nonce = new Uint8Array(12);
    const sender = _makeContext(s, 'S', key, nonce, new Uint8Array(32), Number.MAX_SAFE_INTEGER - 1);
    const recv = _makeContext(s, 'R', key, nonce, new Uint8Array(32), Number.MAX_SAFE_INTEGER - 1);
    const ct = sender.seal(aad, utf8ToBytes('last'));
    expect(recv.open(aad, ct)).toEqual(utf8ToBytes('last'));
    expect(() => sender.seal(aad, utf8ToBytes('x'))).toThrow(MessageLimitError);
    expect(() => recv.open(aad, ct)).toThrow(expect.objectContaining({ code: 'HPKE_MESSAGE_LIMIT' }));
  });

  it('PSK input rules (§5.1 VerifyPSKInputs) and 32-byte minimum', () => {
    const e = new Uint8Array(0);
    expect(() => hpke.setupPSKS(s, R.publicKey, info, psk, e)).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    expect(() => hpke.setupPSKS(s, R.publicKey, info, e, pskId)).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    expect(() => hpke.setupPSKS(s, R.publicKey, info, e, e)).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    expect(() => hpke.setupPSKS(s, R.publicKey, info, new Uint8Array(31), pskId)).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
    expect(() => hpke.setupAuthPSKR(s, R.publicKey, R.secretKey, info, e, e, S.publicKey)).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
  });

  it('export-only AEAD: seal/open unsupported, export works', () => {
    const x = hpke.suite(0x20, 1, 0xffff);
    const { enc, ctx } = hpke.setupAuthS(x, R.publicKey, info, S.secretKey);
    expect(() => ctx.seal(aad, aad)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(hpke.setupAuthR(x, enc, R.secretKey, info, S.publicKey).export(aad, 32)).toEqual(ctx.export(aad, 32));
    expect(() => hpke.sealBase(x, R.publicKey, info, aad, aad)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });

  it('unknown ids, invalid keys and hostile arguments give typed errors', () => {
    expect(() => hpke.suite(0x30, 1, 1)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(() => hpke.suite(0x20, 9, 1)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(() => hpke.suite(0x20, 1, 7)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(hpke.suite(0x20, 1, 1)).toBe(s);
    expect(() => hpke.sealBase(s, new Uint8Array(32), info, aad, aad)).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    expect(() => hpke.openBase(s, new Uint8Array(32), R.secretKey, info, aad, new Uint8Array(16))).toThrow(OpenError);
    expect(() => hpke.openBase(s, new Uint8Array(31), R.secretKey, info, aad, new Uint8Array(16))).toThrow(OpenError);
    const p = hpke.suite(0x10, 1, 1);
    const pr = p.kem.generateKeyPair();
    const off = pr.publicKey.slice();
    off[64]! ^= 1; // off-curve
    expect(() => hpke.sealBase(p, off, info, aad, aad)).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    expect(() => hpke.openBase(p, off, pr.secretKey, info, aad, new Uint8Array(16))).toThrow(OpenError);
    expect(() => p.kem.getPublicKey(new Uint8Array(32))).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    const bad: unknown[] = [undefined, null, 1, 'x', [1], new Uint16Array(2), { constructor: { name: 'Uint8Array' } }];
    for (const v of bad) {
      const calls = [
        () => hpke.sealBase(v as never, R.publicKey, info, aad, aad),
        () => hpke.sealBase(s, v as Uint8Array, info, aad, aad),
        () => hpke.sealBase(s, R.publicKey, v as Uint8Array, aad, aad),
        () => hpke.sealBase(s, R.publicKey, info, v as Uint8Array, aad),
        () => hpke.sealBase(s, R.publicKey, info, aad, v as Uint8Array),
        () => hpke.openBase(s, v as Uint8Array, R.secretKey, info, aad, aad),
        () => hpke.openBase(s, R.publicKey, v as Uint8Array, info, aad, aad),
        () => hpke.openAuth(s, R.publicKey, R.secretKey, info, aad, aad, v as Uint8Array),
        () => hpke.sealPSK(s, R.publicKey, info, aad, aad, v as Uint8Array, pskId),
        () => s.kem.deriveKeyPair(v as Uint8Array),
      ];
      for (const fn of calls) {
        let err: unknown;
        try {
          fn();
        } catch (e) {
          err = e;
        }
        expect(isPrivkitError(err), `${String(v)}: ${fn.toString()}`).toBe(true);
      }
    }
  });
});
