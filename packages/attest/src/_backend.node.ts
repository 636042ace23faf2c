/**
 * Node back end: ECDSA P-256/P-384 and Ed25519 through node:crypto (OpenSSL), an order of magnitude faster than the
 * pure-TypeScript path. Same results: ECDSA signatures differ (random nonces) but verify identically; Ed25519 is
 * deterministic and byte-identical. Hashes node:crypto does not know fall back to the portable path. Internal.
 * @module
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { nobleBackend, type SigBackend } from './_backend.js';
import { ed25519KeyAcceptable } from './_ed25519.js';
import type { TpmHashId } from './_tpm.js';

const b64u = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');
const NODE_HASH: Readonly<Partial<Record<TpmHashId, string>>> = Object.freeze({ sha1: 'sha1', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' });

/** Small cache of parsed public KeyObjects (public data only), bounded to 256 entries. */
const cache = new Map<string, KeyObject>();
function cached(id: string, make: () => KeyObject): KeyObject {
  let k = cache.get(id);
  if (k === undefined) {
    k = make();
    if (cache.size >= 256) cache.delete(cache.keys().next().value as string);
    cache.set(id, k);
  }
  return k;
}

function ecPublic(curve: 'p256' | 'p384', pk: Uint8Array): KeyObject {
  return cached(`${curve}:${b64u(pk)}`, () => ecPublicUncached(curve, pk));
}

function ecPublicUncached(curve: 'p256' | 'p384', pk: Uint8Array): KeyObject {
  const len = curve === 'p256' ? 32 : 48;
  return createPublicKey({
    key: { kty: 'EC', crv: curve === 'p256' ? 'P-256' : 'P-384', x: b64u(pk.subarray(1, 1 + len)), y: b64u(pk.subarray(1 + len)) },
    format: 'jwk',
  });
}

/** The node:crypto back end. */
export const nodeBackend: SigBackend = Object.freeze({
  name: 'node',
  p256Signer(secretKey: Uint8Array, publicKey: Uint8Array) {
    const key = createPrivateKey({
      key: { kty: 'EC', crv: 'P-256', d: b64u(secretKey), x: b64u(publicKey.subarray(1, 33)), y: b64u(publicKey.subarray(33)) },
      format: 'jwk',
    });
    return (message: Uint8Array) => new Uint8Array(sign('sha256', message, { key, dsaEncoding: 'ieee-p1363' }));
  },
  ecdsaVerify(curve: 'p256' | 'p384', hash: TpmHashId, message: Uint8Array, sig: Uint8Array, publicKey: Uint8Array) {
    const h = NODE_HASH[hash];
    if (h === undefined) return nobleBackend.ecdsaVerify(curve, hash, message, sig, publicKey);
    try {
      return verify(h, message, { key: ecPublic(curve, publicKey), dsaEncoding: 'ieee-p1363' }, sig);
    } catch {
      return false;
    }
  },
  ed25519Signer(secretKey: Uint8Array, publicKey: Uint8Array) {
    const key = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: b64u(secretKey), x: b64u(publicKey) }, format: 'jwk' });
    return (message: Uint8Array) => new Uint8Array(sign(null, message, key));
  },
  ed25519Verify(message: Uint8Array, sig: Uint8Array, publicKey: Uint8Array) {
    // OpenSSL verifies cofactorless and rejects S ≥ L and non-canonical R itself; the key checks it does not make
    // (canonical encoding, not of small order) come first, so both back ends follow one rule (_ed25519.ts).
    if (!ed25519KeyAcceptable(sig, publicKey)) return false;
    try {
      const key = cached(`ed25519:${b64u(publicKey)}`, () =>
        createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64u(publicKey) }, format: 'jwk' }),
      );
      return verify(null, message, key, sig);
    } catch {
      return false;
    }
  },
} as const);
