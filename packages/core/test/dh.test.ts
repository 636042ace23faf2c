/**
 * Diffie–Hellman groups: Wycheproof X25519 and ECDH P-256 (SPKI and WebCrypto JWK files) on both paths, portable vs
 * node:crypto cross-checks on random keys for every group, key validation, hostile inputs, info/frozen checks.
 */
import * as nodeCrypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as nodeEntry from '@privkit/core';
import { arbDhGroupId, hostileValues } from '@privkit/core/testing';
import * as portable from '../src/index.js';

const load = (f: string) => JSON.parse(readFileSync(new URL(`./vectors/wycheproof-dh/${f}`, import.meta.url), 'utf8'));
interface WTest<P = string, S = string> {
  tcId: number;
  comment: string;
  flags: string[];
  public: P;
  private: S;
  shared: string;
  result: 'valid' | 'acceptable' | 'invalid';
}
const allTests = <P, S>(j: { testGroups: { tests: WTest<P, S>[] }[] }) => j.testGroups.flatMap((g) => g.tests);
const X25519 = load('x25519_test.json');
const P256_ASN = load('ecdh_secp256r1_test.json');
const P256_JWK = load('ecdh_secp256r1_webcrypto_test.json');

const b64u = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
/** The canonical named-curve P-256 SubjectPublicKeyInfo prefix (id-ecPublicKey, prime256v1, 65-byte BIT STRING). */
const P256_SPKI = '3059301306072a8648ce3d020106082a8648ce3d030107034200';
/** Wycheproof private keys are ASN.1 INTEGER contents (may carry a leading 00 or be short): to fixed length. */
const scalar = (s: string, len: number) => {
  const v = BigInt('0x' + (s || '0'));
  return unhex(v.toString(16).padStart(2 * len, '0'));
};

const paths = [
  ['portable', portable],
  ['node', nodeEntry],
] as const;

describe.each(paths)('getDhGroup (%s entry)', (_name, lib) => {
  const { getDhGroup } = lib;

  it('serves every id, frozen, with declared lengths matching real outputs', () => {
    expect([...lib.DH_GROUP_IDS]).toEqual(['p256', 'p384', 'p521', 'x25519', 'x448', 'secp256k1', 'sm2']);
    const sizes = { p256: 32, p384: 48, p521: 66, secp256k1: 32, sm2: 32, x25519: 32, x448: 56 } as const;
    for (const id of lib.DH_GROUP_IDS) {
      const g = getDhGroup(id);
      expect(g).toBe(getDhGroup(id));
      expect(Object.isFrozen(g)).toBe(true);
      expect(g.id).toBe(id);
      const mont = id === 'x25519' || id === 'x448';
      expect([g.secretKeyLength, g.publicKeyLength, g.sharedSecretLength]).toEqual([
        sizes[id],
        mont ? sizes[id] : 1 + 2 * sizes[id],
        sizes[id],
      ]);
      const a = g.randomSecretKey();
      const b = g.randomSecretKey();
      expect(a.length).toBe(g.secretKeyLength);
      expect(g.isValidSecretKey(a)).toBe(true);
      const A = g.getPublicKey(a);
      expect(A.length).toBe(g.publicKeyLength);
      if (!mont) expect(A[0]).toBe(4);
      expect(g.isValidPublicKey(A)).toBe(true);
      const s1 = g.getSharedSecret(a, g.getPublicKey(b));
      expect(s1.length).toBe(g.sharedSecretLength);
      expect(hex(s1)).toBe(hex(g.getSharedSecret(b, A)));
    }
    for (const bad of ['P-256', 'X25519', '', 'constructor']) expect(() => getDhGroup(bad as never)).toThrow(lib.UnsupportedError);
    for (const h of hostileValues('string')) expect(() => getDhGroup(h.value as never), h.title).toThrow(lib.InputError);
  });

  it('Wycheproof x25519_test.json: all 518 vectors', () => {
    const g = getDhGroup('x25519');
    const tests = allTests<string, string>(X25519);
    expect(tests.length).toBe(518);
    let agreed = 0;
    let rejectedZero = 0;
    for (const t of tests) {
      const sk = unhex(t.private);
      const pk = unhex(t.public);
      if (t.flags.includes('ZeroSharedSecret')) {
        // acceptable in Wycheproof; PrivKit rejects all-zero outputs (RFC 7748 §6.1, RFC 9180 §7.1.4)
        expect(t.shared).toBe('0'.repeat(64));
        expect(() => g.getSharedSecret(sk, pk), `tcId ${t.tcId}`).toThrow(lib.KeyError);
        expect(g.isValidPublicKey(pk), `tcId ${t.tcId}`).toBe(false);
        rejectedZero++;
      } else {
        expect(t.result).not.toBe('invalid');
        expect(hex(g.getSharedSecret(sk, pk)), `tcId ${t.tcId} ${t.comment}`).toBe(t.shared);
        agreed++;
      }
    }
    expect(agreed + rejectedZero).toBe(518);
    expect(rejectedZero).toBe(31);
  });

  it('Wycheproof ecdh_secp256r1_webcrypto_test.json: all 353 vectors (JWK → raw SEC1)', () => {
    const g = getDhGroup('p256');
    const tests = allTests<{ x: string; y: string; crv: string }, { d: string }>(P256_JWK);
    expect(tests.length).toBe(353);
    for (const t of tests) {
      const sk = scalar(hex(b64u(t.private.d)), 32);
      const pk = lib.concatBytes(new Uint8Array([4]), b64u(t.public.x), b64u(t.public.y));
      const title = `tcId ${t.tcId} ${t.comment} [${t.flags.join(',')}]`;
      if (t.result === 'valid') {
        expect(hex(g.getSharedSecret(sk, pk)), title).toBe(t.shared);
      } else {
        // invalid: wrong curve, point not on the curve, modified coordinates. Off-size coordinates are a length
        // error (InputError); well-sized invalid points are KeyError. Never a shared secret.
        let err: unknown;
        try {
          g.getSharedSecret(sk, pk);
        } catch (e) {
          err = e;
        }
        expect(lib.isPrivkitError(err), title).toBe(true);
        expect(err instanceof lib.KeyError || err instanceof lib.InputError, title).toBe(true);
        expect(g.isValidPublicKey(pk), title).toBe(false);
      }
    }
  });

  it('Wycheproof ecdh_secp256r1_test.json: every canonical-SPKI vector; the rest named out of scope by flag', () => {
    const g = getDhGroup('p256');
    const tests = allTests<string, string>(P256_ASN);
    expect(tests.length).toBe(612);
    const outOfScope = new Map<string, number>();
    let run = 0;
    let strictlyRejected = 0;
    for (const t of tests) {
      const title = `tcId ${t.tcId} ${t.comment} [${t.flags.join(',')}]`;
      const canonical = t.public.startsWith(P256_SPKI) && t.public.length === P256_SPKI.length + 130;
      if (!canonical) {
        // Not the raw-key API's input: compressed points, explicit/modified curve parameters, non-DER ASN.1.
        expect(t.result, title).not.toBe('valid');
        for (const f of t.flags) outOfScope.set(f, (outOfScope.get(f) ?? 0) + 1);
        if (t.flags.includes('CompressedPublic') || t.flags.includes('CompressedPoint')) {
          // the raw compressed point itself is refused by DhGroup (uncompressed SEC1 only)
          const der = unhex(t.public);
          const point = der.subarray(der.length - 33);
          if (point[0] === 2 || point[0] === 3) expect(() => g.getSharedSecret(scalar(t.private, 32), point), title).toThrow(lib.InputError);
        }
        continue;
      }
      run++;
      const pk = unhex(t.public.slice(P256_SPKI.length));
      const sk = scalar(t.private, 32);
      if (t.result === 'invalid') {
        expect(() => g.getSharedSecret(sk, pk), title).toThrow(lib.KeyError);
      } else if (t.result === 'acceptable' && !g.isValidPublicKey(pk)) {
        // e.g. tcId 605 "modifying last byte of bit string": y no longer on the curve. Lenient libraries ignore y;
        // PrivKit validates the full point and refuses (allowed for an `acceptable` vector).
        expect(() => g.getSharedSecret(sk, pk), title).toThrow(lib.KeyError);
        strictlyRejected++;
      } else {
        expect(hex(g.getSharedSecret(sk, pk)), title).toBe(t.shared);
      }
    }
    // The flags of the out-of-scope vectors (checked so a new upstream category cannot slip through unnoticed).
    const allowed = new Set([
      'CompressedPoint', 'CompressedPublic', 'InvalidCompressedPublic', 'InvalidAsn', 'UnnamedCurve', 'ModifiedCofactor',
      'ModifiedGenerator', 'ModifiedCurveParameter', 'WrongOrder', 'NoCofactor', 'UnusedParam', 'ModifiedPrime',
      'ModifiedGroup', 'NegativeCofactor', 'LargeCofactor', 'WrongCurve', 'InvalidEncoding', 'InvalidPublic',
      'WeakPublicKey', 'InvalidCurveAttack', 'ModifiedPublicPoint',
    ]);
    for (const f of outOfScope.keys()) expect(allowed.has(f), f).toBe(true);
    expect(run).toBeGreaterThan(330);
    expect(strictlyRejected).toBeLessThanOrEqual(1);
  });

  it('rejects invalid Weierstrass keys: off-curve, identity, x ≥ p, compressed, wrong prefix, out-of-range scalars', () => {
    for (const id of ['p256', 'p384', 'p521', 'secp256k1', 'sm2'] as const) {
      const g = getDhGroup(id);
      const size = g.secretKeyLength;
      const sk = g.randomSecretKey();
      const pk = g.getPublicKey(sk);
      const off = pk.slice();
      off[off.length - 1]! ^= 1;
      const bad: [string, Uint8Array][] = [
        ['off curve', off],
        ['all zero', new Uint8Array(pk.length)],
        ['prefix 00 (identity encoding) padded', lib.concatBytes(new Uint8Array([0]), pk.subarray(1))],
        ['prefix 02', lib.concatBytes(new Uint8Array([2]), pk.subarray(1))],
        ['x = 2^k - 1', lib.concatBytes(new Uint8Array([4]), new Uint8Array(size).fill(0xff), pk.subarray(1 + size))],
      ];
      for (const [t, b] of bad) {
        expect(() => g.getSharedSecret(sk, b), `${id} ${t}`).toThrow(lib.KeyError);
        expect(g.isValidPublicKey(b), `${id} ${t}`).toBe(false);
      }
      // compressed points and other lengths are a length error
      for (const b of [pk.subarray(0, 1 + size), pk.subarray(1), lib.concatBytes(pk, new Uint8Array(1)), new Uint8Array(0)]) {
        expect(() => g.getSharedSecret(sk, b), `${id} len ${b.length}`).toThrow(lib.InputError);
        expect(g.isValidPublicKey(b)).toBe(false);
      }
      for (const s of [new Uint8Array(size), new Uint8Array(size).fill(0xff)]) {
        expect(() => g.getPublicKey(s), `${id} sk`).toThrow(lib.KeyError);
        expect(() => g.getSharedSecret(s, pk), `${id} sk`).toThrow(lib.KeyError);
        expect(g.isValidSecretKey(s)).toBe(false);
      }
      expect(() => g.getPublicKey(new Uint8Array(size - 1))).toThrow(lib.InputError);
    }
    const sm2g = getDhGroup('sm2');
    expect(sm2g.isValidSecretKey(lib.numberToBytesBE(lib.SM2_PARAMS.n, 32))).toBe(false);
    expect(sm2g.isValidSecretKey(lib.numberToBytesBE(lib.SM2_PARAMS.n - 1n, 32))).toBe(true);
  });

  it('X25519/X448: small-order public keys give KeyError, any 32/56-byte secret is valid', () => {
    for (const [id, size] of [['x25519', 32], ['x448', 56]] as const) {
      const g = getDhGroup(id);
      const sk = g.randomSecretKey();
      const one = new Uint8Array(size);
      one[0] = 1;
      for (const pk of [new Uint8Array(size), one]) {
        expect(() => g.getSharedSecret(sk, pk), id).toThrow(lib.KeyError);
        expect(g.isValidPublicKey(pk)).toBe(false);
      }
      expect(g.isValidSecretKey(new Uint8Array(size))).toBe(true);
      expect(() => g.getSharedSecret(sk, new Uint8Array(size - 1))).toThrow(lib.InputError);
      expect(() => g.getPublicKey(new Uint8Array(size + 1))).toThrow(lib.InputError);
    }
  });

  it('reusing one secret-key array with new contents gives the new key (per-key caches follow contents)', () => {
    for (const id of lib.DH_GROUP_IDS) {
      const g = getDhGroup(id);
      const a = g.randomSecretKey();
      const b = g.randomSecretKey();
      const peer = g.getPublicKey(g.randomSecretKey());
      const sk = a.slice();
      const sa = hex(g.getSharedSecret(sk, peer));
      expect(hex(g.getPublicKey(sk))).toBe(hex(g.getPublicKey(a)));
      sk.set(b);
      expect(hex(g.getPublicKey(sk)), id).toBe(hex(g.getPublicKey(b)));
      expect(hex(g.getSharedSecret(sk, peer)), id).toBe(hex(g.getSharedSecret(b, peer)));
      expect(hex(g.getSharedSecret(sk, peer)), id).not.toBe(sa);
    }
  });

  it('hostile inputs on every method give typed errors or false', () => {
    for (const id of lib.DH_GROUP_IDS) {
      const g = getDhGroup(id);
      const sk = g.randomSecretKey();
      const pk = g.getPublicKey(sk);
      for (const h of hostileValues('bytes')) {
        const v = h.value as Uint8Array;
        expect(() => g.getPublicKey(v), `${id} getPublicKey ${h.title}`).toThrow(lib.InputError);
        expect(() => g.getSharedSecret(v, pk), `${id} shared sk ${h.title}`).toThrow(lib.InputError);
        expect(() => g.getSharedSecret(sk, v), `${id} shared pk ${h.title}`).toThrow(lib.InputError);
        expect(g.isValidPublicKey(v), `${id} ${h.title}`).toBe(false);
        expect(g.isValidSecretKey(v), `${id} ${h.title}`).toBe(false);
      }
    }
  });
});

describe('DhGroup is the shared shape', () => {
  it('Chebyshev parameter-set groups satisfy DhGroup (type-checked) with the same members', () => {
    const ours = portable.getDhGroup('x25519');
    for (const g of Object.values(portable.chebyshev.groups)) {
      const asDh: portable.DhGroup = g; // compile-time check: generic DHKEM code can take either
      expect(Object.keys(asDh).sort()).toEqual(Object.keys(ours).sort());
    }
  });
});

describe('portable and node:crypto paths agree on random keys, in both directions', () => {
  it('every group', () => {
    fc.assert(
      fc.property(arbDhGroupId, (id) => {
        const gp = portable.getDhGroup(id);
        const gn = nodeEntry.getDhGroup(id);
        const a = gp.randomSecretKey();
        const b = gn.randomSecretKey();
        const Ap = gp.getPublicKey(a);
        expect(hex(gn.getPublicKey(a))).toBe(hex(Ap));
        const Bn = gn.getPublicKey(b);
        expect(hex(gp.getPublicKey(b))).toBe(hex(Bn));
        const s1 = gp.getSharedSecret(a, Bn);
        expect(hex(gn.getSharedSecret(a, Bn))).toBe(hex(s1));
        expect(hex(gn.getSharedSecret(b, Ap))).toBe(hex(s1));
        expect(hex(gp.getSharedSecret(b, Ap))).toBe(hex(s1));
      }),
      { numRuns: 35 },
    );
  });
  const nativeEcdh = (curve: string) => {
    try {
      const a = nodeCrypto.createECDH(curve);
      a.generateKeys();
      return a.computeSecret(a.getPublicKey()).length > 0;
    } catch {
      return false;
    }
  };
  it('Weierstrass shared secret is the x-coordinate of d·Q (SEC 1 §3.3.1), as node:crypto.createECDH computes it', async () => {
    const { createECDH } = await import('node:crypto');
    const names = { p256: 'prime256v1', p384: 'secp384r1', p521: 'secp521r1', secp256k1: 'secp256k1', sm2: 'SM2' } as const;
    let compared = 0;
    for (const [id, curve] of Object.entries(names)) {
      const g = portable.getDhGroup(id as keyof typeof names);
      const e = createECDH(curve);
      e.generateKeys();
      // OpenSSL 3.5 (Node 24) refuses ECDH on the SM2 curve; the Node 22 run of CI (OpenSSL 3.0) compares it.
      if (id === 'sm2' && !nativeEcdh(curve)) continue;
      compared++;
      const sk = g.randomSecretKey();
      const ours = g.getSharedSecret(sk, new Uint8Array(e.getPublicKey()));
      expect(hex(ours), id).toBe(e.computeSecret(g.getPublicKey(sk)).toString('hex'));
    }
    expect(compared).toBeGreaterThanOrEqual(4);
  });
});
