/**
 * The shared hostile-input table of @privkit/core/testing fed to every public function of @privkit/envelope, one
 * bytes parameter at a time: every case must give a typed PrivkitError, never a crash or a result.
 */
import { describe, expect, it } from 'vitest';
import { isPrivkitError, utf8ToBytes } from '@privkit/core';
import { hostileBytes, hostileValues } from '@privkit/core/testing';
import { createOpener, createSealer, hpke, inspect, keyId, open, resolveSuite, seal, sm2Decrypt, sm2Encrypt, withSuite, X25519_SHA256_AES_256_GCM } from '@privkit/envelope';

const s = hpke.suite(0x20, 1, 1);
const R = s.kem.generateKeyPair();
const S = s.kem.generateKeyPair();
const b = utf8ToBytes('x');
const psk = new Uint8Array(32).fill(1);
const env = seal(b, [R.publicKey]);
const sm2kem = hpke.suite(0xff01, 0xff01, 0xff01).kem;
const SM = sm2kem.generateKeyPair();
const smct = sm2Encrypt(b, SM.publicKey);
const { enc, ct } = hpke.sealBase(s, R.publicKey, b, b, b);

/** name → call with the hostile value `v` in one required bytes position */
const targets: Record<string, (v: never) => unknown> = {
  'seal plaintext': (v) => seal(v, [R.publicKey]),
  'seal recipients[0]': (v) => seal(b, [v]),
  'seal recipients': (v) => seal(b, v),
  'open envelope': (v) => open(v, R.secretKey),
  'open secretKey': (v) => open(env, v),
  'createSealer recipients[0]': (v) => createSealer([v]),
  'createOpener secretKey': (v) => createOpener(v),
  'sealer.push': (v) => createSealer([R.publicKey]).push(v),
  'opener.push': (v) => createOpener(R.secretKey).push(v),
  'sm2Encrypt plaintext': (v) => sm2Encrypt(v, SM.publicKey),
  'sm2Encrypt publicKey': (v) => sm2Encrypt(b, v),
  'sm2Decrypt ciphertext': (v) => sm2Decrypt(v, SM.secretKey),
  'sm2Decrypt secretKey': (v) => sm2Decrypt(smct, v),
  'hpke.sealBase suite': (v) => hpke.sealBase(v, R.publicKey, b, b, b),
  'hpke.sealBase pkR': (v) => hpke.sealBase(s, v, b, b, b),
  'hpke.sealBase info': (v) => hpke.sealBase(s, R.publicKey, v, b, b),
  'hpke.sealBase aad': (v) => hpke.sealBase(s, R.publicKey, b, v, b),
  'hpke.sealBase pt': (v) => hpke.sealBase(s, R.publicKey, b, b, v),
  'hpke.openBase enc': (v) => hpke.openBase(s, v, R.secretKey, b, b, ct),
  'hpke.openBase skR': (v) => hpke.openBase(s, enc, v, b, b, ct),
  'hpke.openBase ct': (v) => hpke.openBase(s, enc, R.secretKey, b, b, v),
  'hpke.sealPSK psk': (v) => hpke.sealPSK(s, R.publicKey, b, b, b, v, b),
  'hpke.sealPSK pskId': (v) => hpke.sealPSK(s, R.publicKey, b, b, b, psk, v),
  'hpke.sealAuth skS': (v) => hpke.sealAuth(s, R.publicKey, b, b, b, v),
  'hpke.openAuth pkS': (v) => hpke.openAuth(s, enc, R.secretKey, b, b, ct, v),
  'hpke.sealAuthPSK skS': (v) => hpke.sealAuthPSK(s, R.publicKey, b, b, b, psk, b, v),
  'hpke.openAuthPSK pkS': (v) => hpke.openAuthPSK(s, enc, R.secretKey, b, b, ct, psk, b, v),
  'hpke.sendExport exporterContext': (v) => hpke.sendExport(s, R.publicKey, b, v, 32),
  'hpke.receiveExport enc': (v) => hpke.receiveExport(s, v, R.secretKey, b, b, 32),
  'context.seal aad': (v) => hpke.setupBaseS(s, R.publicKey, b).ctx.seal(v, b),
  'context.open ct': (v) => hpke.setupBaseR(s, enc, R.secretKey, b).open(b, v),
  'context.export L': (v) => hpke.setupBaseS(s, R.publicKey, b).ctx.export(b, v),
  'kem.deriveKeyPair': (v) => s.kem.deriveKeyPair(v),
  'kem.getPublicKey': (v) => s.kem.getPublicKey(v),
  'kem.encap': (v) => s.kem.encap(v),
  'kem.decap enc': (v) => s.kem.decap(v, R.secretKey),
  'kem.authEncap skS': (v) => s.kem.authEncap(R.publicKey, v),
  'kem.authDecap pkS': (v) => s.kem.authDecap(enc, R.secretKey, v),
  'resolveSuite': (v) => resolveSuite(v),
  'inspect': (v) => inspect(v),
  'keyId publicKey': (v) => keyId('X25519-SHA256-AES-256-GCM', v),
  'keyId suite': (v) => keyId(v, R.publicKey),
};

describe('hostile inputs (shared table from @privkit/core/testing)', () => {
  for (const [name, fn] of Object.entries(targets)) {
    it(name, () => {
      const cases = name === 'context.export L' ? hostileValues('number') : hostileBytes();
      for (const h of cases) {
        let err: unknown;
        let result: unknown;
        try {
          result = fn(h.value as never);
        } catch (e) {
          err = e;
        }
        expect(result, `${name} ← ${h.title} returned a result`).toBeUndefined();
        expect(isPrivkitError(err), `${name} ← ${h.title}: ${String(err)}`).toBe(true);
      }
    });
  }
  it('option bags', () => {
    for (const h of hostileValues('object')) {
      if (h.value === undefined) continue;
      for (const fn of [() => seal(b, [R.publicKey], h.value as never), () => open(env, R.secretKey, h.value as never), () => sm2Encrypt(b, SM.publicKey, h.value as never), () => createSealer([R.publicKey], h.value as never)]) {
        let err: unknown;
        try {
          fn();
        } catch (e) {
          err = e;
        }
        expect(err === undefined || isPrivkitError(err), `${h.title}: ${String(err)}`).toBe(true);
      }
    }
    void S;
  });
});

// The shared reflective sweep of @privkit/core/testing over every export of every production entry point: every
// function (and every function inside an exported bundle) gets every value of the shared table in every position.
// Test entries (`@privkit/envelope/testing`) are test infrastructure and are not swept.
import * as entry from '@privkit/envelope';
import { assertHostileSweep } from '@privkit/core/testing';

it('reflective hostile sweep over every export of @privkit/envelope', () => assertHostileSweep(entry, { minCalled: 10 }), 600_000);

// The sweep reaches the objects the factories return (issue #16): stream sealers and openers, HPKE sender and
// recipient contexts, KEM objects. Each stateful seed is built as a sender/recipient pair, and its check runs one
// honest message through the pair, so a rejected hostile call that moved a sequence number or a chunk counter (the
// other side would no longer open) or closed the object is reported.
import { concatBytes, equalBytes } from '@privkit/core';

const pt64 = new Uint8Array(64).map((_, i) => i);

/** A stream sealer and the opener for the same stream: hostile calls go to `side`; check pushes one honest chunk. */
function streamPair(side: 'sealer' | 'opener') {
  const pairs = new WeakMap<object, { sealer: ReturnType<typeof createSealer>; opener: ReturnType<typeof createOpener>; sent: Uint8Array[]; got: Uint8Array[] }>();
  return {
    create: () => {
      const sealer = createSealer([R.publicKey], { chunkSize: 64 });
      const opener = createOpener(R.secretKey);
      const target = side === 'sealer' ? sealer : opener;
      pairs.set(target, { sealer, opener, sent: [], got: [] });
      return target;
    },
    check: (target: object) => {
      const p = pairs.get(target)!;
      p.sent.push(pt64);
      p.got.push(p.opener.push(p.sealer.push(pt64)));
      const sent = concatBytes(...p.sent);
      const got = concatBytes(...p.got);
      // the opener holds back at most the last two chunks (it cannot know which one is final)
      if (!equalBytes(got, sent.subarray(0, got.length)) || sent.length - got.length > 128) throw new Error(`${side}: the stream no longer opens in order`);
    },
  };
}

/** An HPKE sender context and its recipient context; check seals one message on one side and opens it on the other. */
function contextPair(side: 'sender' | 'recipient') {
  const pairs = new WeakMap<object, { tx: hpke.Context; rx: hpke.Context }>();
  return {
    create: () => {
      const { enc: e, ctx: tx } = hpke.setupBaseS(s, R.publicKey, b);
      const rx = hpke.setupBaseR(s, e, R.secretKey, b);
      const target = side === 'sender' ? tx : rx;
      pairs.set(target, { tx, rx });
      return target;
    },
    check: (target: object) => {
      const { tx, rx } = pairs.get(target)!;
      if (!equalBytes(rx.open(b, tx.seal(b, pt64)), pt64)) throw new Error(`${side}: the contexts are out of step`);
      if (!equalBytes(tx.export(b, 32), rx.export(b, 32))) throw new Error(`${side}: the exporter secrets differ`);
    },
  };
}

it('reflective hostile sweep over the objects the factories of @privkit/envelope return', async () => {
  const kemCheck = (kem: hpke.Suite['kem']) => {
    const kp = kem.generateKeyPair();
    const { sharedSecret, enc: e } = kem.encap(kp.publicKey);
    if (!equalBytes(kem.decap(e, kp.secretKey), sharedSecret)) throw new Error('KEM round trip failed');
  };
  const r = await assertHostileSweep(
    {},
    {
      minCalled: 0,
      seeds: {
        // final() ends a stream whatever its outcome (README: no call is valid afterwards)
        sealer: { ...streamPair('sealer'), terminal: ['final'] },
        opener: { ...streamPair('opener'), terminal: ['final'] },
        senderContext: contextPair('sender'),
        recipientContext: contextPair('recipient'),
        kemX25519: { create: () => hpke.suite(0x20, 1, 1).kem, check: kemCheck },
        kemP256: { create: () => hpke.suite(0x10, 1, 1).kem, check: kemCheck },
        kemSm2: { create: () => hpke.suite(0xff01, 0xff01, 0xff01).kem, check: kemCheck },
        // Chebyshev key generation takes seconds: swept without the round-trip check, one argument position
        kemChebyshev2048: { create: () => hpke.suite(0xff11, 1, 1).kem, arities: [1, 2] },
        // withSuite's object (stateless): after any hostile call it still seals and opens an honest envelope
        suiteEnvelope: {
          create: () => withSuite(X25519_SHA256_AES_256_GCM),
          check: (env: ReturnType<typeof withSuite>) => {
            const kp = env.suite.kem.generateKeyPair();
            if (!equalBytes(env.open(env.seal(pt64, [kp.publicKey]), kp.secretKey), pt64)) throw new Error('withSuite: round trip failed');
          },
        },
      },
    },
  );
  expect(r.called).toEqual(expect.arrayContaining(['sealer.push', 'sealer.final', 'opener.push', 'opener.final', 'senderContext.seal', 'recipientContext.open', 'kemX25519.encap', 'suiteEnvelope.seal', 'suiteEnvelope.open', 'suiteEnvelope.createOpener']));
}, 600_000);
