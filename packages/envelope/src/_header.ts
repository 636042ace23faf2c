/**
 * The shared header of PrivKit envelopes (FORMAT.md §3): prefix, recipient slots, key ids, DEK wrapping.
 * Internal.
 * @module
 */
import { abytes, aobject, bytesToHex, equalBytes, InputError, LimitError, randomBytes, UnsupportedError } from '@privkit/core';
import { checkCommitment, COMMIT_LENGTH } from './_commit.js';
import { getHash } from './_core.js';
import { ascii, concat } from './_labeled.js';
import { OpenError } from './errors.js';
import * as hpke from './hpke.js';
import { resolveSuite, type SuiteLike } from './named.js';

export const MAGIC = ascii('PKEV');
/** Format version 2: key-committing (FORMAT.md §3.1). */
export const VERSION = 0x02;
/** Version 1 (not key-committing) is refused with {@link LEGACY_VERSION_CODE} (FORMAT.md §3.6). */
export const LEGACY_VERSION = 0x01;
/** Code of the `UnsupportedError` that refuses a version-1 envelope or stream. */
export const LEGACY_VERSION_CODE = 'ENVELOPE_LEGACY_VERSION';
/** Code of the `InputError` that refuses two recipients with the same key id at seal. */
export const DUPLICATE_KEY_ID_CODE = 'ENVELOPE_DUPLICATE_KEY_ID' as const;
export const KIND_ENVELOPE = 0x01;
export const KIND_STREAM = 0x02;
export const FLAG_AUTH = 0x01;
export const KID_LENGTH = 8;
/** Most recipients one envelope may have. */
export const MAX_RECIPIENTS = 1000;
const WRAP_INFO = ascii('PrivKit envelope v2 wrap');
// Key ids keep their version-1 label on purpose: a key's id does not change with the envelope format.
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

/** The `aad` and `senderSecretKey` of seal options (everything but the suite). */
export function readSealInputs(o: SealOptions): { aad: Uint8Array; senderSecretKey: Uint8Array | undefined } {
  const aad = o.aad === undefined ? new Uint8Array(0) : abytes(o.aad, undefined, 'options.aad');
  const senderSecretKey = o.senderSecretKey === undefined ? undefined : abytes(o.senderSecretKey, undefined, 'options.senderSecretKey');
  return { aad, senderSecretKey };
}

/** The `aad` and `senderPublicKey` of open options (everything but the allowed suites). */
export function readOpenInputs(o: OpenOptions): { aad: Uint8Array; senderPublicKey: Uint8Array | undefined } {
  const aad = o.aad === undefined ? new Uint8Array(0) : abytes(o.aad, undefined, 'options.aad');
  const senderPublicKey = o.senderPublicKey === undefined ? undefined : abytes(o.senderPublicKey, undefined, 'options.senderPublicKey');
  return { aad, senderPublicKey };
}

/** Refuses the export-only AEAD as an envelope suite. */
export function sealableSuite(suite: hpke.Suite, title: string): hpke.Suite {
  if (!suite.aead.impl) throw new InputError(`"${title}" must not use the export-only AEAD`, { code: 'INVALID_VALUE' });
  return suite;
}

export function readSealOptions(options: unknown): { suite: hpke.Suite; aad: Uint8Array; senderSecretKey: Uint8Array | undefined } {
  const o = aobject<SealOptions>(options, 'options') ?? {};
  const suite = sealableSuite(resolveSuite(o.suite ?? 'X25519-SHA256-AES-256-GCM'), 'options.suite');
  return { suite, ...readSealInputs(o) };
}

/** Open options, with the header's suite resolved through the registry (and the `suites` allow-list). */
export function readOpenOptions(options: unknown): { aad: Uint8Array; senderPublicKey: Uint8Array | undefined; resolve: SuiteResolver } {
  const o = aobject<OpenOptions>(options, 'options') ?? {};
  let suites: hpke.Suite[] | undefined;
  if (o.suites !== undefined) {
    if (!Array.isArray(o.suites)) throw new InputError('"options.suites" expected array', { code: 'INVALID_TYPE' });
    suites = o.suites.map((x) => resolveSuite(x));
  }
  return { ...readOpenInputs(o), resolve: registryResolver(suites) };
}

/** Maps the suite identifiers of a header to the suite to open it with, or `undefined` to refuse it. */
export type SuiteResolver = (kemId: number, kdfId: number, aeadId: number) => hpke.Suite | undefined;

/** Every registered suite (every algorithm is bundled), optionally restricted to an allow-list. */
export function registryResolver(allowed?: readonly hpke.Suite[]): SuiteResolver {
  return (kemId, kdfId, aeadId) => {
    let suite: hpke.Suite;
    try {
      suite = hpke.suite(kemId, kdfId, aeadId);
    } catch {
      return undefined;
    }
    return allowed && !allowed.includes(suite) ? undefined : suite;
  };
}

/** Exactly one suite (only its algorithms are bundled). */
export function pinnedResolver(suite: hpke.Suite): SuiteResolver {
  return (kemId, kdfId, aeadId) => (kemId === suite.kem.id && kdfId === suite.kdf.id && aeadId === suite.aead.id ? suite : undefined);
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
  const dup = duplicateKid(kids, n);
  if (dup >= 0) {
    throw new InputError<typeof DUPLICATE_KEY_ID_CODE>(`"recipients[${dup}]" has the key id of an earlier recipient (the same public key given twice, or a key-id collision)`, { code: DUPLICATE_KEY_ID_CODE });
  }
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

/**
 * Index of the first key id in `kids` (n × 8 bytes) equal to an earlier one, or -1. Key ids are public, so a
 * hash-set look-up is fine; O(n) for n ≤ 1,000.
 */
function duplicateKid(kids: Uint8Array, n: number): number {
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const k = bytesToHex(kids.subarray(i * KID_LENGTH, (i + 1) * KID_LENGTH));
    if (seen.has(k)) return i;
    seen.add(k);
  }
  return -1;
}

/** Bytes of one recipient slot: key id, KEM encapsulation, wrapped DEK (FORMAT.md §3.3). */
export function slotLength(s: hpke.Suite): number {
  return KID_LENGTH + s.kem.lengths.enc + s.aead.Nk + s.aead.Nt;
}

/**
 * Wraps the DEK for every recipient (HPKE base or auth mode, FORMAT.md §3.3) and writes the slots, then the key
 * commitment `kappa`, into `out` at `offset` (by default a new array of exactly the slots and the commitment),
 * which it returns. `payloadCommitment` is the auth-mode payload commitment C (empty in base mode and streams).
 */
export function wrapSlots(
  c: SealCommon,
  kappa: Uint8Array,
  payloadCommitment: Uint8Array,
  out: Uint8Array = new Uint8Array(slotLength(c.suite) * c.n + COMMIT_LENGTH),
  offset = 0,
): Uint8Array {
  const { suite, prefix, kids, pks, dek, senderSecretKey } = c;
  const info = concat([WRAP_INFO, prefix]);
  const aad = concat([kids, kappa, payloadCommitment]);
  const Nenc = suite.kem.lengths.enc;
  const slotLen = slotLength(suite);
  pks.forEach((pk, i) => {
    const { enc, ct } = senderSecretKey ? hpke.sealAuth(suite, pk, info, aad, dek, senderSecretKey) : hpke.sealBase(suite, pk, info, aad, dek);
    const o = offset + i * slotLen;
    out.set(kids.subarray(i * KID_LENGTH, (i + 1) * KID_LENGTH), o);
    out.set(enc, o + KID_LENGTH);
    out.set(ct, o + KID_LENGTH + Nenc);
  });
  out.set(kappa, offset + pks.length * slotLen);
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
  /** The key commitment κ (COMMIT_LENGTH bytes after the slots). */
  commitment: Uint8Array;
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
export function parseHeader(buf: Uint8Array, kind: number, extraLength: number, resolve: SuiteResolver): Parsed | number {
  if (buf.length < 15) return 15;
  if (!equalBytes(buf.subarray(0, 4), MAGIC)) throw new OpenError();
  if (buf[4] === LEGACY_VERSION && buf[5] === kind) {
    throw new UnsupportedError('version-1 envelope (not key-committing): refused, see FORMAT.md §3.6', { code: LEGACY_VERSION_CODE });
  }
  if (buf[4] !== VERSION || buf[5] !== kind) throw new OpenError();
  const kemId = (buf[6]! << 8) | buf[7]!;
  const kdfId = (buf[8]! << 8) | buf[9]!;
  const aeadId = (buf[10]! << 8) | buf[11]!;
  const flags = buf[12]!;
  const n = (buf[13]! << 8) | buf[14]!;
  if ((flags & ~FLAG_AUTH) !== 0 || n < 1 || n > MAX_RECIPIENTS || aeadId === 0xffff) throw new OpenError();
  const suite = resolve(kemId, kdfId, aeadId);
  if (!suite) throw new OpenError();
  const auth = (flags & FLAG_AUTH) !== 0;
  const pLen = fixedLength(auth, extraLength);
  const slotLen = slotLength(suite);
  const slotsEnd = pLen + n * slotLen;
  const end = slotsEnd + COMMIT_LENGTH;
  if (buf.length < end) return end;
  const slots = buf.subarray(pLen, slotsEnd);
  const kids = new Uint8Array(n * KID_LENGTH);
  for (let i = 0; i < n; i++) kids.set(slots.subarray(i * slotLen, i * slotLen + KID_LENGTH), i * KID_LENGTH);
  // Duplicate key ids would let one recipient be made to try many slots (issue 16 item 2): refused before any
  // decapsulation, so opening costs at most one.
  if (duplicateKid(kids, n) >= 0) throw new OpenError();
  const extra = buf.subarray(pLen - extraLength, pLen);
  return { suite, kind, auth, n, prefix: buf.subarray(0, pLen), kids, slots, slotLen, extra, commitment: buf.subarray(slotsEnd, end), end };
}

/** Largest header a stream reader buffers before giving up (the 1,000-recipient maximum with the largest KEM). */
export function maxHeaderLength(extraLength: number): number {
  return fixedLength(true, extraLength) + MAX_RECIPIENTS * (KID_LENGTH + 1024 + 32 + 16) + COMMIT_LENGTH;
}

/**
 * Finds this recipient's slot by key id (key ids are unique, so at most one decapsulation), unwraps the DEK,
 * checks the key commitment against the context hash `h` (FORMAT.md §3.1) and returns the payload key; OpenError
 * on every failure. `payloadCommitment` is the auth-mode C (empty otherwise).
 */
export function unwrapPayloadKey(p: Parsed, secretKey: Uint8Array, senderPublicKey: Uint8Array | undefined, h: Uint8Array, payloadCommitment: Uint8Array): Uint8Array {
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
  const aad = concat([p.kids, p.commitment, payloadCommitment]);
  const Nenc = suite.kem.lengths.enc;
  let i = 0;
  while (i < p.n && !equalBytes(p.kids.subarray(i * KID_LENGTH, (i + 1) * KID_LENGTH), kid)) i++;
  if (i === p.n) throw new OpenError();
  const slot = p.slots.subarray(i * p.slotLen, (i + 1) * p.slotLen);
  const enc = slot.subarray(KID_LENGTH, KID_LENGTH + Nenc);
  const ct = slot.subarray(KID_LENGTH + Nenc);
  let dek: Uint8Array;
  try {
    dek = senderPublicKey ? hpke.openAuth(suite, enc, secretKey, info, aad, ct, senderPublicKey) : hpke.openBase(suite, enc, secretKey, info, aad, ct);
  } catch {
    throw new OpenError();
  }
  try {
    const key = checkCommitment(suite, dek, h, p.commitment);
    if (!key) throw new OpenError();
    return key;
  } finally {
    dek.fill(0);
  }
}
