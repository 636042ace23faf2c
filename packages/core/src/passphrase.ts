/**
 * Passphrase-based key derivation: scrypt (RFC 7914) and Argon2id (RFC 9106), on `@noble/hashes`, with
 * validated parameters and documented defaults. The Node entry replaces {@link scrypt} with a `node:crypto`
 * (`scryptSync`, OpenSSL) fast path that takes the same parameters and produces the same bytes.
 * @module
 */
import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js';
import { scrypt as nobleScrypt } from '@noble/hashes/scrypt.js';
import { utf8ToBytes } from './bytes.js';
import { InputError, LimitError, PrivkitError } from './errors.js';
import { abytes, anumber, aobject, isBytes } from './validate.js';

/** scrypt cost parameters (RFC 7914 §2). */
export interface ScryptOptions {
  /** CPU/memory cost: a power of two, 2 ≤ N < 2^(128·r/8) (RFC 7914 §2). Default 2^17. */
  N?: number;
  /** Block size factor, ≥ 1. Default 8. */
  r?: number;
  /** Parallelisation factor, ≥ 1 with p·r < 2^30. Default 1. */
  p?: number;
  /** Output length in bytes, 1..2^20. Default 32. */
  dkLen?: number;
  /** Memory budget in bytes (128·N·r + 128·r·p + 256·r must fit). Default and maximum 2^31 (2 GiB). */
  maxmem?: number;
}

/** Argon2id cost parameters (RFC 9106 §3.1). */
export interface Argon2idOptions {
  /** Passes over memory, ≥ 1. Default 3. */
  t?: number;
  /** Memory in KiB, 8·p ≤ m ≤ 2^21 (2 GiB). Default 2^16 (64 MiB). */
  m?: number;
  /** Lanes (degree of parallelism, computed sequentially in JS), 1..255. Default 4. */
  p?: number;
  /** Tag length in bytes, 4..2^20. Default 32. */
  dkLen?: number;
  /** Optional secret value K (RFC 9106 §3.1), 0..32 bytes. */
  secret?: Uint8Array;
  /** Optional associated data X (RFC 9106 §3.1), 0..1024 bytes. */
  ad?: Uint8Array;
}

/**
 * scrypt defaults: N = 2^17, r = 8, p = 1, dkLen = 32 (128 MiB; the OWASP 2023 password-storage minimum;
 * RFC 7914 §2 leaves the choice to the application). Frozen.
 */
export const SCRYPT_DEFAULTS = Object.freeze({ N: 2 ** 17, r: 8, p: 1, dkLen: 32, maxmem: 2 ** 31 } as const);

/**
 * Argon2id defaults: t = 3, m = 2^16 KiB (64 MiB), p = 4, dkLen = 32 — the second recommended option of
 * RFC 9106 §4 (for memory-constrained environments). Frozen.
 */
export const ARGON2ID_DEFAULTS = Object.freeze({ t: 3, m: 2 ** 16, p: 4, dkLen: 32 } as const);

const MAX_DKLEN = 2 ** 20;
const MAX_ARGON_KIB = 2 ** 21;

function passwordBytes(v: unknown, title: string): Uint8Array {
  if (typeof v === 'string') return utf8ToBytes(v);
  if (!isBytes(v)) {
    throw new InputError(`"${title}" expected Uint8Array or string, got type=${v === null ? 'null' : typeof v}`, {
      code: 'INVALID_TYPE',
    });
  }
  return v;
}

/** Validated scrypt parameters (internal; shared with the Node fast path). */
export interface _ScryptParams {
  password: Uint8Array;
  salt: Uint8Array;
  N: number;
  r: number;
  p: number;
  dkLen: number;
  maxmem: number;
}

/** Validates scrypt arguments and fills in defaults (internal; shared with the Node fast path). */
export function _scryptParams(password: unknown, salt: unknown, options: unknown): _ScryptParams {
  const pw = passwordBytes(password, 'password');
  const s = abytes(salt, undefined, 'salt');
  const o = aobject<ScryptOptions>(options, 'options') ?? {};
  const N = anumber(o.N === undefined ? SCRYPT_DEFAULTS.N : o.N, 'N', 2, 2 ** 32);
  if (!Number.isInteger(Math.log2(N))) {
    throw new InputError(`"N" expected a power of two, got ${N}`, { code: 'INVALID_VALUE' });
  }
  const r = anumber(o.r === undefined ? SCRYPT_DEFAULTS.r : o.r, 'r', 1, 2 ** 30 - 1);
  const p = anumber(o.p === undefined ? SCRYPT_DEFAULTS.p : o.p, 'p', 1, 2 ** 30 - 1);
  if (r * p >= 2 ** 30) throw new InputError(`"r·p" expected < 2^30, got ${r * p}`, { code: 'INVALID_VALUE' });
  if (r < 16 && N >= 2 ** (16 * r)) {
    throw new InputError(`"N" expected < 2^(16·r) = 2^${16 * r} (RFC 7914 §2), got ${N}`, { code: 'INVALID_VALUE' });
  }
  const dkLen = anumber(o.dkLen === undefined ? SCRYPT_DEFAULTS.dkLen : o.dkLen, 'dkLen', 1, MAX_DKLEN);
  const maxmem = anumber(o.maxmem === undefined ? SCRYPT_DEFAULTS.maxmem : o.maxmem, 'maxmem', 1, SCRYPT_DEFAULTS.maxmem);
  const need = 128 * N * r + 128 * r * p + 256 * r;
  if (need > maxmem) {
    throw new LimitError(`scrypt needs ${need} bytes of memory, over the budget maxmem=${maxmem}`);
  }
  return { password: pw, salt: s, N, r, p, dkLen, maxmem };
}

/**
 * scrypt (RFC 7914 §6), pure TypeScript (`@noble/hashes`). In Node the package entry uses `node:crypto` instead.
 * Not constant-time with respect to memory access by design (scrypt is data-dependent, RFC 7914 §2).
 * @param password - passphrase; strings are UTF-8 encoded without normalisation (NFKC them first if they come from
 *   several input methods)
 * @param salt - salt; use 16+ random bytes (an empty salt is accepted only for the RFC test vectors)
 * @param options - `{N, r, p, dkLen, maxmem}`, defaults {@link SCRYPT_DEFAULTS}
 * @returns `dkLen` derived bytes
 * @throws {InputError} for wrong types or parameters outside RFC 7914 §2
 * @throws {LimitError} when 128·N·r exceeds `maxmem`
 * @example
 * ```ts
 * const key = scrypt('correct horse', salt, { N: 2 ** 15 });
 * ```
 */
export function scrypt(password: Uint8Array | string, salt: Uint8Array, options?: ScryptOptions): Uint8Array {
  const q = _scryptParams(password, salt, options);
  try {
    return nobleScrypt(q.password, q.salt, { N: q.N, r: q.r, p: q.p, dkLen: q.dkLen, maxmem: q.maxmem + 1 });
  } catch (e) {
    if (e instanceof PrivkitError) throw e;
    throw new LimitError('scrypt failed (out of memory?)', { cause: e });
  }
}

/**
 * Argon2id (RFC 9106 §3), version 0x13, pure TypeScript (`@noble/hashes`; lanes are computed sequentially).
 * Argon2id's first half-pass uses data-independent addressing; the rest is data-dependent (RFC 9106 §3.4).
 * @param password - passphrase (strings UTF-8 encoded, not normalised), up to 2^32 − 1 bytes
 * @param salt - salt, 8..2^20 bytes (RFC 9106 §3.1 requires ≥ 8; 16 random bytes recommended)
 * @param options - `{t, m, p, dkLen, secret?, ad?}`, defaults {@link ARGON2ID_DEFAULTS}
 * @returns `dkLen` tag bytes
 * @throws {InputError} for wrong types or parameters outside RFC 9106 §3.1
 * @throws {LimitError} for memory above 2^21 KiB
 * @example
 * ```ts
 * const key = argon2id('correct horse', salt, { t: 2, m: 19456, p: 1 });
 * ```
 */
export function argon2id(password: Uint8Array | string, salt: Uint8Array, options?: Argon2idOptions): Uint8Array {
  const pw = passwordBytes(password, 'password');
  const s = abytes(salt, undefined, 'salt');
  if (s.length < 8 || s.length > MAX_DKLEN) {
    throw new InputError(`"salt" expected Uint8Array of length 8..${MAX_DKLEN}, got length=${s.length}`, {
      code: 'INVALID_LENGTH',
    });
  }
  const o = aobject<Argon2idOptions>(options, 'options') ?? {};
  const t = anumber(o.t === undefined ? ARGON2ID_DEFAULTS.t : o.t, 't', 1, 2 ** 32 - 1);
  const p = anumber(o.p === undefined ? ARGON2ID_DEFAULTS.p : o.p, 'p', 1, 255);
  const m = anumber(o.m === undefined ? ARGON2ID_DEFAULTS.m : o.m, 'm', 8 * p, 2 ** 32 - 1);
  if (m > MAX_ARGON_KIB) throw new LimitError(`"m" expected at most ${MAX_ARGON_KIB} KiB, got ${m}`);
  const dkLen = anumber(o.dkLen === undefined ? ARGON2ID_DEFAULTS.dkLen : o.dkLen, 'dkLen', 4, MAX_DKLEN);
  const secret = o.secret === undefined ? undefined : abytes(o.secret, undefined, 'secret');
  if (secret && secret.length > 32) {
    throw new InputError(`"secret" expected Uint8Array of length 0..32, got length=${secret.length}`, {
      code: 'INVALID_LENGTH',
    });
  }
  const ad = o.ad === undefined ? undefined : abytes(o.ad, undefined, 'ad');
  if (ad && ad.length > 1024) {
    throw new InputError(`"ad" expected Uint8Array of length 0..1024, got length=${ad.length}`, { code: 'INVALID_LENGTH' });
  }
  try {
    return nobleArgon2id(pw, s, {
      t,
      m,
      p,
      dkLen,
      maxmem: 2 ** 32 - 1,
      ...(secret ? { key: secret } : {}),
      ...(ad ? { personalization: ad } : {}),
    });
  } catch (e) {
    throw new LimitError('argon2id failed (out of memory?)', { cause: e });
  }
}
