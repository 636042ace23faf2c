/**
 * TPM2_MakeCredential on the verifier side, in TypeScript (TPM 2.0 Library Part 1 §24 "Credential Protection",
 * Part 3 §12.6, Part 1 §11.4.9.2 KDFa and §11.4.10.3 KDFe): binds a credential (e.g. a secret the verifier later
 * checks) to an AK name so that only the TPM holding the EK can recover it with TPM2_ActivateCredential, and only if
 * the AK with that name is loaded in the same TPM.
 *
 * - seed: RSA EK — a random digest-sized seed encrypted with RSA-OAEP (EK nameAlg, label "IDENTITY\0"); ECC EK —
 *   an ephemeral ECDH with the EK, seed = KDFe(nameAlg, Z, "IDENTITY", Qe.x, Qek.x), secret = TPMS_ECC_POINT(Qe).
 * - symKey = KDFa(nameAlg, seed, "STORAGE", akName, ∅, EK symmetric key bits);
 *   encIdentity = AES-CFB(symKey, IV = 0, TPM2B_DIGEST(credential)).
 * - hmacKey = KDFa(nameAlg, seed, "INTEGRITY", ∅, ∅, digest bits); integrity = HMAC(hmacKey, encIdentity ‖ akName).
 * - credentialBlob (TPM2B_ID_OBJECT contents) = TPM2B_DIGEST(integrity) ‖ encIdentity.
 * @module
 */
import { constants, createCipheriv, createPublicKey, publicEncrypt } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { p256 } from '@noble/curves/nist.js';
import { abytes, abytesRange, aobject, concatBytes, InputError, randomBytes, u16BE, utf8ToBytes } from '@privkit/core';
import { hashFn, hashLen, Reader, TPM_ALG, Writer, type TpmHashId } from '../_tpm.js';
import { parseAkPublicKey } from '../akPublic.js';
import { TpmEncodingError } from '../errors.js';

function u32(v: number): Uint8Array {
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}
function label(s: string): Uint8Array {
  return concatBytes(utf8ToBytes(s), Uint8Array.of(0));
}

/**
 * KDFa (TPM 2.0 Library Part 1 §11.4.10.2, SP 800-108 counter mode with HMAC):
 * `HMAC(key, [i]₃₂ ‖ label ‖ 0x00 ‖ contextU ‖ contextV ‖ [bits]₃₂)` for i = 1, 2, …, truncated to `bits`.
 * @param hash - the hash id
 * @param key - the HMAC key
 * @param use - the label without its NUL terminator (e.g. `STORAGE`)
 * @param contextU - context U
 * @param contextV - context V
 * @param bits - output bits (multiple of 8)
 * @returns bits / 8 bytes
 * @throws {InputError} on bad arguments
 * @example
 * ```ts
 * const symKey = kdfa('sha256', seed, 'STORAGE', akName, new Uint8Array(0), 128);
 * ```
 */
export function kdfa(hash: TpmHashId, key: Uint8Array, use: string, contextU: Uint8Array, contextV: Uint8Array, bits: number): Uint8Array {
  if (!Number.isSafeInteger(bits) || bits <= 0 || bits % 8 !== 0 || bits > 8192) throw new InputError('"bits" expected a multiple of 8 in 8..8192', { code: 'INVALID_VALUE' });
  const h = hashFn(hash);
  const fixed = concatBytes(label(use), contextU, contextV, u32(bits));
  const out: Uint8Array[] = [];
  for (let i = 1, n = 0; n < bits / 8; i++) {
    const block = hmac(h, key, concatBytes(u32(i), fixed));
    out.push(block);
    n += block.length;
  }
  return concatBytes(...out).slice(0, bits / 8);
}

/**
 * KDFe (TPM 2.0 Library Part 1 §11.4.10.3, SP 800-56A §5.8.1 one-step KDF):
 * `H([i]₃₂ ‖ Z ‖ label ‖ 0x00 ‖ partyUInfo ‖ partyVInfo)` for i = 1, 2, …, truncated to `bits`.
 * @param hash - the hash id
 * @param z - the shared secret (x-coordinate)
 * @param use - the label without its NUL terminator (e.g. `IDENTITY`)
 * @param partyU - party U info (the ephemeral key's x-coordinate)
 * @param partyV - party V info (the static key's x-coordinate)
 * @param bits - output bits (multiple of 8)
 * @returns bits / 8 bytes
 * @throws {InputError} on bad arguments
 * @example
 * ```ts
 * const seed = kdfe('sha256', z, 'IDENTITY', qe.x, qek.x, 256);
 * ```
 */
export function kdfe(hash: TpmHashId, z: Uint8Array, use: string, partyU: Uint8Array, partyV: Uint8Array, bits: number): Uint8Array {
  if (!Number.isSafeInteger(bits) || bits <= 0 || bits % 8 !== 0 || bits > 8192) throw new InputError('"bits" expected a multiple of 8 in 8..8192', { code: 'INVALID_VALUE' });
  const h = hashFn(hash);
  const out: Uint8Array[] = [];
  for (let i = 1, n = 0; n < bits / 8; i++) {
    const block = h(concatBytes(u32(i), z, label(use), partyU, partyV));
    out.push(block);
    n += block.length;
  }
  return concatBytes(...out).slice(0, bits / 8);
}

/** Input of {@link makeCredential}. */
export interface MakeCredentialInput {
  /** The EK's public area: TPMT_PUBLIC or TPM2B_PUBLIC (e.g. `tpm2_createek -u`), RSA or ECC P-256. */
  ekPublic: Uint8Array;
  /** The AK's TPM name (nameAlg ‖ H(TPMT_PUBLIC)) the credential is bound to. */
  akName: Uint8Array;
  /** The credential, at most the EK nameAlg's digest length (32 bytes for SHA-256). */
  credential: Uint8Array;
}

/** Output of {@link makeCredential}: the contents of TPM2B_ID_OBJECT and TPM2B_ENCRYPTED_SECRET. */
export interface Credential {
  readonly credentialBlob: Uint8Array;
  readonly secret: Uint8Array;
}

/** The EK's symmetric definition (keyBits, AES-CFB required) read from its TPMT_PUBLIC. */
function ekSymmetricBits(tpmt: Uint8Array): number {
  const r = new Reader(tpmt, 'EK TPMT_PUBLIC');
  r.u16('type');
  r.u16('nameAlg');
  const attrs = r.u32('objectAttributes');
  r.tpm2b('authPolicy', 64);
  const alg = r.u16('symmetric.algorithm');
  const bits = alg === TPM_ALG.NULL ? 0 : r.u16('symmetric.keyBits');
  const mode = alg === TPM_ALG.NULL ? 0 : r.u16('symmetric.mode');
  // restricted (bit 16) and decrypt (bit 17): a storage key; AES (0x0006) in CFB mode (0x0043), 128 or 256 bits.
  if ((attrs & 0x30000) !== 0x30000 || alg !== 0x0006 || mode !== 0x0043 || (bits !== 128 && bits !== 256)) {
    throw new InputError('"ekPublic" expected a restricted decryption key with AES-CFB (an EK)', { code: 'INVALID_VALUE' });
  }
  return bits;
}

function b64url(b: Uint8Array): string {
  return Buffer.from(b).toString('base64url');
}

/**
 * TPM2_MakeCredential in software (TPM 2.0 Library Part 1 §24; Part 3 §12.6): what a verifier sends a device so it
 * proves, with TPM2_ActivateCredential, that the AK named `akName` lives in the TPM holding the EK.
 * @param input - `{ekPublic, akName, credential}`
 * @returns `{credentialBlob, secret}`: the contents of TPM2B_ID_OBJECT and TPM2B_ENCRYPTED_SECRET
 * @throws {InputError} on bad arguments or a key that is not an EK-like storage key; {TpmEncodingError} on a
 *   malformed or unsupported EK public area
 * @example
 * ```ts
 * const secret = randomBytes(32);
 * const { credentialBlob, secret: encSecret } = makeCredential({ ekPublic, akName: ak.name, credential: secret });
 * // device: tpm.activateCredential({ key: ak, ek, credentialBlob, secret: encSecret }) equals `secret`
 * ```
 */
export function makeCredential(input: MakeCredentialInput): Credential {
  const i = aobject<MakeCredentialInput>(input, 'input', false)!;
  abytes(i.ekPublic, undefined, 'ekPublic');
  const akName = abytesRange(i.akName, 4, 2 + 64, 'akName');
  const ek = parseAkPublicKey(i.ekPublic);
  const tpmt = ek.tpmtPublic;
  if (!tpmt || !ek.nameAlg) throw new InputError('"ekPublic" expected a TPMT_PUBLIC or TPM2B_PUBLIC', { code: 'INVALID_VALUE' });
  const symBits = ekSymmetricBits(tpmt);
  const nameAlg = ek.nameAlg;
  const dLen = hashLen(nameAlg);
  const credential = abytesRange(i.credential, 1, dLen, 'credential');
  let seed: Uint8Array;
  let secret: Uint8Array;
  if (ek.type === 'rsa') {
    seed = randomBytes(dLen);
    const key = createPublicKey({ key: { kty: 'RSA', n: b64url(ek.key), e: b64url(bigintBytes(ek.exponent)) }, format: 'jwk' });
    secret = Uint8Array.from(publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: nameAlg === 'sha1' ? 'sha1' : nameAlg, oaepLabel: Buffer.from(label('IDENTITY')) }, seed));
  } else if (ek.type === 'p256') {
    const qek = ek.key; // 04 ‖ x ‖ y
    const e = p256.utils.randomSecretKey();
    const qe = p256.getPublicKey(e, false);
    const z = p256.getSharedSecret(e, qek, true).subarray(1);
    seed = kdfe(nameAlg, z, 'IDENTITY', qe.subarray(1, 33), qek.subarray(1, 33), dLen * 8);
    secret = new Writer().tpm2b(qe.subarray(1, 33)).tpm2b(qe.subarray(33)).finish();
  } else {
    throw new TpmEncodingError(`EK type ${ek.type} is not supported (RSA or ECC P-256)`, { code: 'TPM_UNSUPPORTED_ALG' });
  }
  const symKey = kdfa(nameAlg, seed, 'STORAGE', akName, new Uint8Array(0), symBits);
  const c = createCipheriv(symBits === 128 ? 'aes-128-cfb' : 'aes-256-cfb', symKey, new Uint8Array(16));
  const encIdentity = Uint8Array.from(Buffer.concat([c.update(concatBytes(u16BE(credential.length), credential)), c.final()]));
  const hmacKey = kdfa(nameAlg, seed, 'INTEGRITY', new Uint8Array(0), new Uint8Array(0), dLen * 8);
  const integrity = hmac(hashFn(nameAlg), hmacKey, concatBytes(encIdentity, akName));
  seed.fill(0);
  symKey.fill(0);
  hmacKey.fill(0);
  return Object.freeze({ credentialBlob: concatBytes(u16BE(integrity.length), integrity, encIdentity), secret });
}

function bigintBytes(v: bigint): Uint8Array {
  const hex = v.toString(16);
  return Uint8Array.from(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
}
