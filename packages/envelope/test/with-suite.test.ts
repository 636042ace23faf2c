/**
 * Named suite constants and `withSuite` (issue #18 item 3: a bundle keeps only the suite an app imports). They must
 * be the same suites as the names, produce the same format, interoperate with `seal`/`open` both ways, and refuse
 * everything else with typed errors.
 */
import { DecryptError, InputError, PrivkitError, utf8ToBytes } from '@privkit/core';
import { hostileValues } from '@privkit/core/testing';
import { describe, expect, it } from 'vitest';
import * as envelope from '../src/index.js';
import { hpke, open, resolveSuite, seal, suites, withSuite, type SuiteName } from '../src/index.js';

const constantName = (name: string) => name.replace(/-/g, '_');
const FAST: SuiteName[] = ['X25519-SHA256-AES-256-GCM', 'X25519-SHA256-CHACHA20POLY1305', 'P256-SHA256-AES-128-GCM', 'X448-SHA512-AES-256-GCM', 'SECP256K1-SHA256-AES-256-GCM', 'SM2-SM3-SM4'];

describe('named suite constants', () => {
  it('one constant per name, the very object resolveSuite(name) and hpke.suite(ids) return', () => {
    for (const [name, ids] of Object.entries(suites)) {
      const c = (envelope as unknown as Record<string, hpke.Suite>)[constantName(name)];
      expect(c, name).toBeDefined();
      expect(c).toBe(resolveSuite(name));
      expect(c).toBe(hpke.suite(ids[0], ids[1], ids[2]));
      expect([c!.kem.id, c!.kdf.id, c!.aead.id]).toEqual([...ids]);
      expect(Object.isFrozen(c)).toBe(true);
    }
  });
});

describe('withSuite', () => {
  for (const name of FAST) {
    it(`${name}: seals what open() opens and opens what seal() sealed, base and auth mode`, () => {
      const s = resolveSuite(name);
      const env = withSuite(s);
      expect(env.suite).toBe(s);
      const r = s.kem.generateKeyPair();
      const snd = s.kem.generateKeyPair();
      const pt = utf8ToBytes(`reading for ${name}`);
      const aad = utf8ToBytes('device-7');
      expect(open(env.seal(pt, [r.publicKey], { aad }), r.secretKey, { aad })).toEqual(pt);
      expect(env.open(seal(pt, [r.publicKey], { suite: name, aad }), r.secretKey, { aad })).toEqual(pt);
      const auth = env.seal(pt, [r.publicKey], { senderSecretKey: snd.secretKey });
      expect(open(auth, r.secretKey, { senderPublicKey: snd.publicKey })).toEqual(pt);
      expect(env.open(auth, r.secretKey, { senderPublicKey: snd.publicKey })).toEqual(pt);
      expect(() => env.open(auth, r.secretKey, { senderPublicKey: s.kem.generateKeyPair().publicKey })).toThrow(envelope.OpenError);
    });
  }

  it('streams: withSuite sealers and openers interoperate with createSealer/createOpener and the Web Streams both ways', async () => {
    const env = withSuite(envelope.SM2_SM3_SM4);
    const kp = env.suite.kem.generateKeyPair();
    const data = new Uint8Array(3 * 1024 + 5).map((_, i) => i * 31);
    const aad = utf8ToBytes('stream-aad');
    const viaPinned = env.createSealer([kp.publicKey], { chunkSize: 1024, aad });
    const sealed = concatAll([viaPinned.push(data.subarray(0, 1000)), viaPinned.push(data.subarray(1000)), viaPinned.final()]);
    const o = envelope.createOpener(kp.secretKey, { aad });
    expect(concatAll([o.push(sealed), o.final()])).toEqual(data);
    const s2 = envelope.createSealer([kp.publicKey], { suite: 'SM2-SM3-SM4', chunkSize: 1024, aad });
    const sealed2 = concatAll([s2.push(data), s2.final()]);
    const o2 = env.createOpener(kp.secretKey, { aad });
    expect(concatAll([o2.push(sealed2), o2.final()])).toEqual(data);
    const web = await collect(new Blob([data]).stream().pipeThrough(env.sealStream([kp.publicKey], { chunkSize: 1024 })).pipeThrough(env.openStream(kp.secretKey)));
    expect(web).toEqual(data);
    // a stream of another suite is refused by the pinned opener
    const x = envelope.X25519_SHA256_AES_256_GCM.kem.generateKeyPair();
    const other = envelope.createSealer([x.publicKey]);
    const otherBytes = concatAll([other.push(data), other.final()]);
    expect(() => withSuite(envelope.X25519_SHA256_AES_128_GCM).createOpener(x.secretKey).push(otherBytes)).toThrow(envelope.OpenError);
    expect(() => env.createSealer([kp.publicKey], { suite: 'X25519-SHA256-AES-256-GCM' } as never)).toThrow(InputError);
  });

  it('an envelope of another suite fails with OpenError (a DecryptError), never opened with the wrong suite', () => {
    const a = withSuite(envelope.X25519_SHA256_AES_256_GCM);
    const kp = envelope.X25519_SHA256_AES_128_GCM.kem.generateKeyPair(); // same KEM, other AEAD
    const other = seal(utf8ToBytes('x'), [kp.publicKey], { suite: 'X25519-SHA256-AES-128-GCM' });
    expect(() => a.open(other, kp.secretKey)).toThrow(DecryptError);
    expect(() => a.open(other, kp.secretKey)).toThrow(envelope.OpenError);
  });

  it('refuses look-alike suite objects, the export-only AEAD and an options.suite it would ignore', () => {
    const s = envelope.X25519_SHA256_AES_256_GCM;
    expect(() => withSuite({ ...s })).toThrow(InputError);
    expect(() => withSuite({ kem: s.kem, kdf: s.kdf, aead: s.aead, id: s.id } as hpke.Suite)).toThrow(InputError);
    expect(() => withSuite(hpke.suite(0x20, 1, 0xffff))).toThrow(InputError);
    const env = withSuite(s);
    const kp = s.kem.generateKeyPair();
    expect(() => env.seal(new Uint8Array(1), [kp.publicKey], { suite: 'SM2-SM3-SM4' } as never)).toThrow(InputError);
    expect(() => env.open(env.seal(new Uint8Array(1), [kp.publicKey]), kp.secretKey, { suites: ['SM2-SM3-SM4'] } as never)).toThrow(InputError);
  });

  it('every hostile argument to withSuite and to its methods is a typed PrivkitError, and the object still works after', () => {
    const env = withSuite(envelope.X25519_SHA256_AES_256_GCM);
    const kp = env.suite.kem.generateKeyPair();
    const good = env.seal(utf8ToBytes('ok'), [kp.publicKey]);
    const untyped: string[] = [];
    const attempt = (label: string, f: () => unknown) => {
      try {
        f();
      } catch (e) {
        if (!(e instanceof PrivkitError)) untyped.push(`${label}: ${String(e)}`);
      }
    };
    for (const h of hostileValues('any')) {
      attempt(`withSuite(${h.title})`, () => withSuite(h.value as never));
      attempt(`seal pt ${h.title}`, () => env.seal(h.value as never, [kp.publicKey]));
      attempt(`seal recipients ${h.title}`, () => env.seal(new Uint8Array(1), h.value as never));
      attempt(`seal recipient ${h.title}`, () => env.seal(new Uint8Array(1), [h.value as never]));
      attempt(`seal options ${h.title}`, () => env.seal(new Uint8Array(1), [kp.publicKey], h.value as never));
      attempt(`open env ${h.title}`, () => env.open(h.value as never, kp.secretKey));
      attempt(`open sk ${h.title}`, () => env.open(good, h.value as never));
      attempt(`open options ${h.title}`, () => env.open(good, kp.secretKey, h.value as never));
    }
    expect(untyped).toEqual([]);
    expect(env.open(good, kp.secretKey)).toEqual(utf8ToBytes('ok'));
  });
});

function concatAll(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of stream as unknown as AsyncIterable<Uint8Array>) parts.push(new Uint8Array(c));
  return concatAll(parts);
}
