import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPrivkitError, utf8ToBytes } from '@privkit/core';
import { hpke, open, OpenError, seal, suites, type SuiteName } from '@privkit/envelope';
import { arbEnvelope, arbMutatedEnvelope } from '@privkit/envelope/testing';
import { expectOpenError } from './_forge.js';

const FAST: SuiteName[] = ['X25519-SHA256-AES-128-GCM', 'X25519-SHA256-AES-256-GCM', 'X25519-SHA256-CHACHA20POLY1305', 'P256-SHA256-AES-128-GCM', 'SECP256K1-SHA256-AES-256-GCM'];
const ALL = Object.keys(suites) as SuiteName[];
const kemOf = (name: SuiteName) => {
  const [k, d, a] = suites[name];
  return hpke.suite(k, d, a).kem;
};
describe('envelope seal/open', () => {
  it('round-trips for every named suite, base and auth mode, with aad', () => {
    for (const name of ALL) {
      const kem = kemOf(name);
      const r = kem.generateKeyPair();
      const s = kem.generateKeyPair();
      const pt = utf8ToBytes(`hello ${name}`);
      const aad = utf8ToBytes('ledger-record-7');
      expect(open(seal(pt, [r.publicKey], { suite: name }), r.secretKey)).toEqual(pt);
      const env = seal(pt, [r.publicKey], { suite: name, aad, senderSecretKey: s.secretKey });
      expect(open(env, r.secretKey, { aad, senderPublicKey: s.publicKey })).toEqual(pt);
      expectOpenError(() => open(env, r.secretKey, { aad, senderPublicKey: kem.generateKeyPair().publicKey }));
      expectOpenError(() => open(env, r.secretKey, { aad: utf8ToBytes('other'), senderPublicKey: s.publicKey }));
    }
  });

  it('large payloads (single-allocation seal, chunked native AEAD): every recipient opens, base and auth mode; identical inputs give differently keyed envelopes', () => {
    // seal writes header, slots and payload into one output allocated without zero-fill in Node: a byte it failed
    // to write would be garbage under the AEADs, so every recipient opening in both modes covers every byte.
    for (const name of ['X25519-SHA256-AES-256-GCM', 'P256-SHA256-AES-128-GCM', 'X25519-SHA256-CHACHA20POLY1305'] as SuiteName[]) {
      const kem = kemOf(name);
      const rs = [kem.generateKeyPair(), kem.generateKeyPair(), kem.generateKeyPair()];
      const sender = kem.generateKeyPair();
      const pt = new Uint8Array(200_000).map((_, i) => (i * 7) & 0xff);
      const aad = utf8ToBytes('block-42');
      for (const o of [{ aad }, { aad, senderSecretKey: sender.secretKey }]) {
        const env = seal(pt, rs.map((r) => r.publicKey), { suite: name, ...o });
        const again = seal(pt, rs.map((r) => r.publicKey), { suite: name, ...o });
        expect(env.length).toBe(again.length);
        expect(env).not.toEqual(again);
        const openOpts = o.senderSecretKey ? { aad, senderPublicKey: sender.publicKey } : { aad };
        for (const r of rs) expect(open(env, r.secretKey, openOpts)).toEqual(pt);
      }
    }
  });

  it('property: every recipient opens; outsiders get OpenError', () => {
    fc.assert(
      fc.property(arbEnvelope({ suiteNames: FAST, maxRecipients: 4 }), (c) => {
        const o = c.sender ? { aad: c.aad, senderPublicKey: c.sender.publicKey } : { aad: c.aad };
        for (const r of c.recipients) expect(open(c.envelope, r.secretKey, o)).toEqual(c.plaintext);
        const outsider = kemOf(c.suite).generateKeyPair();
        expectOpenError(() => open(c.envelope, outsider.secretKey, o));
      }),
      { numRuns: 40 },
    );
  });

  it('property: every mutation (bit flip, truncation, extension, header rewrite) gives OpenError', () => {
    fc.assert(
      fc.property(arbMutatedEnvelope({ suiteNames: FAST, maxRecipients: 3, maxLength: 64 }), (c) => {
        const o = c.sender ? { aad: c.aad, senderPublicKey: c.sender.publicKey } : { aad: c.aad };
        for (const r of c.recipients) {
          let err: unknown;
          try {
            open(c.mutated, r.secretKey, o);
          } catch (e) {
            err = e;
          }
          // A flipped bit in another recipient's slot does not affect this recipient: that is correct behaviour.
          if (err === undefined) {
            expect(c.mutation).toMatch(/^flip bit/);
            continue;
          }
          // a version byte rewritten to the refused legacy version 1 is reported as such (FORMAT.md §3.6)
          if (c.mutated.length >= 15 && c.mutated[4] === 1) expect(err, c.mutation).toMatchObject({ name: 'UnsupportedError', code: 'ENVELOPE_LEGACY_VERSION' });
          else expect(err, c.mutation).toBeInstanceOf(OpenError);
        }
        // the recipient owning a mutated byte always notices: check the union over recipients
        const failures = c.recipients.filter((r) => {
          try {
            open(c.mutated, r.secretKey, o);
            return false;
          } catch {
            return true;
          }
        });
        expect(failures.length, c.mutation).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });

  it('1,000 recipients: the last one finds its slot; 1,001 is a LimitError', () => {
    const kem = kemOf('P256-SHA256-AES-128-GCM');
    const keys = Array.from({ length: 1000 }, (_, i) => kem.deriveKeyPair(new Uint8Array(32).fill(i % 256).map((x, j) => (j === 0 ? i >> 8 : x))));
    const pt = utf8ToBytes('shared record');
    const env = seal(pt, keys.map((k) => k.publicKey), { suite: 'P256-SHA256-AES-128-GCM' });
    expect(open(env, keys[999]!.secretKey)).toEqual(pt);
    expect(open(env, keys[0]!.secretKey)).toEqual(pt);
    expect(() => seal(pt, [...keys, keys[0]!].map((k) => k.publicKey))).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    expect(() => seal(pt, [])).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
  });

  it('header is bound: suites cannot be swapped, auth cannot be stripped, slots cannot be reordered', () => {
    const kem = kemOf('X25519-SHA256-AES-128-GCM');
    const a = kem.generateKeyPair();
    const b = kem.generateKeyPair();
    const s = kem.generateKeyPair();
    const pt = utf8ToBytes('x'.repeat(40));
    // AES-128-GCM → AES-256-GCM / ChaCha id swap
    const env = seal(pt, [a.publicKey], { suite: 'X25519-SHA256-AES-128-GCM' });
    for (const aead of [2, 3]) {
      const m = env.slice();
      m[11] = aead;
      expectOpenError(() => open(m, a.secretKey));
    }
    // allow-list rejects other suites
    expectOpenError(() => open(env, a.secretKey, { suites: ['X25519-SHA256-AES-256-GCM'] }));
    expect(open(env, a.secretKey, { suites: ['X25519-SHA256-AES-128-GCM'] })).toEqual(pt);
    // auth envelope opened as base (flag cleared) fails; base envelope opened expecting a sender fails
    const envA = seal(pt, [a.publicKey], { suite: 'X25519-SHA256-AES-128-GCM', senderSecretKey: s.secretKey });
    const stripped = envA.slice();
    stripped[12] = 0;
    expectOpenError(() => open(stripped, a.secretKey));
    expectOpenError(() => open(env, a.secretKey, { senderPublicKey: s.publicKey }));
    expect(() => open(envA, a.secretKey)).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    // swap the two slots (kid order is bound into every AEAD)
    const env2 = seal(pt, [a.publicKey, b.publicKey], { suite: 'X25519-SHA256-AES-128-GCM' });
    const slotLen = 8 + 32 + 16 + 16;
    const swapped = env2.slice();
    swapped.set(env2.subarray(15 + slotLen, 15 + 2 * slotLen), 15);
    swapped.set(env2.subarray(15, 15 + slotLen), 15 + slotLen);
    expectOpenError(() => open(swapped, a.secretKey));
    expectOpenError(() => open(swapped, b.secretKey));
  });

  it('auth mode resists a co-recipient re-encrypting the payload (payload commitment in every slot)', () => {
    const kem = kemOf('X25519-SHA256-AES-256-GCM');
    const a = kem.generateKeyPair();
    const b = kem.generateKeyPair();
    const s = kem.generateKeyPair();
    const env = seal(utf8ToBytes('pay alice 10'), [a.publicKey, b.publicKey], { senderSecretKey: s.secretKey });
    // b learns the DEK-protected payload layout; forging means changing payload bytes under a valid slot of a
    const headerLen = 15 + 8 + 2 * (8 + 32 + 32 + 16) + 32; // prefix, sender kid, slots, key commitment
    const forged = env.slice();
    forged[headerLen]! ^= 1;
    expectOpenError(() => open(forged, a.secretKey, { senderPublicKey: s.publicKey }));
  });

  it('cross-suite: an envelope for one KEM opened with a key of another gives OpenError', () => {
    const x = kemOf('X25519-SHA256-AES-256-GCM').generateKeyPair();
    const p = kemOf('P256-SHA256-AES-256-GCM').generateKeyPair();
    const env = seal(utf8ToBytes('m'), [x.publicKey]);
    expectOpenError(() => open(env, p.secretKey));
    const envP = seal(utf8ToBytes('m'), [p.publicKey], { suite: 'P256-SHA256-AES-256-GCM' });
    expectOpenError(() => open(envP, x.secretKey));
  });

  it('oversized and malformed headers give OpenError', () => {
    const x = kemOf('X25519-SHA256-AES-256-GCM').generateKeyPair();
    const env = seal(utf8ToBytes('m'), [x.publicKey]);
    const big = env.slice();
    big[13] = 0xff;
    big[14] = 0xff; // 65535 recipients > 1000
    expectOpenError(() => open(big, x.secretKey));
    const zero = env.slice();
    zero[13] = 0;
    zero[14] = 0;
    expectOpenError(() => open(zero, x.secretKey));
    expectOpenError(() => open(new Uint8Array(0), x.secretKey));
    expectOpenError(() => open(new Uint8Array(10_000), x.secretKey));
  });

  it('hostile arguments give typed errors', () => {
    const x = kemOf('X25519-SHA256-AES-256-GCM').generateKeyPair();
    const env = seal(utf8ToBytes('m'), [x.publicKey]);
    const bad: unknown[] = [undefined, null, 1, 'str', [1, 2], new Uint16Array(4), { constructor: { name: 'Uint8Array' } }, 1n, NaN];
    for (const v of bad) {
      for (const fn of [
        () => seal(v as Uint8Array, [x.publicKey]),
        () => seal(utf8ToBytes('m'), v as Uint8Array[]),
        () => seal(utf8ToBytes('m'), [v as Uint8Array]),
        () => seal(utf8ToBytes('m'), [x.publicKey], { aad: v as Uint8Array }),
        () => open(v as Uint8Array, x.secretKey),
        () => open(env, v as Uint8Array),
        () => open(env, x.secretKey, { senderPublicKey: v as Uint8Array }),
      ]) {
        if (v === undefined && fn.toString().includes('aad')) continue;
        if (v === undefined && fn.toString().includes('senderPublicKey')) continue;
        let err: unknown;
        try {
          fn();
        } catch (e) {
          err = e;
        }
        expect(isPrivkitError(err), `${String(v)} → ${fn.toString()}`).toBe(true);
      }
    }
    expect(() => seal(utf8ToBytes('m'), [x.publicKey.subarray(1)])).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
    expect(() => seal(utf8ToBytes('m'), [x.publicKey], { suite: 'nope' as SuiteName })).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    // small-order / invalid recipient keys are rejected when sealing
    expect(() => seal(utf8ToBytes('m'), [new Uint8Array(32)])).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    const p = kemOf('P256-SHA256-AES-256-GCM');
    expect(() => seal(utf8ToBytes('m'), [new Uint8Array(65).fill(4)], { suite: 'P256-SHA256-AES-256-GCM' })).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    void p;
  });
});
