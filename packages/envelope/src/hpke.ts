/**
 * HPKE, RFC 9180: modes base / psk / auth / auth_psk, the context API of §5 (sequence numbers, §5.2 overflow
 * rule, §5.3 secret export) and the single-shot API of §6, over every KEM/KDF/AEAD registered in `suites.ts`.
 * @module
 */
import { abytes, InputError, isBytes, KeyError, UnsupportedError } from '@privkit/core';
import { ascii, concat, EMPTY, labeledExpand, labeledExtract } from './_labeled.js';
import type { Kem, KeyPair } from './_dhkem.js';
import { getAeadById, getKdf, getKem, type HpkeAead, type HpkeKdf } from './suites.js';
import { OpenError } from './errors.js';
import { makeContext, type Context, type Role } from './_context.js';
import { defineSuite } from './_suite.js';

/** HPKE modes (RFC 9180 §5, Table 1). */
export const MODE = Object.freeze({ base: 0x00, psk: 0x01, auth: 0x02, authPsk: 0x03 } as const);
/** An HPKE mode value. */
export type Mode = (typeof MODE)[keyof typeof MODE];

/** A ciphersuite: one KEM, one KDF, one AEAD (RFC 9180 §5.1 `suite_id`). */
export interface Suite {
  readonly kem: Kem;
  readonly kdf: HpkeKdf;
  readonly aead: HpkeAead;
  /** `"HPKE" ‖ I2OSP(kem_id, 2) ‖ I2OSP(kdf_id, 2) ‖ I2OSP(aead_id, 2)` */
  readonly id: Uint8Array;
}

/**
 * The HPKE ciphersuite `(kemId, kdfId, aeadId)` (RFC 9180 §7 identifiers; PrivKit private ids in FORMAT.md).
 * Looks every identifier up, so a bundle that calls it keeps every algorithm; import a named suite constant
 * (e.g. `X25519_SHA256_AES_256_GCM`) to keep only one.
 * @param kemId - e.g. `0x0020` for DHKEM(X25519, HKDF-SHA256)
 * @param kdfId - e.g. `0x0001` for HKDF-SHA256
 * @param aeadId - e.g. `0x0001` for AES-128-GCM, `0xffff` for export-only
 * @returns a frozen suite (cached)
 * @throws {UnsupportedError} for an unknown identifier
 * @example
 * ```ts
 * const s = hpke.suite(0x20, 1, 1); const { secretKey, publicKey } = s.kem.generateKeyPair();
 * ```
 */
export function suite(kemId: number, kdfId: number, aeadId: number): Suite {
  return defineSuite(getKem(kemId), getKdf(kdfId), getAeadById(aeadId));
}

function asSuite(s: unknown): Suite {
  const x = s as Suite | null;
  if (typeof x !== 'object' || x === null || !isBytes(x.id) || typeof x.kem?.encap !== 'function') {
    throw new InputError('"suite" expected an HPKE suite from hpke.suite()', { code: 'INVALID_TYPE' });
  }
  return x;
}

const L_PSK_ID_HASH = ascii('psk_id_hash');
const L_INFO_HASH = ascii('info_hash');
const L_SECRET = ascii('secret');
const L_KEY = ascii('key');
const L_BASE_NONCE = ascii('base_nonce');
const L_EXP = ascii('exp');

export { maxMessages, type Context } from './_context.js';

/** RFC 9180 §5.1 `VerifyPSKInputs`, plus §9.5's 32-byte minimum PSK. */
function verifyPsk(mode: Mode, psk: Uint8Array, pskId: Uint8Array): void {
  const gotPsk = psk.length > 0;
  const gotPskId = pskId.length > 0;
  if (gotPsk !== gotPskId) throw new InputError('inconsistent PSK inputs: psk and psk_id must both be given', { code: 'INVALID_VALUE' });
  if (gotPsk && (mode === MODE.base || mode === MODE.auth)) throw new InputError('PSK input provided when not needed', { code: 'INVALID_VALUE' });
  if (!gotPsk && (mode === MODE.psk || mode === MODE.authPsk)) throw new InputError('missing required PSK input', { code: 'INVALID_VALUE' });
  if (gotPsk && psk.length < 32) throw new InputError(`"psk" expected at least 32 bytes, got length=${psk.length}`, { code: 'INVALID_LENGTH' });
}

const HASH_CACHE_MAX = 64;
const hashCache = new WeakMap<Suite, Map<string, Uint8Array>>();
/**
 * `LabeledExtract("", label, x)` for the public key-schedule inputs `info` and `psk_id`, memoised per suite for
 * short inputs (they repeat across messages; both are public values, so caching leaks nothing).
 */
function publicHash(s: Suite, label: Uint8Array, x: Uint8Array): Uint8Array {
  if (x.length > 256) return labeledExtract(s.kdf.hash, s.id, EMPTY, label, x);
  let m = hashCache.get(s);
  if (!m) hashCache.set(s, (m = new Map()));
  let key = label === L_INFO_HASH ? 'i' : 'p';
  for (let i = 0; i < x.length; i++) key += String.fromCharCode(x[i]!);
  const hit = m.get(key);
  if (hit) return hit;
  const v = labeledExtract(s.kdf.hash, s.id, EMPTY, label, x);
  if (m.size >= HASH_CACHE_MAX) m.delete(m.keys().next().value!);
  m.set(key, v);
  return v;
}

/** RFC 9180 §5.1 `KeySchedule<ROLE>()`. */
function keySchedule(s: Suite, role: Role, mode: Mode, sharedSecret: Uint8Array, info: Uint8Array, psk: Uint8Array, pskId: Uint8Array): Context {
  verifyPsk(mode, psk, pskId);
  const { hash, Nh } = s.kdf;
  const pskIdHash = publicHash(s, L_PSK_ID_HASH, pskId);
  const infoHash = publicHash(s, L_INFO_HASH, info);
  const ksc = concat([new Uint8Array([mode]), pskIdHash, infoHash]);
  const secret = labeledExtract(hash, s.id, sharedSecret, L_SECRET, psk);
  const key = s.aead.impl ? labeledExpand(hash, s.id, secret, L_KEY, ksc, s.aead.Nk) : EMPTY;
  const baseNonce = s.aead.impl ? labeledExpand(hash, s.id, secret, L_BASE_NONCE, ksc, s.aead.Nn) : EMPTY;
  // exporter_secret is derived on first use (same value; saves one HKDF call per context that never exports)
  let exporterSecret: Uint8Array | undefined;
  return makeContext(s, role, key, baseNonce, () => (exporterSecret ??= labeledExpand(hash, s.id, secret, L_EXP, ksc, Nh)));
}

/** Options of the sender setups. */
export interface SenderOptions {
  /** Fixes the ephemeral key via `DeriveKeyPair(ikmE)`. For known-answer tests only; never in production. */
  readonly ikmE?: Uint8Array;
}

function senderOpts(o: SenderOptions | undefined): Uint8Array | undefined {
  if (o === undefined) return undefined;
  if (typeof o !== 'object' || o === null) throw new InputError('"options" expected object', { code: 'INVALID_TYPE' });
  return o.ikmE === undefined ? undefined : abytes(o.ikmE, undefined, 'ikmE');
}
function b(v: unknown, title: string): Uint8Array {
  return abytes(v, undefined, title);
}
function recipient<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof OpenError) throw e;
    // Caller mistakes pass through by class (docs/CONVENTIONS.md, "Errors"); everything else is one OpenError.
    if (e instanceof InputError || e instanceof KeyError || e instanceof UnsupportedError) throw e;
    throw new OpenError();
  }
}

/**
 * `SetupBaseS(pkR, info)` (RFC 9180 §5.1.1).
 * @param s - the suite
 * @param pkR - recipient public key (serialized, §7.1.1)
 * @param info - application info
 * @param options - `ikmE` for known-answer tests
 * @returns `{ enc, ctx }`
 * @throws {KeyError} invalid `pkR`; {InputError} bad arguments
 * @example
 * ```ts
 * const { enc, ctx } = hpke.setupBaseS(s, pkR, info); const ct = ctx.seal(aad, pt);
 * ```
 */
export function setupBaseS(s: Suite, pkR: Uint8Array, info: Uint8Array, options?: SenderOptions): { enc: Uint8Array; ctx: Context } {
  asSuite(s);
  b(pkR, 'pkR');
  b(info, 'info');
  const { sharedSecret, enc } = s.kem.encap(pkR, senderOpts(options));
  return { enc, ctx: keySchedule(s, 'S', MODE.base, sharedSecret, info, EMPTY, EMPTY) };
}
/**
 * `SetupBaseR(enc, skR, info)` (RFC 9180 §5.1.1).
 * @returns a recipient context
 * @throws {OpenError} invalid `enc`; {KeyError} invalid `skR`
 * @example
 * ```ts
 * const ctx = hpke.setupBaseR(s, enc, skR, info); const pt = ctx.open(aad, ct);
 * ```
 */
export function setupBaseR(s: Suite, enc: Uint8Array, skR: Uint8Array, info: Uint8Array): Context {
  asSuite(s);
  b(enc, 'enc');
  b(skR, 'skR');
  b(info, 'info');
  return recipient(() => keySchedule(s, 'R', MODE.base, s.kem.decap(enc, skR), info, EMPTY, EMPTY));
}
/**
 * `SetupPSKS(pkR, info, psk, psk_id)` (RFC 9180 §5.1.2). `psk` must have ≥ 32 bytes (§9.5).
 * @example
 * ```ts
 * const { enc, ctx } = hpke.setupPSKS(s, pkR, info, psk, pskId);
 * ```
 */
export function setupPSKS(s: Suite, pkR: Uint8Array, info: Uint8Array, psk: Uint8Array, pskId: Uint8Array, options?: SenderOptions): { enc: Uint8Array; ctx: Context } {
  asSuite(s);
  b(pkR, 'pkR');
  b(info, 'info');
  b(psk, 'psk');
  b(pskId, 'pskId');
  verifyPsk(MODE.psk, psk, pskId);
  const { sharedSecret, enc } = s.kem.encap(pkR, senderOpts(options));
  return { enc, ctx: keySchedule(s, 'S', MODE.psk, sharedSecret, info, psk, pskId) };
}
/**
 * `SetupPSKR(enc, skR, info, psk, psk_id)` (RFC 9180 §5.1.2).
 * @example
 * ```ts
 * const ctx = hpke.setupPSKR(s, enc, skR, info, psk, pskId);
 * ```
 */
export function setupPSKR(s: Suite, enc: Uint8Array, skR: Uint8Array, info: Uint8Array, psk: Uint8Array, pskId: Uint8Array): Context {
  asSuite(s);
  b(enc, 'enc');
  b(skR, 'skR');
  b(info, 'info');
  b(psk, 'psk');
  b(pskId, 'pskId');
  verifyPsk(MODE.psk, psk, pskId);
  return recipient(() => keySchedule(s, 'R', MODE.psk, s.kem.decap(enc, skR), info, psk, pskId));
}
/**
 * `SetupAuthS(pkR, info, skS)` (RFC 9180 §5.1.3).
 * @example
 * ```ts
 * const { enc, ctx } = hpke.setupAuthS(s, pkR, info, skS);
 * ```
 */
export function setupAuthS(s: Suite, pkR: Uint8Array, info: Uint8Array, skS: Uint8Array, options?: SenderOptions): { enc: Uint8Array; ctx: Context } {
  asSuite(s);
  b(pkR, 'pkR');
  b(info, 'info');
  b(skS, 'skS');
  const { sharedSecret, enc } = s.kem.authEncap(pkR, skS, senderOpts(options));
  return { enc, ctx: keySchedule(s, 'S', MODE.auth, sharedSecret, info, EMPTY, EMPTY) };
}
/**
 * `SetupAuthR(enc, skR, info, pkS)` (RFC 9180 §5.1.3).
 * @example
 * ```ts
 * const ctx = hpke.setupAuthR(s, enc, skR, info, pkS);
 * ```
 */
export function setupAuthR(s: Suite, enc: Uint8Array, skR: Uint8Array, info: Uint8Array, pkS: Uint8Array): Context {
  asSuite(s);
  b(enc, 'enc');
  b(skR, 'skR');
  b(info, 'info');
  b(pkS, 'pkS');
  return recipient(() => keySchedule(s, 'R', MODE.auth, s.kem.authDecap(enc, skR, pkS), info, EMPTY, EMPTY));
}
/**
 * `SetupAuthPSKS(pkR, info, psk, psk_id, skS)` (RFC 9180 §5.1.4).
 * @example
 * ```ts
 * const { enc, ctx } = hpke.setupAuthPSKS(s, pkR, info, psk, pskId, skS);
 * ```
 */
export function setupAuthPSKS(s: Suite, pkR: Uint8Array, info: Uint8Array, psk: Uint8Array, pskId: Uint8Array, skS: Uint8Array, options?: SenderOptions): { enc: Uint8Array; ctx: Context } {
  asSuite(s);
  b(pkR, 'pkR');
  b(info, 'info');
  b(psk, 'psk');
  b(pskId, 'pskId');
  b(skS, 'skS');
  verifyPsk(MODE.authPsk, psk, pskId);
  const { sharedSecret, enc } = s.kem.authEncap(pkR, skS, senderOpts(options));
  return { enc, ctx: keySchedule(s, 'S', MODE.authPsk, sharedSecret, info, psk, pskId) };
}
/**
 * `SetupAuthPSKR(enc, skR, info, psk, psk_id, pkS)` (RFC 9180 §5.1.4).
 * @example
 * ```ts
 * const ctx = hpke.setupAuthPSKR(s, enc, skR, info, psk, pskId, pkS);
 * ```
 */
export function setupAuthPSKR(s: Suite, enc: Uint8Array, skR: Uint8Array, info: Uint8Array, psk: Uint8Array, pskId: Uint8Array, pkS: Uint8Array): Context {
  asSuite(s);
  b(enc, 'enc');
  b(skR, 'skR');
  b(info, 'info');
  b(psk, 'psk');
  b(pskId, 'pskId');
  b(pkS, 'pkS');
  verifyPsk(MODE.authPsk, psk, pskId);
  return recipient(() => keySchedule(s, 'R', MODE.authPsk, s.kem.authDecap(enc, skR, pkS), info, psk, pskId));
}

/** Result of a single-shot seal: the encapsulated key and the ciphertext. */
export interface Sealed {
  readonly enc: Uint8Array;
  readonly ct: Uint8Array;
}

/**
 * Single-shot `SealBase(pkR, info, aad, pt)` (RFC 9180 §6.1).
 * @returns `{ enc, ct }`
 * @throws {KeyError} invalid `pkR`; {UnsupportedError} export-only AEAD
 * @example
 * ```ts
 * const { enc, ct } = hpke.sealBase(s, pkR, info, aad, pt);
 * ```
 */
export function sealBase(s: Suite, pkR: Uint8Array, info: Uint8Array, aad: Uint8Array, pt: Uint8Array): Sealed {
  const { enc, ctx } = setupBaseS(s, pkR, info);
  return { enc, ct: ctx.seal(aad, pt) };
}
/**
 * Single-shot `OpenBase(enc, skR, info, aad, ct)` (RFC 9180 §6.1).
 * @returns the plaintext
 * @throws {OpenError} on any authentication failure
 * @example
 * ```ts
 * const pt = hpke.openBase(s, enc, skR, info, aad, ct);
 * ```
 */
export function openBase(s: Suite, enc: Uint8Array, skR: Uint8Array, info: Uint8Array, aad: Uint8Array, ct: Uint8Array): Uint8Array {
  return setupBaseR(s, enc, skR, info).open(aad, ct);
}
/**
 * Single-shot `SealPSK(pkR, info, aad, pt, psk, psk_id)` (RFC 9180 §6.1).
 * @param s - suite; @param pkR - recipient public key; @param info - application info; @param aad - associated data
 * @param pt - plaintext; @param psk - pre-shared key (≥ 32 bytes); @param pskId - PSK identifier (non-empty)
 * @returns `{ enc, ct }`
 * @throws {KeyError} invalid `pkR`; {InputError} bad arguments or PSK rules (§5.1)
 * @example
 * ```ts
 * const { enc, ct } = hpke.sealPSK(s, pkR, info, aad, pt, psk, pskId);
 * ```
 */
export function sealPSK(s: Suite, pkR: Uint8Array, info: Uint8Array, aad: Uint8Array, pt: Uint8Array, psk: Uint8Array, pskId: Uint8Array): Sealed {
  const { enc, ctx } = setupPSKS(s, pkR, info, psk, pskId);
  return { enc, ct: ctx.seal(aad, pt) };
}
/**
 * Single-shot `OpenPSK(enc, skR, info, aad, ct, psk, psk_id)` (RFC 9180 §6.1).
 * @param s - suite; @param enc - encapsulated key; @param skR - recipient secret key; @param info - info
 * @param aad - associated data; @param ct - ciphertext; @param psk - pre-shared key; @param pskId - PSK identifier
 * @returns the plaintext
 * @throws {OpenError} on any authentication failure; {InputError} bad arguments
 * @example
 * ```ts
 * const pt = hpke.openPSK(s, enc, skR, info, aad, ct, psk, pskId);
 * ```
 */
export function openPSK(s: Suite, enc: Uint8Array, skR: Uint8Array, info: Uint8Array, aad: Uint8Array, ct: Uint8Array, psk: Uint8Array, pskId: Uint8Array): Uint8Array {
  return setupPSKR(s, enc, skR, info, psk, pskId).open(aad, ct);
}
/**
 * Single-shot `SealAuth(pkR, info, aad, pt, skS)` (RFC 9180 §6.1): the recipient learns the sender holds `skS`.
 * @param s - suite; @param pkR - recipient public key; @param info - info; @param aad - associated data
 * @param pt - plaintext; @param skS - sender secret key
 * @returns `{ enc, ct }`
 * @throws {KeyError} invalid keys; {InputError} bad arguments
 * @example
 * ```ts
 * const { enc, ct } = hpke.sealAuth(s, pkR, info, aad, pt, skS);
 * ```
 */
export function sealAuth(s: Suite, pkR: Uint8Array, info: Uint8Array, aad: Uint8Array, pt: Uint8Array, skS: Uint8Array): Sealed {
  const { enc, ctx } = setupAuthS(s, pkR, info, skS);
  return { enc, ct: ctx.seal(aad, pt) };
}
/**
 * Single-shot `OpenAuth(enc, skR, info, aad, ct, pkS)` (RFC 9180 §6.1).
 * @param s - suite; @param enc - encapsulated key; @param skR - recipient secret key; @param info - info
 * @param aad - associated data; @param ct - ciphertext; @param pkS - expected sender public key
 * @returns the plaintext
 * @throws {OpenError} on any authentication failure (including a different sender)
 * @example
 * ```ts
 * const pt = hpke.openAuth(s, enc, skR, info, aad, ct, pkS);
 * ```
 */
export function openAuth(s: Suite, enc: Uint8Array, skR: Uint8Array, info: Uint8Array, aad: Uint8Array, ct: Uint8Array, pkS: Uint8Array): Uint8Array {
  return setupAuthR(s, enc, skR, info, pkS).open(aad, ct);
}
/**
 * Single-shot `SealAuthPSK(pkR, info, aad, pt, psk, psk_id, skS)` (RFC 9180 §6.1).
 * @param s - suite; @param pkR - recipient public key; @param info - info; @param aad - associated data
 * @param pt - plaintext; @param psk - pre-shared key; @param pskId - PSK identifier; @param skS - sender secret key
 * @returns `{ enc, ct }`
 * @throws {KeyError} invalid keys; {InputError} bad arguments or PSK rules
 * @example
 * ```ts
 * const { enc, ct } = hpke.sealAuthPSK(s, pkR, info, aad, pt, psk, pskId, skS);
 * ```
 */
export function sealAuthPSK(s: Suite, pkR: Uint8Array, info: Uint8Array, aad: Uint8Array, pt: Uint8Array, psk: Uint8Array, pskId: Uint8Array, skS: Uint8Array): Sealed {
  const { enc, ctx } = setupAuthPSKS(s, pkR, info, psk, pskId, skS);
  return { enc, ct: ctx.seal(aad, pt) };
}
/**
 * Single-shot `OpenAuthPSK(enc, skR, info, aad, ct, psk, psk_id, pkS)` (RFC 9180 §6.1).
 * @param s - suite; @param enc - encapsulated key; @param skR - recipient secret key; @param info - info
 * @param aad - associated data; @param ct - ciphertext; @param psk - PSK; @param pskId - PSK id; @param pkS - sender public key
 * @returns the plaintext
 * @throws {OpenError} on any authentication failure
 * @example
 * ```ts
 * const pt = hpke.openAuthPSK(s, enc, skR, info, aad, ct, psk, pskId, pkS);
 * ```
 */
export function openAuthPSK(s: Suite, enc: Uint8Array, skR: Uint8Array, info: Uint8Array, aad: Uint8Array, ct: Uint8Array, psk: Uint8Array, pskId: Uint8Array, pkS: Uint8Array): Uint8Array {
  return setupAuthPSKR(s, enc, skR, info, psk, pskId, pkS).open(aad, ct);
}
/**
 * Single-shot `SendExport(pkR, info, exporter_context, L)` (RFC 9180 §6.2, base mode).
 * @returns `{ enc, exported }`
 * @example
 * ```ts
 * const { enc, exported } = hpke.sendExport(s, pkR, info, ctxBytes, 32);
 * ```
 */
export function sendExport(s: Suite, pkR: Uint8Array, info: Uint8Array, exporterContext: Uint8Array, L: number): { enc: Uint8Array; exported: Uint8Array } {
  const { enc, ctx } = setupBaseS(s, pkR, info);
  return { enc, exported: ctx.export(exporterContext, L) };
}
/**
 * Single-shot `ReceiveExport(enc, skR, info, exporter_context, L)` (RFC 9180 §6.2, base mode).
 * @param s - suite; @param enc - encapsulated key; @param skR - recipient secret key; @param info - info
 * @param exporterContext - exporter context; @param L - output length, 1 … 255·Nh
 * @returns `L` exported bytes
 * @throws {OpenError} invalid `enc`; {InputError} bad `L`
 * @example
 * ```ts
 * const secret = hpke.receiveExport(s, enc, skR, info, ctxBytes, 32);
 * ```
 */
export function receiveExport(s: Suite, enc: Uint8Array, skR: Uint8Array, info: Uint8Array, exporterContext: Uint8Array, L: number): Uint8Array {
  return setupBaseR(s, enc, skR, info).export(exporterContext, L);
}

export type { Kem, KeyPair };
