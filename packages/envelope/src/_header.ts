/**
 * The shared header of PrivKit envelopes (FORMAT.md §3): prefix, recipient slots, key ids, DEK wrapping.
 * Internal.
 * @module
 */
import { abytes, aobject, equalBytes, InputError, LimitError, randomBytes } from '@privkit/core';
import { getHash } from './_core.js';
import { ascii, concat } from './_labeled.js';
import { OpenError } from './errors.js';
import * as hpke from './hpke.js';
import { resolveSuite, type SuiteLike } from './named.js';

export const MAGIC = ascii('PKEV');
export const VERSION = 0x01;
export const KIND_ENVELOPE = 0x01;
export const KIND_STREAM = 0x02;
export const FLAG_AUTH = 0x01;
export const KID_LENGTH = 8;
/** Most recipients one envelope may have. */
export const MAX_RECIPIENTS = 1000;
const WRAP_INFO = ascii('PrivKit envelope v1 wrap');
const KID_LABEL = ascii('PrivKit envelope v1 kid');

/** The 8-byte key id of a recipient public key: `Hash("PrivKit envelope v1 kid" ‖ kem_id ‖ pk)[0..8]` (FORMAT.md §3.2). */
export function keyId(s: hpke.Suite, publicKey: Uint8Array): Uint8Array {
  const h = getHash(s.kdf.hash);
  return h(concat([KID_LABEL, new Uint8Array([s.kem.id >>> 8, s.kem.id & 0xff]), publicKey])).slice(0, KID_LENGTH);
}

export interface SealCommon {
  suite: hpke.Suite;
  prefix: Uint8Array; // P': everything before the slots
  kids: Uint8Array; // K: n × 8
  pks: Uint8Array[];
  dek: Uint8Array;
  senderSecretKey: Uint8Array | undefined;
  n: number;
}

/** Options shared by `seal` and `sealStream`. */
export interface SealOptions {
  /** Suite name (see `suites`) or an `hpke.suite(...)`; default `X25519-SHA256-AES-256-GCM`. */
  readonly suite?: SuiteLike;
  /** Associated data: authenticated, not transmitted; `open` must be given the same bytes. */
  readonly aad?: Uint8Array;
  /** Sender's KEM secret key: switches to HPKE auth mode (sender authentication). */
  readonly senderSecretKey?: Uint8Array;
}
/** Options shared by `open` and `openStream`. */
export interface OpenOptions {
  /** Associated data given to `seal`. */
  readonly aad?: Uint8Array;
  /** Expected sender public key: required for sender-authenticated envelopes, and when given, an envelope
   *  without sender authentication is rejected (no downgrade). */
  readonly senderPublicKey?: Uint8Array;
  /** Accepted suites (names or suite objects); when given, any other suite is rejected with `OpenError`. */
  readonly suites?: readonly SuiteLike[];
}

export function readSealOptions(options: unknown): { suite: hpke.Suite; aad: Uint8Array; senderSecretKey: Uint8Array | undefined } {
  const o = aobject<SealOptions>(options, 'options') ?? {};
  const suite = resolveSuite(o.suite ?? 'X25519-SHA256-AES-256-GCM');
  if (!suite.aead.impl) throw new InputError('"options.suite" must not use the export-only AEAD', { code: 'INVALID_VALUE' });
  const aad = o.aad === undefined ? new Uint8Array(0) : abytes(o.aad, undefined, 'options.aad');
  const senderSecretKey = o.senderSecretKey === undefined ? undefined : abytes(o.senderSecretKey, undefined, 'options.senderSecretKey');
  return { suite, aad, senderSecretKey };
}

export function readOpenOptions(options: unknown): { aad: Uint8Array; senderPublicKey: Uint8Array | undefined; suites: hpke.Suite[] | undefined } {
  const o = aobject<OpenOptions>(options, 'options') ?? {};
  const aad = o.aad === undefined ? new Uint8Array(0) : abytes(o.aad, undefined, 'options.aad');
  const senderPublicKey = o.senderPublicKey === undefined ? undefined : abytes(o.senderPublicKey, undefined, 'options.senderPublicKey');
  let suites: hpke.Suite[] | undefined;
  if (o.suites !== undefined) {
    if (!Array.isArray(o.suites)) throw new InputError('"options.suites" expected array', { code: 'INVALID_TYPE' });
    suites = o.suites.map((x) => resolveSuite(x));
  }
  return { aad, senderPublicKey, suites };
}

/** Validates the recipients and builds the header prefix (everything before the slots). */
export function beginSeal(kind: number, recipients: unknown, suite: hpke.Suite, senderSecretKey: Uint8Array | undefined, extra: Uint8Array): SealCommon {
  if (!Array.isArray(recipients)) throw new InputError('"recipients" expected array of public keys', { code: 'INVALID_TYPE' });
  const n = recipients.length;
  if (n < 1) throw new InputError('"recipients" expected at least one public key', { code: 'INVALID_LENGTH' });
  if (n > MAX_RECIPIENTS) throw new LimitError(`"recipients" at most ${MAX_RECIPIENTS}, got ${n}`);
  const pks = recipients.map((pk, i) => abytes(pk, suite.kem.lengths.publicKey, `recipients[${i}]`));
  const kids = new Uint8Array(n * KID_LENGTH);
  pks.forEach((pk, i) => kids.set(keyId(suite, pk), i * KID_LENGTH));
  const flags = senderSecretKey ? FLAG_AUTH : 0;
  const senderKid = senderSecretKey ? keyId(suite, suite.kem.getPublicKey(senderSecretKey)) : new Uint8Array(0);
  const fixed = new Uint8Array(15);
  fixed.set(MAGIC, 0);
  fixed[4] = VERSION;
  fixed[5] = kind;
  fixed[6] = suite.kem.id >>> 8;
  fixed[7] = suite.kem.id & 0xff;
  fixed[8] = suite.kdf.id >>> 8;
  fixed[9] = suite.kdf.id & 0xff;
  fixed[10] = suite.aead.id >>> 8;
  fixed[11] = suite.aead.id & 0xff;
  fixed[12] = flags;
  fixed[13] = n >>> 8;
  fixed[14] = n & 0xff;
  const prefix = concat([fixed, senderKid, extra]);
  return { suite, prefix, kids, pks, dek: randomBytes(suite.aead.Nk), senderSecretKey, n };
}

/** Bytes of one recipient slot: key id, KEM encapsulation, wrapped DEK (FORMAT.md §3.3). */
export function slotLength(s: hpke.Suite): number {
  return KID_LENGTH + s.kem.lengths.enc + s.aead.Nk + s.aead.Nt;
}

/**
 * Wraps the DEK for every recipient (HPKE base or auth mode, FORMAT.md §3.3) and writes the slots into `out` at
 * `offset` (by default a new array of exactly the slots), which it returns.
 */
export function wrapSlots(c: SealCommon, commitment: Uint8Array, out: Uint8Array = new Uint8Array(slotLength(c.suite) * c.n), offset = 0): Uint8Array {
  const { suite, prefix, kids, pks, dek, senderSecretKey } = c;
  const info = concat([WRAP_INFO, prefix]);
  const aad = concat([kids, commitment]);
  const Nenc = suite.kem.lengths.enc;
  const slotLen = slotLength(suite);
  pks.forEach((pk, i) => {
    const { enc, ct } = senderSecretKey ? hpke.sealAuth(suite, pk, info, aad, dek, senderSecretKey) : hpke.sealBase(suite, pk, info, aad, dek);
    const o = offset + i * slotLen;
    out.set(kids.subarray(i * KID_LENGTH, (i + 1) * KID_LENGTH), o);
    out.set(enc, o + KID_LENGTH);
    out.set(ct, o + KID_LENGTH + Nenc);
  });
  return out;
}

/** A parsed header. */
export interface Parsed {
  suite: hpke.Suite;
  kind: number;
  auth: boolean;
  n: number;
  prefix: Uint8Array;
  kids: Uint8Array;
  slots: Uint8Array;
  slotLen: number;
  extra: Uint8Array;
  /** Offset of the first byte after the header. */
  end: number;
}

/** Bytes of the header before the slots, given the prefix fields (for streaming readers). */
export function fixedLength(auth: boolean, extraLength: number): number {
  return 15 + (auth ? KID_LENGTH : 0) + extraLength;
}

/**
 * Parses the header of `buf`; returns the total number of bytes needed when `buf` is too short (streaming), throws
 * OpenError when malformed. Every structural check happens here.
 */
export function parseHeader(buf: Uint8Array, kind: number, extraLength: number, allowed: hpke.Suite[] | undefined): Parsed | number {
  if (buf.length < 15) return 15;
  if (!equalBytes(buf.subarray(0, 4), MAGIC) || buf[4] !== VERSION || buf[5] !== kind) throw new OpenError();
  const kemId = (buf[6]! << 8) | buf[7]!;
  const kdfId = (buf[8]! << 8) | buf[9]!;
  const aeadId = (buf[10]! << 8) | buf[11]!;
  const flags = buf[12]!;
  const n = (buf[13]! << 8) | buf[14]!;
  if ((flags & ~FLAG_AUTH) !== 0 || n < 1 || n > MAX_RECIPIENTS || aeadId === 0xffff) throw new OpenError();
  let suite: hpke.Suite;
  try {
    suite = hpke.suite(kemId, kdfId, aeadId);
  } catch {
    throw new OpenError();
  }
  if (allowed && !allowed.includes(suite)) throw new OpenError();
  const auth = (flags & FLAG_AUTH) !== 0;
  const pLen = fixedLength(auth, extraLength);
  const slotLen = slotLength(suite);
  const end = pLen + n * slotLen;
  if (buf.length < end) return end;
  const slots = buf.subarray(pLen, end);
  const kids = new Uint8Array(n * KID_LENGTH);
  for (let i = 0; i < n; i++) kids.set(slots.subarray(i * slotLen, i * slotLen + KID_LENGTH), i * KID_LENGTH);
  return { suite, kind, auth, n, prefix: buf.subarray(0, pLen), kids, slots, slotLen, extra: buf.subarray(pLen - extraLength, pLen), end };
}

/** Largest header a stream reader buffers before giving up (the 1,000-recipient maximum with the largest KEM). */
export function maxHeaderLength(extraLength: number): number {
  return fixedLength(true, extraLength) + MAX_RECIPIENTS * (KID_LENGTH + 1024 + 32 + 16);
}

/** Finds this recipient's slot(s) by key id and unwraps the DEK; OpenError when none opens. */
export function unwrapDek(p: Parsed, secretKey: Uint8Array, senderPublicKey: Uint8Array | undefined, commitment: Uint8Array): Uint8Array {
  const { suite } = p;
  if (p.auth !== (senderPublicKey !== undefined)) {
    if (p.auth) throw new InputError('envelope is sender-authenticated: pass options.senderPublicKey', { code: 'INVALID_VALUE' });
    throw new OpenError();
  }
  // the sender key id must name the expected sender (fast reject; the sender is authenticated by HPKE anyway)
  if (senderPublicKey && !equalBytes(p.prefix.subarray(15, 15 + KID_LENGTH), keyId(suite, senderPublicKey))) throw new OpenError();
  let pk: Uint8Array;
  try {
    pk = suite.kem.getPublicKey(secretKey);
  } catch {
    throw new OpenError();
  }
  const kid = keyId(suite, pk);
  const info = concat([WRAP_INFO, p.prefix]);
  const aad = concat([p.kids, commitment]);
  const Nenc = suite.kem.lengths.enc;
  for (let i = 0; i < p.n; i++) {
    if (!equalBytes(p.kids.subarray(i * KID_LENGTH, (i + 1) * KID_LENGTH), kid)) continue;
    const slot = p.slots.subarray(i * p.slotLen, (i + 1) * p.slotLen);
    const enc = slot.subarray(KID_LENGTH, KID_LENGTH + Nenc);
    const ct = slot.subarray(KID_LENGTH + Nenc);
    try {
      return senderPublicKey
        ? hpke.openAuth(suite, enc, secretKey, info, aad, ct, senderPublicKey)
        : hpke.openBase(suite, enc, secretKey, info, aad, ct);
    } catch {
      // a colliding or forged slot: keep looking
    }
  }
  throw new OpenError();
}
