/**
 * Node fast paths added for speed (issue 3, Performance): the X25519/X448 KeyObject caches and native key
 * generation, the Weierstrass ECDH cache, and the node:crypto-backed hash objects — each checked against the
 * portable path, including callers that mutate their key arrays after a key was cached.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { describe, expect, it } from 'vitest';
import * as nodeEntry from '@privkit/core';
import * as portable from '../src/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('DH key caches follow the contents of the caller’s arrays', () => {
  it.each(['x25519', 'x448', 'p256', 'p384', 'p521', 'secp256k1', 'sm2'] as const)('%s', (id) => {
    const gn = nodeEntry.getDhGroup(id);
    const gp = portable.getDhGroup(id);
    const sk = gn.randomSecretKey();
    expect(sk.length).toBe(gn.secretKeyLength);
    expect(gn.isValidSecretKey(sk)).toBe(true);
    expect(hex(gn.getPublicKey(sk))).toBe(hex(gp.getPublicKey(sk)));
    const peerSk = gp.randomSecretKey();
    const peerPk = gp.getPublicKey(peerSk);
    expect(hex(gn.getSharedSecret(sk, peerPk))).toBe(hex(gp.getSharedSecret(peerSk, gp.getPublicKey(sk))));
    // overwrite the cached secret key in place: the node path must use the new contents
    sk.set(gp.randomSecretKey());
    expect(hex(gn.getPublicKey(sk))).toBe(hex(gp.getPublicKey(sk)));
    expect(hex(gn.getSharedSecret(sk, peerPk))).toBe(hex(gp.getSharedSecret(sk, peerPk)));
    // overwrite a cached public key in place
    const pk2 = peerPk.slice();
    gn.getSharedSecret(sk, pk2);
    pk2.set(gp.getPublicKey(gp.randomSecretKey()));
    expect(hex(gn.getSharedSecret(sk, pk2))).toBe(hex(gp.getSharedSecret(sk, pk2)));
    // the returned public key is the caller's copy
    const pub = gn.getPublicKey(sk);
    pub.fill(0);
    expect(hex(gn.getPublicKey(sk))).toBe(hex(gp.getPublicKey(sk)));
  });
  it.each(['x25519', 'x448'] as const)('%s: native random keys are fresh, distinct and agree with the portable path', (id) => {
    const gn = nodeEntry.getDhGroup(id);
    const gp = portable.getDhGroup(id);
    const a = gn.randomSecretKey();
    const b = gn.randomSecretKey();
    expect(a).not.toBe(b);
    expect(hex(a)).not.toBe(hex(b));
    expect(hex(gn.getSharedSecret(a, gn.getPublicKey(b)))).toBe(hex(gp.getSharedSecret(b, gp.getPublicKey(a))));
  });
  it.each(['p256', 'secp256k1', 'sm2'] as const)('%s: a cached valid public key mutated off the curve is rejected', (id) => {
    const gn = nodeEntry.getDhGroup(id);
    const sk = gn.randomSecretKey();
    const pk = gn.getPublicKey(gn.randomSecretKey());
    gn.getSharedSecret(sk, pk);
    pk[pk.length - 1]! ^= 1; // y no longer matches x
    expect(() => gn.getSharedSecret(sk, pk)).toThrow(nodeEntry.KeyError);
    expect(gn.isValidPublicKey(pk)).toBe(false);
    const bad = sk.slice().fill(0); // zero scalar: invalid, and never cached
    expect(() => gn.getSharedSecret(bad, gn.getPublicKey(sk))).toThrow(nodeEntry.KeyError);
  });
  it('a small-order X25519 public key is rejected after caching, as on the portable path', () => {
    const gn = nodeEntry.getDhGroup('x25519');
    const sk = gn.randomSecretKey();
    const pk = gn.getPublicKey(gn.randomSecretKey());
    gn.getSharedSecret(sk, pk);
    pk.fill(0); // u = 0 has small order
    expect(() => gn.getSharedSecret(sk, pk)).toThrow(nodeEntry.KeyError);
    expect(gn.isValidPublicKey(pk)).toBe(false);
  });
});

describe('node:crypto-backed hashes behave like the noble objects', () => {
  it.each(['sha256', 'sha384', 'sha512', 'sm3'] as const)('%s: clone, digestInto, single use, HMAC via @noble/hashes', (id) => {
    const hn = nodeEntry.getHash(id);
    const hp = portable.getHash(id);
    expect(hn).not.toBe(hp); // the node entry serves its own object
    const msg = randomBytes(300);
    const st = hn.create().update(msg.subarray(0, 100));
    const cl = st.clone();
    st.update(msg.subarray(100));
    expect(hex(st.digest())).toBe(hex(hp(msg)));
    expect(hex(cl.update(msg.subarray(100)).digest())).toBe(hex(hp(msg)));
    expect(() => st.digest()).toThrow(nodeEntry.InputError);
    const out = new Uint8Array(hn.outputLen + 3);
    hn.create().update(msg).digestInto(out);
    expect(hex(out.subarray(0, hn.outputLen))).toBe(hex(hp(msg)));
    expect(() => hn.create().digestInto(new Uint8Array(hn.outputLen - 1))).toThrow(nodeEntry.InputError);
    const d = hn.create();
    d.destroy();
    expect(() => d.update(msg)).toThrow(nodeEntry.InputError);
    expect(() => hn(new Uint16Array(4) as never)).toThrow(nodeEntry.InputError);
    const key = randomBytes(200);
    expect(hex(hmac(hn, key, msg))).toBe(createHmac(id, key).update(msg).digest('hex'));
    expect(hex(hmac(hn, key, msg))).toBe(hex(hmac(hp, key, msg)));
  });
  it('HKDF: node and portable entries agree on long outputs, every id', () => {
    for (const id of nodeEntry.HASH_IDS) {
      const L = 255 * nodeEntry.getHash(id).outputLen;
      const ikm = randomBytes(40);
      const info = randomBytes(30);
      expect(hex(nodeEntry.hkdf(id, ikm, undefined, info, L))).toBe(hex(portable.hkdf(id, ikm, undefined, info, L)));
      const prk = nodeEntry.hkdfExtract(id, new Uint8Array(0), ikm);
      expect(hex(prk)).toBe(hex(portable.hkdfExtract(id, undefined, ikm)));
      expect(hex(nodeEntry.hkdfExpand(id, prk, undefined, 7))).toBe(hex(portable.hkdfExpand(id, prk, undefined, 7)));
    }
  });
});

describe('chunked native AEAD seal (large inputs) matches the portable path', () => {
  it.each(['aes-128-gcm', 'aes-256-gcm', 'chacha20-poly1305', 'xchacha20-poly1305'] as const)('%s', (id) => {
    const an = nodeEntry.getAead(id);
    const ap = portable.getAead(id);
    const key = randomBytes(an.keyLength);
    const nonce = randomBytes(an.nonceLength);
    for (const n of [65535, 65536, 65537, 200_000, 262_144 * 2 + 3]) { // one chunk … three 256 KiB chunks
      const pt = randomBytes(n);
      const aad = randomBytes(n % 3 === 0 ? 0 : 17);
      const ct = an.seal(key, nonce, pt, aad);
      expect(ct.length).toBe(n + 16);
      expect(hex(ct)).toBe(hex(ap.seal(key, nonce, pt, aad)));
      expect(hex(an.open(key, nonce, ct, aad))).toBe(hex(pt));
      // the same through caller-provided outputs (chunked straight into them)
      const sealedInto = new Uint8Array(n + 16);
      expect(an.seal(key, nonce, pt, aad, sealedInto)).toBe(sealedInto);
      expect(hex(sealedInto)).toBe(hex(ct));
      const openedInto = new Uint8Array(n);
      expect(an.open(key, nonce, ct, aad, openedInto)).toBe(openedInto);
      expect(hex(openedInto)).toBe(hex(pt));
      ct[n >> 1]! ^= 1;
      expect(() => an.open(key, nonce, ct, aad)).toThrow(nodeEntry.DecryptError);
    }
  });
});

describe('X25519/X448 secret-key import: JWK fast path and PKCS#8 DER fallback agree', () => {
  it.each(['x25519', 'x448'] as const)('%s', async (id) => {
    const { _jwkDOnly } = await import('../src/dh.node.js');
    const gn = nodeEntry.getDhGroup(id);
    const gp = portable.getDhGroup(id);
    const peer = gp.randomSecretKey();
    const viaProbe = gp.randomSecretKey();
    expect(hex(gn.getPublicKey(viaProbe))).toBe(hex(gp.getPublicKey(viaProbe)));
    // The probe's verdict depends on the OpenSSL build (3.0 in Node 22 recomputes x from d; 3.5 in Node 24 does
    // not): whichever it chose is checked above; the DER fallback is forced here and must agree too.
    const probed = _jwkDOnly.get(id);
    expect(typeof probed).toBe('boolean');
    _jwkDOnly.set(id, false);
    try {
      const viaDer = gp.randomSecretKey();
      expect(hex(gn.getPublicKey(viaDer))).toBe(hex(gp.getPublicKey(viaDer)));
      expect(hex(gn.getSharedSecret(viaDer, gp.getPublicKey(peer)))).toBe(hex(gp.getSharedSecret(peer, gp.getPublicKey(viaDer))));
    } finally {
      _jwkDOnly.set(id, probed!);
    }
  });
});
