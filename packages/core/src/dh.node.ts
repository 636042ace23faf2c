/**
 * Node fast path of {@link getDhGroup}: the same {@link DhGroup} objects, computed by `node:crypto` (OpenSSL).
 * Weierstrass groups use `createECDH(curve)` with raw keys; X25519/X448 use `diffieHellman` on KeyObjects built
 * from raw keys (PKCS#8 / SPKI DER wrappers of RFC 8410). Inputs are validated by the same code as the portable
 * path before they reach OpenSSL, so both paths accept and reject exactly the same keys.
 * @module
 */
import { createECDH, createHmac, createPrivateKey, createPublicKey, diffieHellman, randomBytes as nodeRandomBytes, timingSafeEqual, type ECDH, type KeyObject } from 'node:crypto';
import {
  DH_GROUP_IDS,
  _W_SPECS,
  _mCheckShared,
  _wPublic,
  _wRandom,
  _wSecret,
  type DhGroup,
  type DhGroupId,
  type _WeierstrassDhSpec,
} from './dh.js';
import { randomBytes } from './bytes.js';
import { KeyError } from './errors.js';
import { abytes, isBytes } from './validate.js';
import { _lookupId } from './hash.js';

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
 * (weakly: entries die with the array) and checked against a keyed HMAC-SHA-256 tag of the array's current contents,
 * so a static key used repeatedly (a KEM recipient) costs one multiplication per exchange. Tag key random per process.
 */
const ecdhCache = new WeakMap<Uint8Array, { tag: Buffer; curve: string; ecdh: ECDH }>();
let tagKey: Buffer | undefined;

function weierstrassGroup(spec: _WeierstrassDhSpec & { id: keyof typeof OPENSSL_CURVE }): DhGroup<DhGroupId> {
  const { id, size } = spec;
  const curve = OPENSSL_CURVE[id];
  function ecdhFor(secretKey: Uint8Array): ECDH {
    _wSecret(spec, secretKey);
    tagKey ??= nodeRandomBytes(32);
    const tag = createHmac('sha256', tagKey).update(secretKey).digest();
    const hit = ecdhCache.get(secretKey);
    if (hit && hit.curve === curve && timingSafeEqual(hit.tag, tag)) return hit.ecdh;
    const ecdh = createECDH(curve);
    try {
      ecdh.setPrivateKey(secretKey);
    } catch (e) {
      throw new KeyError(`${id} secret key rejected`, { cause: e });
    }
    ecdhCache.set(secretKey, { tag, curve, ecdh });
    return ecdh;
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
      _wPublic(spec, publicKey); // same validation as the portable path (OpenSSL validates again)
      let out: Buffer;
      try {
        out = ecdh.computeSecret(publicKey);
      } catch (e) {
        throw new KeyError(`${id} public key rejected`, { cause: e });
      }
      return u8(out);
    },
    isValidPublicKey(publicKey: Uint8Array): boolean {
      try {
        _wPublic(spec, publicKey);
        return true;
      } catch {
        return false;
      }
    },
    isValidSecretKey(secretKey: Uint8Array): boolean {
      try {
        _wSecret(spec, secretKey);
        return true;
      } catch {
        return false;
      }
    },
  };
  return Object.freeze(group);
}

// RFC 8410 DER prefixes: PKCS#8 PrivateKeyInfo and SubjectPublicKeyInfo for X25519 (1.3.101.110) / X448 (.111).
const DER = Object.freeze({
  x25519: {
    size: 32,
    pkcs8: Uint8Array.from(Buffer.from('302e020100300506032b656e04220420', 'hex')),
    spki: Uint8Array.from(Buffer.from('302a300506032b656e032100', 'hex')),
  },
  x448: {
    size: 56,
    pkcs8: Uint8Array.from(Buffer.from('3046020100300506032b656f043a0438', 'hex')),
    spki: Uint8Array.from(Buffer.from('3042300506032b656f033900', 'hex')),
  },
});

/** Private KeyObjects per secret-key array, same scheme as the ECDH cache above. */
const keyCache = new WeakMap<Uint8Array, { tag: Buffer; id: string; key: KeyObject }>();

function montgomeryGroup(id: 'x25519' | 'x448'): DhGroup<DhGroupId> {
  const { size, pkcs8, spki } = DER[id];
  const privateKey = (sk: Uint8Array): KeyObject => {
    abytes(sk, size, 'secretKey');
    tagKey ??= nodeRandomBytes(32);
    const tag = createHmac('sha256', tagKey).update(sk).digest();
    const hit = keyCache.get(sk);
    if (hit && hit.id === id && timingSafeEqual(hit.tag, tag)) return hit.key;
    const der = Buffer.concat([pkcs8, sk]);
    try {
      const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      keyCache.set(sk, { tag, id, key });
      return key;
    } finally {
      der.fill(0);
    }
  };
  const publicKey = (pk: Uint8Array): KeyObject => {
    abytes(pk, size, 'publicKey');
    try {
      return createPublicKey({ key: Buffer.concat([spki, pk]), format: 'der', type: 'spki' });
    } catch (e) {
      throw new KeyError(`${id} public key rejected`, { cause: e });
    }
  };
  const probe = new Uint8Array(size).fill(0x55);
  const shared = (sk: Uint8Array, pk: Uint8Array): Uint8Array => {
    const priv = privateKey(sk);
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
    randomSecretKey: () => randomBytes(size),
    getPublicKey(secretKey: Uint8Array): Uint8Array {
      const der = createPublicKey(privateKey(secretKey)).export({ format: 'der', type: 'spki' });
      return new Uint8Array(der.subarray(spki.length));
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

const cache = new Map<DhGroupId, DhGroup<DhGroupId>>();

/**
 * Returns the Diffie–Hellman group `id`, computed by `node:crypto` (the Node entry's `getDhGroup`). Same
 * contract and validation as the portable version; groups are frozen and created once, on first use.
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
export function getDhGroup(id: DhGroupId): DhGroup<DhGroupId> {
  const gid = _lookupId(id, DH_GROUP_IDS, 'groupId');
  let g = cache.get(gid);
  if (!g) {
    g = gid === 'x25519' || gid === 'x448' ? montgomeryGroup(gid) : weierstrassGroup(_W_SPECS[gid] as never);
    cache.set(gid, g);
  }
  return g;
}
