/**
 * k-of-n Shamir shares (FORMAT.md §4) on the audited `shamir-secret-sharing` package (GF(2^8), Lagrange
 * interpolation). Each share carries the group id, threshold, share count and index; the shared value is
 * `secret ‖ check` where `check` = HMAC-SHA256(secret, context)[0..8], so recombining wrong, corrupted or mixed
 * shares is detected (false acceptance 2^-64) and never yields a wrong secret. Because the check is itself shared,
 * fewer than k shares still reveal nothing about the secret.
 * @module
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { abytesRange, anumber, aobject, concatBytes, equalBytes, InputError, isBytes, randomBytes, utf8ToBytes, zeroize } from '@privkit/core';
import { combine, split } from 'shamir-secret-sharing';
import { header, openFrame, Reader, withChecksum, Writer, type SecretKind } from './_format.js';
import type { KeyType } from './_keys.js';
import { QrFormatError, ShareError } from './errors.js';
import { _parseKind, _secretMeta, MAX_SECRET_LENGTH } from './secret.js';

/** Length of the group id (random, per split). */
export const GROUP_ID_LENGTH = 4;
/** Length of the integrity check appended to the secret before splitting. */
export const SHARE_CHECK_LENGTH = 8;
const FLAG_LABEL = 0x80;
const CHECK_DOMAIN = utf8ToBytes('privkit/qr/share-check/v1');

/** Options of {@link splitSecret}. */
export interface SplitOptions {
  /** Shares needed to recover, 2..255. */
  threshold: number;
  /** Shares to create, threshold..255. */
  shares: number;
  /** What the secret is. Default 'raw'. */
  kind?: SecretKind;
  /** Key type, required when kind is 'secret-key'. */
  keyType?: KeyType;
  /** Label carried by every share (at most 64 UTF-8 bytes). */
  label?: string;
}

/** A decoded share. */
export interface Share {
  readonly type: 'share';
  readonly kind: SecretKind;
  readonly keyType: KeyType | undefined;
  readonly label: string;
  /** Random group id shared by all shares of one split. */
  readonly groupId: Uint8Array;
  readonly threshold: number;
  readonly total: number;
  /** 1-based index of this share among `total`. */
  readonly index: number;
  /** The `shamir-secret-sharing` share (y-values ‖ x-coordinate). */
  readonly value: Uint8Array;
  /** The metadata bytes bound into the integrity check (kind, flags, group, threshold, total, label). @internal */
  readonly context: Uint8Array;
}

function context(kindByte: number, flags: number, groupId: Uint8Array, threshold: number, total: number, label: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(kindByte, flags), groupId, Uint8Array.of(threshold, total, label.length), label);
}

function check(secret: Uint8Array, ctx: Uint8Array): Uint8Array {
  return hmac(sha256, secret, concatBytes(CHECK_DOMAIN, ctx)).subarray(0, SHARE_CHECK_LENGTH);
}

/**
 * Splits a secret into `shares` share payloads, any `threshold` of which recover it (Shamir over GF(2^8), via
 * `shamir-secret-sharing`). Asynchronous because the underlying library is.
 * @param secret - 1..4096 bytes
 * @param options - `{threshold, shares, kind?, keyType?, label?}`
 * @returns one payload per share, in index order (render each with {@link toQr})
 * @throws {InputError} for wrong types, lengths or counts (2 ≤ threshold ≤ shares ≤ 255)
 * @example
 * ```ts
 * const shares = await splitSecret(seed, { threshold: 3, shares: 5, kind: 'seed' });
 * const back = await combineShares([shares[4], shares[0], shares[2]]);
 * ```
 */
export async function splitSecret(secret: Uint8Array, options: SplitOptions): Promise<Uint8Array[]> {
  abytesRange(secret, 1, MAX_SECRET_LENGTH, 'secret');
  const o = aobject<SplitOptions>(options, 'options', false)!;
  const threshold = anumber(o.threshold, 'threshold', 2, 255);
  const total = anumber(o.shares, 'shares', threshold, 255);
  const { kindByte, label } = _secretMeta(o);
  const flags = label.length ? FLAG_LABEL : 0;
  const groupId = randomBytes(GROUP_ID_LENGTH);
  const ctx = context(kindByte, flags, groupId, threshold, total, label);
  const value = concatBytes(secret, check(secret, ctx));
  let parts: Uint8Array[];
  try {
    parts = await split(new Uint8Array(value), total, threshold);
  } finally {
    zeroize(value);
  }
  return parts.map((v, i) => {
    const w = new Writer().u8(header('share')).u8(kindByte).u8(flags).bytes(groupId).u8(threshold).u8(total).u8(i + 1);
    if (label.length) w.str8(label);
    const out = withChecksum(w.bytes(v).finish());
    zeroize(v);
    return out;
  });
}

/** Parses a share body. @internal */
export function _parseShare(body: Uint8Array): Share {
  const r = new Reader(body);
  r.u8('header');
  const kindByte = r.u8('kind');
  const { kind, keyType } = _parseKind(kindByte);
  const flags = r.u8('flags');
  if (flags & 0x7f) throw new QrFormatError('reserved flag bits set', { code: 'QR_MALFORMED' });
  const groupId = r.bytes(GROUP_ID_LENGTH, 'group id');
  const threshold = r.u8('threshold');
  const total = r.u8('total');
  const index = r.u8('index');
  if (threshold < 2 || total < threshold || index < 1 || index > total) {
    throw new QrFormatError(`inconsistent share parameters (threshold ${threshold}, total ${total}, index ${index})`, { code: 'QR_MALFORMED' });
  }
  const label = flags & FLAG_LABEL ? r.str8('label') : '';
  if (flags & FLAG_LABEL && label === '') throw new QrFormatError('empty label with label flag', { code: 'QR_MALFORMED' });
  const value = r.rest();
  if (value.length < SHARE_CHECK_LENGTH + 2) throw new QrFormatError('share value too short', { code: 'QR_MALFORMED' });
  if (value[value.length - 1] === 0) throw new QrFormatError('share x-coordinate is zero', { code: 'QR_MALFORMED' });
  const ctx = context(kindByte, flags, groupId, threshold, total, utf8ToBytes(label));
  return Object.freeze({ type: 'share', kind, keyType, label, groupId, threshold, total, index, value, context: ctx });
}

function asShare(s: unknown, i: number): Share {
  if (isBytes(s)) {
    const { type, body } = openFrame(s);
    if (type !== 'share') throw new QrFormatError(`shares[${i}] is a ${type} payload, not a share`, { code: 'QR_UNKNOWN_TYPE' });
    return _parseShare(body);
  }
  const o = s as Partial<Share> | null;
  if (typeof o === 'object' && o !== null && o.type === 'share' && isBytes(o.value) && isBytes(o.groupId) && isBytes(o.context)) return o as Share;
  throw new InputError(`"shares[${i}]" expected Uint8Array or a decoded share`, { code: 'INVALID_TYPE' });
}

/**
 * Recombines shares into the secret. Shares may come in any order; duplicates of the same share are ignored.
 * @param shares - share payloads or decoded {@link Share}s
 * @returns the secret
 * @throws {InputError} when `shares` is not an array of payloads
 * @throws {QrFormatError} for a malformed or damaged share payload
 * @throws {ShareError} SHARE_GROUP_MISMATCH (shares of different splits), SHARE_DUPLICATE (two different shares
 *   with one index), SHARE_TOO_FEW (fewer than the threshold), SHARE_INTEGRITY (a wrong or corrupted share)
 * @example
 * ```ts
 * const secret = await combineShares(scannedShares);
 * ```
 */
export async function combineShares(shares: readonly (Uint8Array | Share)[]): Promise<Uint8Array> {
  if (!Array.isArray(shares)) throw new InputError(`"shares" expected array, got type=${shares === null ? 'null' : typeof shares}`, { code: 'INVALID_TYPE' });
  if (shares.length === 0) throw new ShareError('no shares given', { code: 'SHARE_TOO_FEW' });
  const parsed = shares.map((s, i) => asShare(s, i));
  const first = parsed[0]!;
  const byIndex = new Map<number, Share>();
  for (const s of parsed) {
    if (!equalBytes(s.context, first.context) || s.value.length !== first.value.length) {
      throw new ShareError('shares belong to different groups or parameters', { code: 'SHARE_GROUP_MISMATCH' });
    }
    const seen = byIndex.get(s.index);
    if (seen === undefined) byIndex.set(s.index, s);
    else if (!equalBytes(seen.value, s.value)) throw new ShareError(`two different shares carry index ${s.index}`, { code: 'SHARE_DUPLICATE' });
  }
  if (byIndex.size < first.threshold) {
    throw new ShareError(`${byIndex.size} distinct shares given, ${first.threshold} needed`, { code: 'SHARE_TOO_FEW' });
  }
  const xs = new Set<number>();
  for (const s of byIndex.values()) {
    const x = s.value[s.value.length - 1]!;
    if (xs.has(x)) throw new ShareError('two shares carry the same x-coordinate', { code: 'SHARE_DUPLICATE' });
    xs.add(x);
  }
  let value: Uint8Array;
  try {
    value = await combine([...byIndex.values()].map((s) => new Uint8Array(s.value)));
  } catch (cause) {
    throw new ShareError('shares could not be combined', { code: 'SHARE_INTEGRITY', cause });
  }
  const secret = value.slice(0, value.length - SHARE_CHECK_LENGTH);
  const ok = equalBytes(check(secret, first.context), value.subarray(value.length - SHARE_CHECK_LENGTH));
  zeroize(value);
  if (!ok) {
    zeroize(secret);
    throw new ShareError('recombined secret fails its integrity check (wrong or corrupted share)', { code: 'SHARE_INTEGRITY' });
  }
  return secret;
}
