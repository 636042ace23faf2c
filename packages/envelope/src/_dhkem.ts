/**
 * The generic DHKEM of RFC 9180 §4.1 over any {@link DhGroup}, with DeriveKeyPair per §7.1.3. Internal factory
 * used by the KEM registry in `kem.ts`.
 * @module
 */
import { abytes, equalBytes, KeyError } from '@privkit/core';
import type { DhGroup as CoreDhGroup, HashId } from './_core.js';

/** Any DH group of the core contract (curves and Chebyshev groups). */
export type DhGroup = Omit<CoreDhGroup, 'id'> & { readonly id: string };
import { ascii, concat, EMPTY, labeledExpand, labeledExtract } from './_labeled.js';
import { OpenError } from './errors.js';

/** A serialized key pair (RFC 9180 §7.1.1 `SerializePrivateKey` / `SerializePublicKey`). */
export interface KeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** The byte lengths of a KEM: `Nsecret`, `Nenc`, `Npk`, `Nsk` of RFC 9180 §7.1. */
export interface KemLengths {
  readonly sharedSecret: number;
  readonly enc: number;
  readonly publicKey: number;
  readonly secretKey: number;
}

/** A KEM as used by HPKE (RFC 9180 §4): one shape for every KEM. */
export interface Kem {
  /** The 2-byte KEM identifier (RFC 9180 §7.1, or a documented PrivKit private id). */
  readonly id: number;
  /** Human-readable name, e.g. `DHKEM(X25519, HKDF-SHA256)`. */
  readonly name: string;
  readonly lengths: KemLengths;
  /** Whether AuthEncap/AuthDecap are supported (true for every DHKEM). */
  readonly auth: boolean;
  /** A fresh random key pair, serialized. */
  generateKeyPair(): KeyPair;
  /** The key pair deterministically derived from `ikm` (RFC 9180 §7.1.3); `ikm` should have ≥ Nsk bytes of entropy. */
  deriveKeyPair(ikm: Uint8Array): KeyPair;
  /** The serialized public key of a serialized secret key. */
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  /** `Encap(pkR)`; `ikmE` fixes the ephemeral key (test vectors only). */
  encap(publicKey: Uint8Array, ikmE?: Uint8Array): { sharedSecret: Uint8Array; enc: Uint8Array };
  /** `Decap(enc, skR)`; throws the generic {@link OpenError} on any failure. */
  decap(enc: Uint8Array, secretKey: Uint8Array): Uint8Array;
  /** `AuthEncap(pkR, skS)`. */
  authEncap(publicKey: Uint8Array, senderSecretKey: Uint8Array, ikmE?: Uint8Array): { sharedSecret: Uint8Array; enc: Uint8Array };
  /** `AuthDecap(enc, skR, pkS)`; throws the generic {@link OpenError} on any failure. */
  authDecap(enc: Uint8Array, secretKey: Uint8Array, senderPublicKey: Uint8Array): Uint8Array;
}

/** Parameters of one DHKEM instance. */
export interface DhKemParams {
  readonly id: number;
  readonly name: string;
  readonly group: () => DhGroup;
  readonly hash: HashId;
  readonly Nsecret: number;
  /** `x` = X25519/X448-style derivation (`sk = LabeledExpand(dkp_prk, "sk")`); else the bitmask of the
   *  rejection-sampling derivation for prime-order groups. */
  readonly derive: 'x' | { readonly bitmask: number };
}

const L_EAE_PRK = ascii('eae_prk');
const L_SHARED = ascii('shared_secret');
const L_DKP_PRK = ascii('dkp_prk');
const L_SK = ascii('sk');
const L_CANDIDATE = ascii('candidate');

/** Builds the DHKEM of RFC 9180 §4.1 for `p`. The group is resolved lazily (no work at import). */
export function dhkem(p: DhKemParams): Kem {
  const suiteId = concat([ascii('KEM'), new Uint8Array([p.id >>> 8, p.id & 0xff])]);
  let g: DhGroup | undefined;
  const G = (): DhGroup => (g ??= p.group());

  const extractAndExpand = (dh: Uint8Array, kemContext: Uint8Array): Uint8Array => {
    const prk = labeledExtract(p.hash, suiteId, EMPTY, L_EAE_PRK, dh);
    return labeledExpand(p.hash, suiteId, prk, L_SHARED, kemContext, p.Nsecret);
  };
  /** Length check only when `full` is false: getSharedSecret validates the point itself (core contract). */
  const checkPk = (pk: Uint8Array, title: string, full = true): Uint8Array => {
    abytes(pk, undefined, title);
    if (pk.length !== G().publicKeyLength || (full && !G().isValidPublicKey(pk))) {
      throw new KeyError(`"${title}" is not a valid ${p.name} public key`);
    }
    return pk;
  };
  const checkSk = (sk: Uint8Array, title: string): Uint8Array => {
    abytes(sk, undefined, title);
    if (sk.length !== G().secretKeyLength || !G().isValidSecretKey(sk)) {
      throw new KeyError(`"${title}" is not a valid ${p.name} secret key`);
    }
    return sk;
  };
  const deriveKeyPair = (ikm: Uint8Array): KeyPair => {
    abytes(ikm, undefined, 'ikm');
    const grp = G();
    const prk = labeledExtract(p.hash, suiteId, EMPTY, L_DKP_PRK, ikm);
    if (p.derive === 'x') {
      const sk = labeledExpand(p.hash, suiteId, prk, L_SK, EMPTY, grp.secretKeyLength);
      return { secretKey: sk, publicKey: grp.getPublicKey(sk) };
    }
    for (let counter = 0; counter < 256; counter++) {
      const bytes = labeledExpand(p.hash, suiteId, prk, L_CANDIDATE, new Uint8Array([counter]), grp.secretKeyLength);
      bytes[0]! &= p.derive.bitmask;
      if (grp.isValidSecretKey(bytes)) return { secretKey: bytes, publicKey: grp.getPublicKey(bytes) };
    }
    throw new KeyError('DeriveKeyPairError: no valid candidate');
  };
  // pk(skR) memo for recipients that reuse the same key object: keyed by the caller's Uint8Array, and only used
  // while its contents still equal the copy taken then (constant-time compare), so mutation cannot confuse it.
  const pkMemo = new WeakMap<Uint8Array, { copy: Uint8Array; pk: Uint8Array }>();
  const ownPublicKey = (sk: Uint8Array): Uint8Array => {
    const m = pkMemo.get(sk);
    if (m && equalBytes(m.copy, sk)) return m.pk;
    const pk = G().getPublicKey(sk);
    pkMemo.set(sk, { copy: sk.slice(), pk });
    return pk;
  };
  const ephemeral = (ikmE?: Uint8Array): KeyPair => {
    if (ikmE !== undefined) return deriveKeyPair(abytes(ikmE, undefined, 'ikmE'));
    const sk = G().randomSecretKey();
    return { secretKey: sk, publicKey: G().getPublicKey(sk) };
  };
  const dhOrOpen = (sk: Uint8Array, pk: Uint8Array): Uint8Array => {
    try {
      return G().getSharedSecret(sk, pk);
    } catch {
      throw new OpenError();
    }
  };

  return Object.freeze({
    id: p.id,
    name: p.name,
    get lengths(): KemLengths {
      const grp = G();
      return Object.freeze({ sharedSecret: p.Nsecret, enc: grp.publicKeyLength, publicKey: grp.publicKeyLength, secretKey: grp.secretKeyLength });
    },
    auth: true,
    generateKeyPair(): KeyPair {
      const sk = G().randomSecretKey();
      return { secretKey: sk, publicKey: G().getPublicKey(sk) };
    },
    deriveKeyPair,
    getPublicKey(sk: Uint8Array): Uint8Array {
      return ownPublicKey(checkSk(sk, 'secretKey')).slice();
    },
    encap(pkR: Uint8Array, ikmE?: Uint8Array) {
      checkPk(pkR, 'publicKey', false);
      const e = ephemeral(ikmE);
      const dh = G().getSharedSecret(e.secretKey, pkR);
      const enc = e.publicKey;
      return { sharedSecret: extractAndExpand(dh, concat([enc, pkR])), enc };
    },
    decap(enc: Uint8Array, skR: Uint8Array): Uint8Array {
      checkSk(skR, 'secretKey');
      if (abytes(enc, undefined, 'enc').length !== G().publicKeyLength) throw new OpenError();
      const dh = dhOrOpen(skR, enc);
      return extractAndExpand(dh, concat([enc, ownPublicKey(skR)]));
    },
    authEncap(pkR: Uint8Array, skS: Uint8Array, ikmE?: Uint8Array) {
      checkPk(pkR, 'publicKey', false);
      checkSk(skS, 'senderSecretKey');
      const e = ephemeral(ikmE);
      const dh = concat([G().getSharedSecret(e.secretKey, pkR), G().getSharedSecret(skS, pkR)]);
      const enc = e.publicKey;
      return { sharedSecret: extractAndExpand(dh, concat([enc, pkR, ownPublicKey(skS)])), enc };
    },
    authDecap(enc: Uint8Array, skR: Uint8Array, pkS: Uint8Array): Uint8Array {
      checkSk(skR, 'secretKey');
      checkPk(pkS, 'senderPublicKey');
      if (abytes(enc, undefined, 'enc').length !== G().publicKeyLength) throw new OpenError();
      const dh = concat([dhOrOpen(skR, enc), dhOrOpen(skR, pkS)]);
      return extractAndExpand(dh, concat([enc, ownPublicKey(skR), pkS]));
    },
  });
}
