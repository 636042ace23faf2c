import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as node from '@privkit/core';
import { bitFlips, hostileBytes, hostileValues, truncations } from '@privkit/core/testing';
import { hkdf as nobleHkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as portable from '../src/index.js';
import { CHEBYSHEV_PARAMS, type ChebyshevParamsId } from '../src/chebyshev-params.js';
import { chebyshevT, isSubgroupValue, jacobi, lucasV } from '../src/chebyshev.js';
import { chebyshevNativeAvailable, nodeEngine } from '../src/chebyshev.node.js';
import { dec, enc, invalidPeerValues, legendre, tFp, tQuadratic } from './chebyshev-closed-form.js';
import v2048 from './vectors/chebyshev/chebyshev-2048.json' with { type: 'json' };
import v3072 from './vectors/chebyshev/chebyshev-3072.json' with { type: 'json' };

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const IDS = ['chebyshev-3072', 'chebyshev-2048'] as const;
const paths = [
  ['portable', portable.chebyshev],
  ['node', node.chebyshev],
] as const;
const vectors = { 'chebyshev-3072': v3072, 'chebyshev-2048': v2048 } as const;
const invalidCache = new Map<string, { y: bigint; reason: string }[]>();
/** invalidPeerValues, computed once per parameter set. */
function invalidFor(id: ChebyshevParamsId): { y: bigint; reason: string }[] {
  const P = CHEBYSHEV_PARAMS[id];
  if (!invalidCache.has(id)) invalidCache.set(id, invalidPeerValues(P.p, P.x));
  return invalidCache.get(id)!;
}

/** Uniform secret keys for a parameter set (fast-check), same distribution as randomSecretKey. */
function arbSecretKey(id: ChebyshevParamsId): fc.Arbitrary<Uint8Array> {
  const P = CHEBYSHEV_PARAMS[id];
  const top = P.exponentBits - 8 * (P.secretKeyLength - 1);
  return fc
    .uint8Array({ minLength: P.secretKeyLength, maxLength: P.secretKeyLength })
    .map((b) => {
      const c = Uint8Array.from(b);
      c[0] = c[0]! & ((1 << top) - 1);
      return c;
    })
    .filter((b) => b.some((x) => x !== 0));
}

function expectKeyError(f: () => unknown): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a KeyError').toBeInstanceOf(portable.KeyError);
  expect((err as portable.KeyError).code).toBe('INVALID_KEY');
}

describe('chebyshev: bundle, params, lengths', () => {
  it('bundles, groups and params are frozen', () => {
    for (const [, c] of paths) {
      expect(Object.isFrozen(c)).toBe(true);
      expect(Object.isFrozen(c.groups)).toBe(true);
      expect(Object.isFrozen(c.params)).toBe(true);
      expect(Object.isFrozen(c.ids)).toBe(true);
      for (const id of IDS) {
        expect(Object.isFrozen(c.groups[id])).toBe(true);
        expect(Object.isFrozen(c.params[id])).toBe(true);
        expect(c.group(id)).toBe(c.groups[id]);
      }
    }
    expect(portable.chebyshev.engine).toBe('portable');
    expect(node.chebyshev.engine).toBe('node');
    expect(node.CHEBYSHEV_PARAMS).toBe(CHEBYSHEV_PARAMS);
  });

  it('the node:crypto fast path is active in Node for both parameter sets', () => {
    for (const id of IDS) expect(chebyshevNativeAvailable(id)).toBe(true);
  });

  it('the Node engine falls back to the ladder when node:crypto refuses its self-test (same results)', () => {
    const P = CHEBYSHEV_PARAMS['chebyshev-2048'];
    // alpha = 1 makes node:crypto reject the base in the self-test; x is the real one, so the ladder is right.
    const broken = { ...P, id: 'chebyshev-selftest-fail', alpha: 1n } as unknown as typeof P;
    const n = dec(unhex(v2048.keys[4]!.secretKey));
    expect(nodeEngine.publicValue(broken, n)).toBe(dec(unhex(v2048.keys[4]!.publicKey)));
    const a = v2048.agreements[0]!;
    expect(nodeEngine.sharedValue(broken, dec(unhex(a.secretKeyA)), dec(unhex(a.publicKeyB)))).toBe(dec(unhex(a.sharedValue)));
    expect(chebyshevNativeAvailable('chebyshev-2048')).toBe(true);
  });

  it('declared lengths match real outputs (DhGroup info)', () => {
    for (const [, c] of paths) {
      for (const id of IDS) {
        const g = c.group(id);
        const P = CHEBYSHEV_PARAMS[id];
        expect(g.id).toBe(id);
        const sk = g.randomSecretKey();
        expect(sk.length).toBe(g.secretKeyLength);
        expect(g.isValidSecretKey(sk)).toBe(true);
        const pk = g.getPublicKey(sk);
        expect(pk.length).toBe(g.publicKeyLength);
        expect(pk.length * 8).toBe(P.pBits);
        expect(g.isValidPublicKey(pk)).toBe(true);
        const other = c.keygen(id);
        expect(other.secretKey.length).toBe(g.secretKeyLength);
        const z = g.getSharedSecret(sk, other.publicKey);
        expect(z.length).toBe(g.sharedSecretLength);
        expect(c.getSharedSecret(sk, other.publicKey).length).toBe(32);
      }
    }
  });

  it('exponent sizes follow RFC 7919 §5.2 (≥ 2 × security bits) and q is far larger', () => {
    for (const id of IDS) {
      const P = CHEBYSHEV_PARAMS[id];
      expect(P.exponentBits).toBeGreaterThanOrEqual(2 * P.securityBits);
      expect(P.q.toString(2).length).toBe(P.qBits);
      expect(P.qBits).toBeGreaterThan(P.exponentBits);
    }
  });
});

describe('chebyshev: the ladder agrees with independent closed forms', () => {
  it('lucasV / chebyshevT = quadratic-ring evaluation for random n and any y (both residue cases)', () => {
    const P = CHEBYSHEV_PARAMS['chebyshev-2048'];
    let seenQr = false;
    let seenNonQr = false;
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 400n) - 1n }), fc.bigInt({ min: 0n, max: P.p - 1n }), (n, y) => {
        const t = chebyshevT(n, y, P.p);
        expect(t).toBe(tQuadratic(n, y, P.p));
        expect(lucasV(n, 2n * y, P.p, 400)).toBe((2n * t) % P.p);
        if (legendre(y * y - 1n, P.p) === 1) seenQr = true;
        else seenNonQr = true;
      }),
      { numRuns: 25 },
    );
    expect(seenQr && seenNonQr).toBe(true);
  });

  it('small cases: T_0 = 1, T_1 = y, T_2 = 2y² − 1, T_3 = 4y³ − 3y', () => {
    const P = CHEBYSHEV_PARAMS['chebyshev-3072'];
    const y = 123456789n;
    expect(chebyshevT(0n, y, P.p, 8)).toBe(1n);
    expect(chebyshevT(1n, y, P.p)).toBe(y);
    expect(chebyshevT(2n, y, P.p)).toBe((2n * y * y - 1n) % P.p);
    expect(chebyshevT(3n, y, P.p)).toBe((4n * y ** 3n - 3n * y) % P.p);
  });

  it('public keys = T_n(x) by the F_p* closed form (αⁿ + α⁻ⁿ)/2, both paths, random keys', () => {
    for (const id of IDS) {
      const P = CHEBYSHEV_PARAMS[id];
      fc.assert(
        fc.property(arbSecretKey(id), (sk) => {
          const want = hex(enc(tFp(dec(sk), P.x, P.p), P.publicKeyLength));
          expect(hex(portable.chebyshev.getPublicKey(sk, id))).toBe(want);
          expect(hex(node.chebyshev.getPublicKey(sk, id))).toBe(want);
        }),
        { numRuns: id === 'chebyshev-3072' ? 4 : 8 },
      );
    }
  });

  it('subgroup test (two Legendre symbols) ⇔ T_q(y) = 1 and y ≠ ±1, by the quadratic ring', () => {
    const P = CHEBYSHEV_PARAMS['chebyshev-2048'];
    const samples: bigint[] = [P.x, (2n * P.x * P.x - 1n) % P.p, ...invalidFor('chebyshev-2048').map((v) => v.y).filter((y) => y < P.p)];
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: P.p - 1n }), (y) => {
        samples.push(y);
      }),
      { numRuns: 4 },
    );
    for (const y of samples) {
      const want = y !== 1n && y !== P.p - 1n && tQuadratic(P.q, y, P.p) === 1n;
      expect(isSubgroupValue(P, y), `y=${y.toString(16).slice(0, 12)}…`).toBe(want);
    }
  });

  it('jacobi agrees with Euler’s criterion', () => {
    const P = CHEBYSHEV_PARAMS['chebyshev-2048'];
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: P.p - 1n }), (a) => {
        expect(jacobi(a, P.p)).toBe(legendre(a, P.p));
      }),
      { numRuns: 10 },
    );
  });
});

describe('chebyshev: semigroup property and commutativity (fast-check)', () => {
  for (const id of IDS) {
    it(`${id}: T_a(T_b(x)) = T_b(T_a(x)) = T_ab(x), node and portable`, () => {
      const P = CHEBYSHEV_PARAMS[id];
      fc.assert(
        fc.property(arbSecretKey(id), arbSecretKey(id), (a, b) => {
          const pa = node.chebyshev.getPublicKey(a, id);
          const pb = node.chebyshev.getPublicKey(b, id);
          const ab = hex(node.chebyshev.group(id).getSharedSecret(a, pb));
          const ba = hex(node.chebyshev.group(id).getSharedSecret(b, pa));
          expect(ab).toBe(ba);
          expect(ab).toBe(hex(enc(chebyshevT(dec(a) * dec(b), P.x, P.p), P.publicKeyLength)));
          expect(hex(portable.chebyshev.group(id).getSharedSecret(a, pb))).toBe(ab);
          const info = new Uint8Array([1, 2, 3]);
          expect(hex(node.chebyshev.getSharedSecret(a, pb, { info }))).toBe(hex(portable.chebyshev.getSharedSecret(b, pa, { info })));
        }),
        { numRuns: id === 'chebyshev-3072' ? 3 : 6 },
      );
    });
  }

  it('T_n(x) = T_{q−n}(x): keys n and q − n give the same public key (documented)', () => {
    const P = CHEBYSHEV_PARAMS['chebyshev-2048'];
    const n = dec(portable.chebyshev.group('chebyshev-2048').randomSecretKey());
    expect(tQuadratic(P.q - n, P.x, P.p)).toBe(chebyshevT(n, P.x, P.p));
  });
});

describe('chebyshev: known-answer vectors (test/vectors/chebyshev, independent closed form)', () => {
  for (const id of IDS) {
    const V = vectors[id];
    const P = CHEBYSHEV_PARAMS[id];
    it(`${id}: vector file matches the frozen parameters`, () => {
      expect(V.paramsId).toBe(id);
      expect(BigInt(`0x${V.p}`)).toBe(P.p);
      expect(BigInt(`0x${V.x}`)).toBe(P.x);
      expect(V.exponentBits).toBe(P.exponentBits);
      expect(V.keys.length).toBeGreaterThanOrEqual(7);
      expect(V.agreements.length).toBeGreaterThanOrEqual(2);
    });
    for (const [name, c] of paths) {
      it(`${id} ${name}: public keys`, () => {
        for (const k of V.keys) expect(hex(c.getPublicKey(unhex(k.secretKey), id)), k.comment).toBe(k.publicKey);
      });
      it(`${id} ${name}: agreements (raw T value and HKDF output)`, () => {
        for (const a of V.agreements) {
          const g = c.group(id);
          expect(hex(g.getPublicKey(unhex(a.secretKeyA)))).toBe(a.publicKeyA);
          expect(hex(g.getSharedSecret(unhex(a.secretKeyA), unhex(a.publicKeyB)))).toBe(a.sharedValue);
          expect(hex(g.getSharedSecret(unhex(a.secretKeyB), unhex(a.publicKeyA)))).toBe(a.sharedValue);
          const opts = a.info === '' ? {} : { info: unhex(a.info) };
          expect(hex(c.getSharedSecret(unhex(a.secretKeyA), unhex(a.publicKeyB), opts))).toBe(a.sharedSecret);
          expect(hex(c.getSharedSecret(unhex(a.secretKeyB), unhex(a.publicKeyA), { ...opts, paramsId: id }))).toBe(a.sharedSecret);
        }
      });
      it(`${id} ${name}: every invalid public key is rejected with KeyError`, () => {
        const sk = unhex(V.keys[3]!.secretKey);
        expect(V.invalidPublicKeys.length).toBeGreaterThanOrEqual(9);
        for (const bad of V.invalidPublicKeys) {
          expect(bad.publicKey.length, bad.reason).toBe(2 * P.publicKeyLength);
          const pk = unhex(bad.publicKey);
          expect(c.group(id).isValidPublicKey(pk), bad.reason).toBe(false);
          expectKeyError(() => c.validatePublicKey(pk, id));
          expectKeyError(() => c.group(id).getSharedSecret(sk, pk));
          expectKeyError(() => c.getSharedSecret(sk, pk));
        }
      });
    }
  }

  it('vector files match the sha256 recorded in their README (never edited by hand)', () => {
    const dir = new URL('./vectors/chebyshev/', import.meta.url);
    const readme = readFileSync(new URL('README.md', dir), 'utf8');
    for (const id of IDS) {
      const digest = createHash('sha256').update(readFileSync(new URL(`${id}.json`, dir))).digest('hex');
      expect(readme).toContain(`| \`${id}.json\` |`);
      expect(readme).toContain(digest);
    }
  });

  it('HKDF output is HKDF-SHA256(Z, salt "PrivKit/chebyshev/v1/<id>/shared-secret", info) and never the raw value', () => {
    const a = v2048.agreements[1]!;
    const salt = new TextEncoder().encode('PrivKit/chebyshev/v1/chebyshev-2048/shared-secret');
    expect(hex(nobleHkdf(sha256, unhex(a.sharedValue), salt, unhex(a.info), 32))).toBe(a.sharedSecret);
    const out = node.chebyshev.getSharedSecret(unhex(a.secretKeyA), unhex(a.publicKeyB), { info: unhex(a.info) });
    expect(out.length).toBe(32);
    expect(a.sharedValue.includes(hex(out))).toBe(false);
    // domain separation: another info or another parameter set gives another key
    expect(hex(node.chebyshev.getSharedSecret(unhex(a.secretKeyA), unhex(a.publicKeyB)))).not.toBe(hex(out));
  });
});

describe('chebyshev: invalid keys', () => {
  for (const [name, c] of paths) {
    for (const id of IDS) {
      const P = CHEBYSHEV_PARAMS[id];
      const V = vectors[id];
      const sk = unhex(V.keys[4]!.secretKey);
      const pk = unhex(V.keys[5]!.publicKey);
      it(`${id} ${name}: 0, ±1, p, p − 1, all-ones, small order and out-of-subgroup values`, () => {
        const L = P.publicKeyLength;
        const bad = [0n, 1n, P.p - 1n, P.p, (1n << BigInt(8 * L)) - 1n, (P.p - P.x) % P.p, ...invalidFor(id).map((v) => v.y)];
        for (const y of bad) {
          const b = enc(y, L);
          expect(c.group(id).isValidPublicKey(b)).toBe(false);
          expectKeyError(() => c.group(id).getSharedSecret(sk, b));
          expectKeyError(() => c.validatePublicKey(b, id));
        }
      });
      it(`${id} ${name}: wrong lengths (public and secret) give KeyError`, () => {
        for (const t of truncations(pk)) {
          expectKeyError(() => c.group(id).getSharedSecret(sk, t.value as Uint8Array));
          expectKeyError(() => c.validatePublicKey(t.value as Uint8Array, id));
          expect(c.group(id).isValidPublicKey(t.value as Uint8Array)).toBe(false);
        }
        for (const t of truncations(sk)) {
          expectKeyError(() => c.getPublicKey(t.value as Uint8Array, id));
          expect(c.group(id).isValidSecretKey(t.value as Uint8Array)).toBe(false);
        }
        expectKeyError(() => c.getSharedSecret(sk, pk.slice(1)));
      });
      it(`${id} ${name}: secret keys 0 and ≥ 2^exponentBits give KeyError`, () => {
        const zero = new Uint8Array(P.secretKeyLength);
        const big = enc(1n << BigInt(P.exponentBits), P.secretKeyLength);
        for (const s of [zero, big, new Uint8Array(P.secretKeyLength).fill(255)]) {
          expect(c.group(id).isValidSecretKey(s)).toBe(false);
          expectKeyError(() => c.getPublicKey(s, id));
          expectKeyError(() => c.group(id).getSharedSecret(s, pk));
        }
      });
    }
  }

  it('bit-flipped public keys: rejected with KeyError or accepted only when valid, same verdict on both paths', () => {
    const id = 'chebyshev-2048';
    const sk = unhex(v2048.keys[4]!.secretKey);
    const pk = unhex(v2048.keys[5]!.publicKey);
    for (const t of bitFlips(pk, 8)) {
      const b = t.value as Uint8Array;
      const valid = portable.chebyshev.group(id).isValidPublicKey(b);
      expect(node.chebyshev.group(id).isValidPublicKey(b), t.title).toBe(valid);
      for (const [, c] of paths) {
        if (valid) expect(c.group(id).getSharedSecret(sk, b).length).toBe(256);
        else expectKeyError(() => c.group(id).getSharedSecret(sk, b));
      }
    }
  });

  it('both paths give the same verdict on random peer values (about 1/4 are valid)', () => {
    const id = 'chebyshev-2048';
    const P = CHEBYSHEV_PARAMS[id];
    const sk = unhex(v2048.keys[6]!.secretKey);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: P.p - 1n }), (y) => {
        const b = enc(y, P.publicKeyLength);
        const out = paths.map(([, c]) => {
          try {
            return hex(c.group(id).getSharedSecret(sk, b));
          } catch (e) {
            expect(e).toBeInstanceOf(portable.KeyError);
            return 'KeyError';
          }
        });
        expect(out[0]).toBe(out[1]);
        expect(out[0] !== 'KeyError').toBe(portable.chebyshev.group(id).isValidPublicKey(b));
      }),
      { numRuns: 12 },
    );
  });
});

describe('chebyshev: hostile inputs give typed errors', () => {
  const pk = unhex(v2048.keys[5]!.publicKey);
  const sk = unhex(v2048.keys[4]!.secretKey);
  for (const [name, c] of paths) {
    it(`${name}: every public function`, () => {
      const id = 'chebyshev-2048' as const;
      const g = c.group(id);
      for (const h of hostileBytes()) {
        const v = h.value as Uint8Array;
        for (const f of [
          () => c.getPublicKey(v, id),
          () => c.getSharedSecret(v, pk),
          () => c.getSharedSecret(sk, v),
          ...(v === undefined ? [] : [() => c.getSharedSecret(sk, pk, { info: v })]),
          () => c.validatePublicKey(v, id),
          () => g.getPublicKey(v),
          () => g.getSharedSecret(v, pk),
          () => g.getSharedSecret(sk, v),
        ]) {
          let err: unknown;
          try {
            f();
          } catch (e) {
            err = e;
          }
          expect(portable.isPrivkitError(err), `${h.title}`).toBe(true);
        }
        expect(g.isValidPublicKey(v)).toBe(false);
        expect(g.isValidSecretKey(v)).toBe(false);
      }
      for (const h of hostileValues('string')) {
        if (h.value === undefined) continue; // undefined = default parameter set
        for (const f of [() => c.keygen(h.value as never), () => c.group(h.value as never), () => c.getPublicKey(sk, h.value as never), () => c.validatePublicKey(pk, h.value as never), () => c.getSharedSecret(sk, pk, { paramsId: h.value as never })]) {
          expect(f).toThrow(portable.InputError);
        }
      }
      expect(() => c.keygen('chebyshev-1024' as never)).toThrow(portable.InputError);
      expect(() => c.getSharedSecret(sk, pk, 'x' as never)).toThrow(portable.InputError);
      expect(() => c.getSharedSecret(sk, pk, { paramsId: 'nope' as never })).toThrow(portable.InputError);
      // a 2048-bit secret key with a 3072-bit peer key: a length mismatch, KeyError
      expectKeyError(() => c.getSharedSecret(sk, unhex(v3072.keys[5]!.publicKey)));
    });
  }
});
