/**
 * Public-key types a key card can carry (FORMAT.md §2.1): wire id, wire length (compressed for Weierstrass
 * curves), canonical length, and validation. Invalid, identity and small-order keys are rejected.
 * @module
 */
import type { WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';
import { ed25519, ristretto255, x25519 } from '@noble/curves/ed25519.js';
import { ed448, x448 } from '@noble/curves/ed448.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { chebyshev, KeyError, sm2 } from '@privkit/core';

/** The SM2 curve point class, from `@privkit/core` (used to validate and (de)compress public keys). @internal */
export function _sm2(): WeierstrassPointCons<bigint> {
  return sm2.Point;
}

/** Key-type names a key card supports. */
export const KEY_TYPES = Object.freeze([
  'x25519',
  'x448',
  'p256',
  'p384',
  'p521',
  'secp256k1',
  'sm2',
  'ed25519',
  'ed448',
  'ristretto255',
  'chebyshev-3072',
  'chebyshev-2048',
] as const);
/** A key type a key card can carry. */
export type KeyType = (typeof KEY_TYPES)[number];

interface KeySpec {
  readonly id: number;
  /** Bytes on the wire. */
  readonly wire: number;
  /** Accepted input lengths. */
  readonly lengths: readonly number[];
  /** Validates and returns [wire form, canonical form]; throws on invalid keys. */
  readonly norm: (pk: Uint8Array) => [Uint8Array, Uint8Array];
}

type WPoint = { fromBytes(b: Uint8Array): { toBytes(c?: boolean): Uint8Array; is0(): boolean; assertValidity(): void } };

function weier(P: () => WPoint) {
  return (pk: Uint8Array): [Uint8Array, Uint8Array] => {
    const pt = P().fromBytes(pk);
    pt.assertValidity();
    if (pt.is0()) throw new Error('identity');
    return [pt.toBytes(true), pt.toBytes(false)];
  };
}

function mont(fn: typeof x25519 | typeof x448, len: number) {
  return (pk: Uint8Array): [Uint8Array, Uint8Array] => {
    // Any fixed scalar: the product with a small-order point is zero after clamping, which noble rejects.
    fn.getSharedSecret(new Uint8Array(len).fill(0x5a), pk);
    return [pk.slice(), pk.slice()];
  };
}

function edw(P: { fromBytes(b: Uint8Array): { isSmallOrder(): boolean; toBytes(): Uint8Array } }) {
  return (pk: Uint8Array): [Uint8Array, Uint8Array] => {
    const pt = P.fromBytes(pk);
    if (pt.isSmallOrder()) throw new Error('small order');
    return [pk.slice(), pk.slice()];
  };
}

function cheb(id: 'chebyshev-3072' | 'chebyshev-2048') {
  return (pk: Uint8Array): [Uint8Array, Uint8Array] => {
    chebyshev.validatePublicKey(pk, id); // range, ±1/small order, order-q subgroup
    return [pk.slice(), pk.slice()];
  };
}

/** The key-type registry (wire ids are stable; never renumber). Frozen. */
export const KEY_SPECS: Readonly<Record<KeyType, KeySpec>> = Object.freeze({
  x25519: Object.freeze({ id: 1, wire: 32, lengths: [32], norm: mont(x25519, 32) }),
  x448: Object.freeze({ id: 2, wire: 56, lengths: [56], norm: mont(x448, 56) }),
  p256: Object.freeze({ id: 3, wire: 33, lengths: [33, 65], norm: weier(() => p256.Point as unknown as WPoint) }),
  p384: Object.freeze({ id: 4, wire: 49, lengths: [49, 97], norm: weier(() => p384.Point as unknown as WPoint) }),
  p521: Object.freeze({ id: 5, wire: 67, lengths: [67, 133], norm: weier(() => p521.Point as unknown as WPoint) }),
  secp256k1: Object.freeze({ id: 6, wire: 33, lengths: [33, 65], norm: weier(() => secp256k1.Point as unknown as WPoint) }),
  sm2: Object.freeze({ id: 7, wire: 33, lengths: [33, 65], norm: weier(() => _sm2() as unknown as WPoint) }),
  ed25519: Object.freeze({ id: 8, wire: 32, lengths: [32], norm: edw(ed25519.Point) }),
  ed448: Object.freeze({ id: 9, wire: 57, lengths: [57], norm: edw(ed448.Point) }),
  ristretto255: Object.freeze({
    id: 10,
    wire: 32,
    lengths: [32],
    norm: (pk: Uint8Array): [Uint8Array, Uint8Array] => {
      const pt = ristretto255.Point.fromBytes(pk);
      if (pt.equals(ristretto255.Point.ZERO)) throw new Error('identity');
      return [pk.slice(), pk.slice()];
    },
  }),
  'chebyshev-3072': Object.freeze({ id: 11, wire: 384, lengths: [384], norm: cheb('chebyshev-3072') }),
  'chebyshev-2048': Object.freeze({ id: 12, wire: 256, lengths: [256], norm: cheb('chebyshev-2048') }),
});

/** Key type by wire id, or undefined. */
export function keyTypeById(id: number): KeyType | undefined {
  return KEY_TYPES.find((k) => KEY_SPECS[k].id === id);
}

/**
 * Validates a public key of `type` and returns its wire and canonical forms.
 * @throws {KeyError} INVALID_KEY when it does not decode, is not on the curve, is the identity or has small order
 */
export function normalizeKey(type: KeyType, pk: Uint8Array): { wire: Uint8Array; canonical: Uint8Array } {
  try {
    const [wire, canonical] = KEY_SPECS[type].norm(pk);
    return { wire, canonical };
  } catch (cause) {
    throw new KeyError(`invalid ${type} public key`, { cause });
  }
}
