/**
 * `@privkit/qr/testing` — fast-check arbitraries for the QR payload types (valid inputs for key cards, encrypted
 * secrets and shares, and tampered payloads with a description of the mutation). Test-only: imports `fast-check`
 * (optional peer dependency).
 * @module
 */
import { ed25519, ristretto255, x25519 } from '@noble/curves/ed25519.js';
import { ed448, x448 } from '@noble/curves/ed448.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE, chebyshev } from '@privkit/core';
import * as fc from 'fast-check';
import { SECRET_KINDS, type SecretKind } from './_format.js';
import { _sm2, KEY_TYPES, type KeyType } from './_keys.js';
import { KEY_CARD_SUITES, type KeyCardInput } from './keycard.js';
import type { SplitOptions } from './shares.js';

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });

function weierKey(curve: { lengths: { seed?: number }; utils: { randomSecretKey(seed?: Uint8Array): Uint8Array }; getPublicKey(sk: Uint8Array, c?: boolean): Uint8Array }) {
  return fc.tuple(bytes(curve.lengths.seed ?? 48), fc.boolean()).map(([seed, compressed]) => curve.getPublicKey(curve.utils.randomSecretKey(seed), compressed));
}

/** A valid public key of the given type (compressed or uncompressed for Weierstrass curves). */
export function arbPublicKey(keyType: KeyType): fc.Arbitrary<Uint8Array> {
  switch (keyType) {
    case 'x25519':
      return bytes(32).map((sk) => x25519.getPublicKey(sk));
    case 'x448':
      return bytes(56).map((sk) => x448.getPublicKey(sk));
    case 'ed25519':
      return bytes(32).map((sk) => ed25519.getPublicKey(sk));
    case 'ed448':
      return bytes(57).map((sk) => ed448.getPublicKey(sk));
    case 'ristretto255':
      return bytes(32).map((sk) => ristretto255.Point.BASE.multiply((bytesToNumberBE(sk) % (ristretto255.Point.Fn.ORDER - 1n)) + 1n).toBytes());
    case 'p256':
      return weierKey(p256 as never);
    case 'p384':
      return weierKey(p384 as never);
    case 'p521':
      return weierKey(p521 as never);
    case 'secp256k1':
      return weierKey(secp256k1 as never);
    case 'chebyshev-3072':
    case 'chebyshev-2048':
      return bytes(chebyshev.params[keyType].secretKeyLength).map((sk) => {
        const n = sk.slice();
        n[0]! &= 0xff >> (n.length * 8 - chebyshev.params[keyType].exponentBits);
        n[n.length - 1]! |= 1;
        return chebyshev.getPublicKey(n, keyType);
      });
    case 'sm2': {
      const P = _sm2();
      return fc.tuple(bytes(32), fc.boolean()).map(([sk, c]) => P.BASE.multiply((bytesToNumberBE(sk) % (P.Fn.ORDER - 1n)) + 1n).toBytes(c));
    }
  }
}

/** A label of at most 64 UTF-8 bytes (unicode included). */
export const arbLabel: fc.Arbitrary<string> = fc
  .string({ maxLength: 24, unit: 'grapheme' })
  .map((s) => s.normalize('NFC'))
  .filter((s) => new TextEncoder().encode(s).length <= 64);

/** A suite: none, a registered name, or a custom ASCII name. */
export const arbSuite: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(...Object.keys(KEY_CARD_SUITES)),
  fc.stringMatching(/^[a-z0-9][a-z0-9.+-]{0,31}$/),
);

/** Valid input for `encodeKeyCard`, over every key type. */
export const arbKeyCardInput: fc.Arbitrary<KeyCardInput> = fc
  .constantFrom(...KEY_TYPES)
  .chain((keyType) =>
    fc.record({ keyType: fc.constant(keyType), publicKey: arbPublicKey(keyType), label: arbLabel, suite: arbSuite }).map((r) => {
      const out: KeyCardInput = { keyType: r.keyType, publicKey: r.publicKey, label: r.label };
      if (r.suite !== undefined) out.suite = r.suite;
      return out;
    }),
  );

/** Secret metadata: kind (with a key type for 'secret-key') and label. */
export interface SecretMetaInput {
  kind: SecretKind;
  keyType?: KeyType;
  label: string;
}

/** Valid secret metadata. */
export const arbSecretMeta: fc.Arbitrary<SecretMetaInput> = fc
  .record({ kind: fc.constantFrom(...(Object.keys(SECRET_KINDS) as SecretKind[])), keyType: fc.constantFrom(...KEY_TYPES), label: arbLabel })
  .map((r) => (r.kind === 'secret-key' ? { kind: r.kind, keyType: r.keyType, label: r.label } : { kind: r.kind, label: r.label }));

/** A secret of 1..64 bytes. */
export const arbSecret: fc.Arbitrary<Uint8Array> = fc.uint8Array({ minLength: 1, maxLength: 64 });

/** A passphrase (non-empty unicode string). */
export const arbPassphrase: fc.Arbitrary<string> = fc.string({ minLength: 1, maxLength: 32 });

/** Valid split parameters (2 ≤ threshold ≤ shares ≤ 8) with metadata. */
export const arbSplitOptions: fc.Arbitrary<SplitOptions> = fc
  .tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 0, max: 4 }), arbSecretMeta)
  .map(([threshold, extra, meta]) => ({ threshold, shares: Math.min(255, threshold + extra), ...meta }));

/** A tampered copy of a payload with a description of the mutation. */
export interface TamperedPayload {
  readonly bytes: Uint8Array;
  readonly mutation: string;
}

/**
 * Tampered copies of `payload`: one flipped bit, a truncation, an appended byte, or a changed version nibble.
 * Every one must be rejected with a typed error.
 */
export function arbTamperedPayload(payload: Uint8Array): fc.Arbitrary<TamperedPayload> {
  const n = payload.length;
  return fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: 7 })).map(([i, bit]) => {
      const b = payload.slice();
      b[i]! ^= 1 << bit;
      return { bytes: b, mutation: `bit ${bit} of byte ${i} flipped` };
    }),
    fc.integer({ min: 0, max: n - 1 }).map((k) => ({ bytes: payload.slice(0, k), mutation: `truncated to ${k} bytes` })),
    fc.integer({ min: 0, max: 255 }).map((v) => ({ bytes: Uint8Array.from([...payload, v]), mutation: `byte ${v} appended` })),
    fc.integer({ min: 2, max: 15 }).map((v) => {
      const b = payload.slice();
      b[0] = (v << 4) | (b[0]! & 15);
      return { bytes: b, mutation: `version nibble set to ${v}` };
    }),
  );
}
