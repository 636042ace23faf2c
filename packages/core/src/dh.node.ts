/**
 * Node fast path of {@link getDhGroup}: the same {@link DhGroup} objects, computed by `node:crypto` (OpenSSL).
 * Weierstrass groups use `createECDH(curve)` with raw keys; X25519/X448 use `diffieHellman` on cached KeyObjects
 * imported from raw keys via JWK (RFC 8037 OKP; the PKCS#8 DER wrapper of RFC 8410 is the fallback), with ephemeral
 * keys generated natively. Inputs are validated by the same code as the portable
 * path before they reach OpenSSL, so both paths accept and reject exactly the same keys.
 * @module
 */
import { createECDH, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, timingSafeEqual, type ECDH, type KeyObject } from 'node:crypto';
import {
  _dhRegistry,
  _P256_SPEC,
  _P384_SPEC,
  _P521_SPEC,
  _SECP256K1_SPEC,
  _SM2_SPEC,
  p256Group as portableP256,
  p384Group as portableP384,
  p521Group as portableP521,
  secp256k1Group as portableSecp256k1,
  sm2Group as portableSm2,
  _wValidity,
  _mCheckShared,
  _wPublic,
  _wRandom,
  _wSecret,
  type DhGroup,
  type DhGroupId,
  type _WeierstrassDhSpec,
} from './dh.js';
import { KeyError } from './errors.js';
import { abytes, isBytes } from './validate.js';

const OPENSSL_CURVE = Object.freeze({
  p256: 'prime256v1',
  p384: 'secp384r1',
  p521: 'secp521r1',
  secp256k1: 'secp256k1',
  sm2: 'SM2',
} as const);

const u8 = (b: Buffer): Uint8Array => {
  const out = new Uint8Array(b);
  b.fill(0);
  return out;
};

/**
 * `setPrivateKey` derives the public key (one scalar multiplication), so ECDH objects are kept per secret-key array
 * (weakly: entries die with the array) and used only while the array's contents still equal the copy taken when the
 * entry was made (constant-time compare), so a static key used repeatedly (a KEM recipient) costs one
 * multiplication per exchange and a mutated array never gets a stale key. The copy holds no more than the ECDH
 * object itself already does.
 */
const ecdhCache = new WeakMap<Uint8Array, { copy: Buffer; curve: string; ecdh: ECDH }>();
/** Public-key arrays that passed validation, with a copy of the validated contents (public data). */
const validPublic = new WeakMap<Uint8Array, { copy: Buffer; curve: string }>();

function weierstrassGroup(spec: _WeierstrassDhSpec & { id: keyof typeof OPENSSL_CURVE }): DhGroup<DhGroupId> {
  const { id, size } = spec;
  const curve = OPENSSL_CURVE[id];
  function ecdhFor(secretKey: Uint8Array): ECDH {
    // a hit means the contents equal a key already validated for this curve: validation is skipped
    const hit = isBytes(secretKey) ? ecdhCache.get(secretKey) : undefined;
    if (hit && hit.curve === curve && hit.copy.length === secretKey.length && timingSafeEqual(hit.copy, secretKey)) return hit.ecdh;
    _wSecret(spec, secretKey);
    if (hit) hit.copy.fill(0);
    const ecdh = createECDH(curve);
    try {
      ecdh.setPrivateKey(secretKey);
    } catch (e) {
      throw new KeyError(`${id} secret key rejected`, { cause: e });
    }
    ecdhCache.set(secretKey, { copy: Buffer.from(secretKey), curve, ecdh });
    return ecdh;
  }
  /** `_wPublic`, remembered per public-key array while its contents are unchanged (a static recipient key). */
  function checkPublic(publicKey: Uint8Array): void {
    const hit = isBytes(publicKey) ? validPublic.get(publicKey) : undefined;
    if (hit && hit.curve === curve && hit.copy.equals(publicKey)) return;
    _wPublic(spec, publicKey);
    validPublic.set(publicKey, { copy: Buffer.from(publicKey), curve });
  }
  const group: DhGroup<DhGroupId> = {
    id,
    secretKeyLength: size,
    publicKeyLength: 1 + 2 * size,
    sharedSecretLength: size,
    randomSecretKey: () => _wRandom(spec),
    getPublicKey(secretKey: Uint8Array): Uint8Array {
      return u8(ecdhFor(secretKey).getPublicKey(null, 'uncompressed') as Buffer);
    },
    getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
      const ecdh = ecdhFor(secretKey);
      checkPublic(publicKey); // same validation as the portable path (OpenSSL validates again)
      let out: Buffer;
      try {
        out = ecdh.computeSecret(publicKey);
      } catch (e) {
        throw new KeyError(`${id} public key rejected`, { cause: e });
      }
      return u8(out);
    },
    ..._wValidity(spec),
  };
  return Object.freeze(group);
}

// RFC 8410 PKCS#8 PrivateKeyInfo DER prefixes (fallback import) and RFC 8037 curve names for X25519 (1.3.101.110) / X448 (.111).
const DER = Object.freeze({
  x25519: {
    size: 32,
    crv: 'X25519',
    pkcs8: Uint8Array.from(Buffer.from('302e020100300506032b656e04220420', 'hex')),
  },
  x448: {
    size: 56,
    crv: 'X448',
    pkcs8: Uint8Array.from(Buffer.from('3046020100300506032b656f043a0438', 'hex')),
  },
});

const b64u = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');

/**
 * Private KeyObjects per secret-key array (weakly: entries die with the array). An entry is used only while the
 * array's contents still equal the copy taken when it was created (constant-time compare), so a caller that
 * mutates or reuses its array never gets a stale key. `pub` is the raw public key when known (keys we generated,
 * or computed once by `getPublicKey`). The copy holds no more than the KeyObject itself already does.
 */
const keyCache = new WeakMap<Uint8Array, { copy: Buffer; id: string; key: KeyObject; pub: Uint8Array | undefined }>();
/** Public KeyObjects per public-key array, same content check (public data: a plain compare suffices). */
const pubCache = new WeakMap<Uint8Array, { copy: Buffer; id: string; key: KeyObject }>();

/**
 * Whether OpenSSL's JWK import of an OKP private key uses only `d` (it recomputes the public key, ignoring `x`):
 * checked once per group on a freshly generated key. When true, secret keys are imported via JWK (one scalar
 * multiplication, ~10× faster than the PKCS#8 DER parser); otherwise the DER path is used. @internal
 */
export const _jwkDOnly = new Map<string, boolean>(); // tests force the DER fallback through it
function probeJwk(id: 'x25519' | 'x448', crv: string, size: number): boolean {
  let ok = _jwkDOnly.get(id);
  if (ok === undefined) {
    try {
      const { privateKey, publicKey } = generateKeyPairSync(id as 'x25519');
      const jwk = privateKey.export({ format: 'jwk' });
      const imported = createPrivateKey({ key: { kty: 'OKP', crv, d: jwk.d!, x: b64u(new Uint8Array(size)) }, format: 'jwk' });
      ok = createPublicKey(imported).export({ format: 'jwk' }).x === publicKey.export({ format: 'jwk' }).x;
    } catch {
      ok = false;
    }
    _jwkDOnly.set(id, ok);
  }
  return ok;
}

function montgomeryGroup(id: 'x25519' | 'x448'): DhGroup<DhGroupId> {
  const { size, crv, pkcs8 } = DER[id];
  const placeholderX = b64u(new Uint8Array(size));
  const importPrivate = (sk: Uint8Array): KeyObject => {
    if (probeJwk(id, crv, size)) {
      return createPrivateKey({ key: { kty: 'OKP', crv, d: b64u(sk), x: placeholderX }, format: 'jwk' });
    }
    const der = Buffer.concat([pkcs8, sk]);
    try {
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } finally {
      der.fill(0);
    }
  };
  const entryFor = (sk: Uint8Array) => {
    abytes(sk, size, 'secretKey');
    const hit = keyCache.get(sk);
    if (hit && hit.id === id && timingSafeEqual(hit.copy, sk)) return hit;
    if (hit) hit.copy.fill(0);
    const entry = { copy: Buffer.from(sk), id, key: importPrivate(sk), pub: undefined as Uint8Array | undefined };
    keyCache.set(sk, entry);
    return entry;
  };
  const publicKey = (pk: Uint8Array): KeyObject => {
    abytes(pk, size, 'publicKey');
    const hit = pubCache.get(pk);
    if (hit && hit.id === id && hit.copy.equals(pk)) return hit.key;
    let key: KeyObject;
    try {
      key = createPublicKey({ key: { kty: 'OKP', crv, x: b64u(pk) }, format: 'jwk' });
    } catch (e) {
      throw new KeyError(`${id} public key rejected`, { cause: e });
    }
    pubCache.set(pk, { copy: Buffer.from(pk), id, key });
    return key;
  };
  const probe = new Uint8Array(size).fill(0x55);
  const shared = (sk: Uint8Array, pk: Uint8Array): Uint8Array => {
    const priv = entryFor(sk).key;
    const pub = publicKey(pk);
    let out: Buffer;
    try {
      out = diffieHellman({ privateKey: priv, publicKey: pub });
    } catch (e) {
      // OpenSSL refuses an all-zero X25519/X448 result itself (RFC 7748 §6.1): same error as the portable path
      throw new KeyError(`${id} shared secret is all-zero (small-order public key)`, { cause: e });
    }
    return _mCheckShared(id, u8(out));
  };
  return Object.freeze({
    id,
    secretKeyLength: size,
    publicKeyLength: size,
    sharedSecretLength: size,
    /** Generated natively (OpenSSL keygen: the secret key comes back clamped, RFC 7748 §5) and cached with its public key. */
    randomSecretKey(): Uint8Array {
      const { privateKey } = generateKeyPairSync(id as 'x25519');
      // JWK export: OpenSSL's DER encoders cost ~20× more. (The base64url `d` string cannot be wiped; it is
      // unreachable after this call.)
      const jwk = privateKey.export({ format: 'jwk' });
      const copy = Buffer.from(jwk.d!, 'base64url');
      const sk = new Uint8Array(copy);
      const pub = new Uint8Array(Buffer.from(jwk.x!, 'base64url'));
      keyCache.set(sk, { copy, id, key: privateKey, pub });
      return sk;
    },
    getPublicKey(secretKey: Uint8Array): Uint8Array {
      const e = entryFor(secretKey);
      e.pub ??= new Uint8Array(Buffer.from(createPublicKey(e.key).export({ format: 'jwk' }).x!, 'base64url'));
      return e.pub.slice();
    },
    getSharedSecret: shared,
    isValidPublicKey(pk: Uint8Array): boolean {
      if (!isBytes(pk) || pk.length !== size) return false;
      try {
        shared(probe, pk);
        return true;
      } catch {
        return false;
      }
    },
    isValidSecretKey(secretKey: Uint8Array): boolean {
      return isBytes(secretKey) && secretKey.length === size;
    },
  });
}

/**
 * Capability probe, once per curve: OpenSSL builds differ in what `createECDH` computes (OpenSSL 3.5, in Node 24,
 * refuses ECDH on the SM2 curve; Bun and Deno lack some curves). A curve whose native exchange fails or disagrees
 * between the two sides uses the portable group instead, with the same contract and validation. @internal
 */
function nativeEcdhWorks(curve: string): boolean {
  try {
    const a = createECDH(curve);
    const b = createECDH(curve);
    a.generateKeys();
    b.generateKeys();
    const ab = a.computeSecret(b.getPublicKey());
    const ba = b.computeSecret(a.getPublicKey());
    return ab.length > 0 && timingSafeEqual(ab, ba);
  } catch {
    return false;
  }
}

/**
 * The native Weierstrass group when this runtime's OpenSSL computes ECDH on the curve (probed on first use, see
 * {@link nativeEcdhWorks}), else the portable group: same id, sizes and contract either way.
 */
function nativeOrPortable(spec: _WeierstrassDhSpec, portable: DhGroup<DhGroupId>): DhGroup<DhGroupId> {
  let g: DhGroup<DhGroupId> | undefined;
  const get = () => (g ??= nativeEcdhWorks(OPENSSL_CURVE[spec.id as keyof typeof OPENSSL_CURVE]) ? weierstrassGroup(spec as never) : portable);
  return Object.freeze({
    id: portable.id,
    secretKeyLength: portable.secretKeyLength,
    publicKeyLength: portable.publicKeyLength,
    sharedSecretLength: portable.sharedSecretLength,
    randomSecretKey: () => get().randomSecretKey(),
    getPublicKey: (secretKey: Uint8Array) => get().getPublicKey(secretKey),
    getSharedSecret: (secretKey: Uint8Array, publicKey: Uint8Array) => get().getSharedSecret(secretKey, publicKey),
    isValidPublicKey: (publicKey: Uint8Array) => get().isValidPublicKey(publicKey),
    isValidSecretKey: (secretKey: Uint8Array) => get().isValidSecretKey(secretKey),
  });
}

/** NIST P-256 ECDH on `node:crypto` (portable where OpenSSL lacks it). */
export const p256Group: DhGroup<DhGroupId> = /* @__PURE__ */ nativeOrPortable(_P256_SPEC, portableP256);
/** NIST P-384 ECDH on `node:crypto`. */
export const p384Group: DhGroup<DhGroupId> = /* @__PURE__ */ nativeOrPortable(_P384_SPEC, portableP384);
/** NIST P-521 ECDH on `node:crypto`. */
export const p521Group: DhGroup<DhGroupId> = /* @__PURE__ */ nativeOrPortable(_P521_SPEC, portableP521);
/** secp256k1 ECDH on `node:crypto` (portable where OpenSSL lacks it). */
export const secp256k1Group: DhGroup<DhGroupId> = /* @__PURE__ */ nativeOrPortable(_SECP256K1_SPEC, portableSecp256k1);
/** SM2 ECDH on `node:crypto` (portable on OpenSSL 3.5, which refuses ECDH on the SM2 curve). */
export const sm2Group: DhGroup<DhGroupId> = /* @__PURE__ */ nativeOrPortable(_SM2_SPEC, portableSm2);
/** X25519 on `node:crypto`. */
export const x25519Group: DhGroup<DhGroupId> = /* @__PURE__ */ montgomeryGroup('x25519');
/** X448 on `node:crypto`. */
export const x448Group: DhGroup<DhGroupId> = /* @__PURE__ */ montgomeryGroup('x448');

/**
 * Returns the Diffie–Hellman group `id`, computed by `node:crypto` (the Node entry's `getDhGroup`). Same
 * contract and validation as the portable version; groups are frozen and created once.
 * @param id - `p256 | p384 | p521 | x25519 | x448 | secp256k1 | sm2`
 * @returns the {@link DhGroup}
 * @throws {InputError} `INVALID_TYPE` for a non-string id
 * @throws {UnsupportedError} `UNSUPPORTED` for an unknown id
 * @example
 * ```ts
 * const g = getDhGroup('p256');
 * const ss = g.getSharedSecret(mySecretKey, peerPublicKey); // 32-byte x-coordinate
 * ```
 */
export const getDhGroup: (id: DhGroupId) => DhGroup<DhGroupId> = /* @__PURE__ */ _dhRegistry([p256Group, p384Group, p521Group, secp256k1Group, sm2Group, x25519Group, x448Group]);
