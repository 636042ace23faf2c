/**
 * The attested upload protocol (sensor node → ledger node), composed from `@privkit/envelope` and TPM quotes.
 *
 * 1. The receiver issues a challenge nonce (`receiver.challenge()`).
 * 2. The sensor seals its reading: a fresh data key K, `Edata = AEAD_K(reading)`, `EKey = envelope.seal(K, [pkR])`,
 *    `Updata = Edata ‖ EKey`, and quotes over (PCRs, nonce, Updata): `extraData = H(nonce ‖ Updata)`.
 * 3. The receiver consumes the nonce the upload names (once, whatever follows), verifies the quote's signature with
 *    the sensor's key and only then its PCRs and extraData, opens EKey and Edata, and returns a signed
 *    acknowledgement — or a signed failure with a reason code and nothing decrypted. Every failure of an
 *    unauthenticated quote (unknown sensor, bad signature, malformed quote) is one status, `QUOTE_INVALID`, so the
 *    receiver is no oracle for a sensor's expected PCR values. An accepted upload carries the verified quote and a
 *    signed upload statement (FORMAT.md §3.4) that names the storage address once the caller has stored the data.
 *    Wire format: FORMAT.md §3.
 * @module
 */
import { abytes, abytesRange, aobject, bytesToUtf8, concatBytes, equalBytes, getAead, InputError, randomBytes, utf8ToBytes, type AeadId, isBytes } from '@privkit/core';
import { open as envelopeOpen, seal as envelopeSeal, type SuiteName } from '@privkit/envelope';
import { nobleBackend, type SigBackend } from './_backend.js';
import { hashFn, MAX_DIGEST, Reader, Writer } from './_tpm.js';
import type { AkPublicKey } from './akPublic.js';
import type { AttestationKey } from './attestationKey.js';
import { NonceError, UploadError, UploadFormatError } from './errors.js';
import type { NonceRegistry } from './nonceRegistry.js';
import type { PcrBank, PcrValues } from './pcr.js';
import { _verifyQuoteWith, quote } from './quote.js';
import { MAX_NAME, type TpmsAttest } from './tpmsAttest.js';
import { checkKeyArg, checkPcrs, verifySignatureBytes, type VerifyFailure } from './verifyTpmQuote.js';

/** ASCII "PKAU": the first four bytes of every attested-upload message. */
export const UPLOAD_MAGIC = Object.freeze([0x50, 0x4b, 0x41, 0x55] as const);
/** Wire-format version. */
export const UPLOAD_VERSION = 0x01;
const KIND_CHALLENGE = 0x01;
const KIND_UPLOAD = 0x02;
const KIND_RESPONSE = 0x03;
const KIND_STATEMENT = 0x04;
/** Longest storage address a statement carries (UTF-8 bytes), e.g. a CID or a URL. */
export const MAX_STORAGE_ADDRESS = 512;
/** Largest reading accepted (16 MiB). */
export const MAX_READING = 16 * 1024 * 1024;
const MAX_UPDATA = MAX_READING + 64 * 1024;

/** Response status codes (one byte on the wire). */
export const UPLOAD_STATUS = Object.freeze({
  ACCEPTED: 0,
  MALFORMED: 1,
  UNKNOWN_SENSOR: 2,
  QUOTE_INVALID: 3,
  PCR_MISMATCH: 4,
  PAYLOAD_MISMATCH: 5,
  NONCE_UNKNOWN: 6,
  NONCE_EXPIRED: 7,
  NONCE_REPLAYED: 8,
  DECRYPT_FAILED: 9,
} as const);
/** A status name. */
export type UploadStatus = keyof typeof UPLOAD_STATUS;
const STATUS_NAMES = Object.keys(UPLOAD_STATUS) as UploadStatus[];

function prefix(kind: number): Writer {
  return new Writer().bytes(Uint8Array.from(UPLOAD_MAGIC)).u8(UPLOAD_VERSION).u8(kind);
}
function readPrefix(bytes: Uint8Array, kind: number, what: string): Reader {
  const r = new Reader(bytes, what);
  const m = r.bytes(4, 'magic');
  if (!equalBytes(m, Uint8Array.from(UPLOAD_MAGIC))) throw new UploadFormatError(`${what}: bad magic`, { code: 'UPLOAD_MALFORMED' });
  if (r.u8('version') !== UPLOAD_VERSION) throw new UploadFormatError(`${what}: unsupported version`, { code: 'UPLOAD_MALFORMED' });
  if (r.u8('kind') !== kind) throw new UploadFormatError(`${what}: wrong message kind`, { code: 'UPLOAD_MALFORMED' });
  return r;
}
function wrapMalformed<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof UploadFormatError) throw e;
    throw new UploadFormatError(`${what} is malformed`, { code: 'UPLOAD_MALFORMED', cause: e });
  }
}

/** The AEAD used for Edata with each envelope suite (SM4-GCM for the SM suite, else the suite's own AEAD family). */
function dataAead(suite: string): AeadId {
  if (suite === 'SM2-SM3-SM4') return 'sm4-gcm';
  if (suite.endsWith('CHACHA20POLY1305')) return 'chacha20-poly1305';
  if (suite.endsWith('AES-128-GCM')) return 'aes-128-gcm';
  return 'aes-256-gcm';
}

/**
 * Encodes a challenge message carrying a nonce (FORMAT.md §3.1).
 * @param nonce - 16..64 bytes, e.g. from `registry.issue()`
 * @returns the challenge bytes
 * @throws {InputError} on a bad nonce
 * @example
 * ```ts
 * const challenge = encodeUploadChallenge(registry.issue());
 * ```
 */
export function encodeUploadChallenge(nonce: Uint8Array): Uint8Array {
  return prefix(KIND_CHALLENGE).tpm2b(abytesRange(nonce, 16, MAX_DIGEST, 'nonce')).finish();
}

/**
 * Parses a challenge message (FORMAT.md §3.1).
 * @param challenge - bytes from {@link encodeUploadChallenge}
 * @returns the nonce
 * @throws {InputError} when not bytes; {@link UploadFormatError} `UPLOAD_MALFORMED`
 * @example
 * ```ts
 * const nonce = parseUploadChallenge(challenge);
 * ```
 */
export function parseUploadChallenge(challenge: Uint8Array): Uint8Array {
  abytesRange(challenge, 0, 256, 'challenge');
  return wrapMalformed('challenge', () => {
    const r = readPrefix(challenge, KIND_CHALLENGE, 'challenge');
    const nonce = r.tpm2b('nonce', MAX_DIGEST);
    r.end();
    if (nonce.length < 16) throw new UploadFormatError('challenge: nonce shorter than 16 bytes', { code: 'UPLOAD_MALFORMED' });
    return nonce;
  });
}

/** Input of {@link createAttestedUpload}. */
export interface AttestedUploadInput {
  /** The receiver's challenge message. */
  challenge: Uint8Array;
  /** The sensor reading to upload (≤ 16 MiB). */
  reading: Uint8Array;
  /** The receiver's envelope (HPKE KEM) public key. */
  receiverPublicKey: Uint8Array;
  /** Envelope suite name (default `X25519-SHA256-AES-256-GCM`). */
  suite?: SuiteName;
  /** The sensor's PCR bank. */
  bank: PcrBank;
  /** PCRs to quote. */
  selection: readonly number[];
  /** The sensor's attestation key. */
  key: AttestationKey;
  /** Source of the data key and AEAD nonce (default: the system CSPRNG), e.g. `tpm.getRandom` for TPM2_GetRandom. */
  randomBytes?: (n: number) => Uint8Array;
}

/** Parsed upload message. */
interface ParsedUpload {
  header: Uint8Array;
  suite: string;
  nonce: Uint8Array;
  akName: Uint8Array;
  updata: Uint8Array;
  edata: Uint8Array;
  ekey: Uint8Array;
  attest: Uint8Array;
  signature: Uint8Array;
}

/**
 * Sensor side: seals `reading` for the receiver and quotes over (PCRs, nonce, Updata) (FORMAT.md §3.2).
 * @param input - `{challenge, reading, receiverPublicKey, suite?, bank, selection, key}`
 * @returns the upload message
 * @throws {InputError} bad arguments; {@link UploadFormatError} a malformed challenge; envelope errors for a bad receiver key
 * @example
 * ```ts
 * const upload = createAttestedUpload({ challenge, reading, receiverPublicKey, bank, selection: [16], key: ak });
 * ```
 */
export function createAttestedUpload(input: AttestedUploadInput): Uint8Array {
  const i = aobject<AttestedUploadInput>(input, 'input', false)!;
  const nonce = parseUploadChallenge(i.challenge);
  const reading = abytesRange(i.reading, 0, MAX_READING, 'reading');
  const pkR = abytes(i.receiverPublicKey, undefined, 'receiverPublicKey');
  const suite = i.suite ?? 'X25519-SHA256-AES-256-GCM';
  if (typeof suite !== 'string' || suite.length > 64) throw new InputError('"suite" expected a suite name', { code: 'INVALID_VALUE' });
  const key = aobject<AttestationKey>(i.key, 'key', false)!;
  if (!isBytesLike(key.name)) throw new InputError('"key" expected AttestationKey', { code: 'INVALID_TYPE' });
  const suiteBytes = Uint8Array.from(suite, (c) => c.charCodeAt(0) & 0x7f);
  const header = prefix(KIND_UPLOAD).u8(suiteBytes.length).bytes(suiteBytes).tpm2b(nonce).tpm2b(key.name).finish();
  const aead = getAead(dataAead(suite));
  const rng = i.randomBytes === undefined ? randomBytes : i.randomBytes;
  if (typeof rng !== 'function') throw new InputError('"randomBytes" expected function', { code: 'INVALID_TYPE' });
  const draw = (n: number) => abytes(rng(n), n, 'randomBytes()');
  const dek = draw(aead.keyLength);
  try {
    const aeadNonce = draw(aead.nonceLength);
    const ct = aead.seal(dek, aeadNonce, reading, header);
    const edata = new Writer().u32(aeadNonce.length + ct.length).bytes(aeadNonce).bytes(ct).finish();
    const ekey = envelopeSeal(dek, [pkR], { suite, aad: header });
    const updata = concatBytes(edata, ekey);
    const q = quote({ bank: i.bank, selection: i.selection, nonce, data: updata, key });
    return new Writer()
      .bytes(header)
      .u32(updata.length)
      .bytes(updata)
      .tpm2b(q.attest)
      .tpm2b(q.signature)
      .finish();
  } finally {
    dek.fill(0);
  }
}

function isBytesLike(x: unknown): x is Uint8Array {
  return isBytes(x);
}

function parseUpload(bytes: Uint8Array): ParsedUpload {
  return wrapMalformed('upload', () => {
    const r = readPrefix(bytes, KIND_UPLOAD, 'upload');
    const suiteLen = r.u8('suite.length');
    const suite = String.fromCharCode(...r.bytes(suiteLen, 'suite'));
    const nonce = r.tpm2b('nonce', MAX_DIGEST);
    const akName = r.tpm2b('akName', MAX_NAME);
    const header = bytes.slice(0, r.offset);
    const updataLen = r.u32('updata.length');
    if (updataLen > MAX_UPDATA) throw new UploadFormatError('upload: Updata too large', { code: 'UPLOAD_MALFORMED' });
    const updata = r.bytes(updataLen, 'updata');
    const attest = r.tpm2b('attest', 1024);
    const signature = r.tpm2b('signature', 1024);
    r.end();
    const u = new Reader(updata, 'Updata');
    const edLen = u.u32('edata.length');
    const edBody = u.bytes(edLen, 'edata');
    const ekey = u.bytes(u.remaining, 'ekey');
    const edata = updata.slice(0, 4 + edBody.length);
    return { header, suite, nonce, akName, updata, edata, ekey, attest, signature };
  });
}

/** A registered sensor: its attestation key and the PCR values it must attest. */
export interface SensorRecord {
  publicKey: AkPublicKey | string | Uint8Array;
  expectedPcrs: PcrValues;
}

/** Options of {@link createUploadReceiver}. */
export interface UploadReceiverOptions {
  /** Issues and accepts nonces. */
  registry: NonceRegistry;
  /** The receiver's envelope (HPKE KEM) secret key. */
  secretKey: Uint8Array;
  /** The receiver's key that signs acknowledgements and failures. */
  signingKey: AttestationKey;
  /** Looks up a sensor by its AK name (TPM name); `undefined` = unknown sensor. */
  sensors: (akName: Uint8Array) => SensorRecord | undefined;
  /** Envelope suites accepted (default: only `X25519-SHA256-AES-256-GCM`). */
  suites?: readonly SuiteName[];
  /** Clock for statements' `issuedAt`, milliseconds since the Unix epoch (default `Date.now`). */
  now?: () => number;
}

/** An accepted upload: the reading, the verified quote, and the receiver's signed response and statement. */
export interface AcceptedUpload {
  readonly accepted: true;
  readonly status: 'ACCEPTED';
  readonly reading: Uint8Array;
  readonly akName: Uint8Array;
  /** The quote exactly as the sensor sent it (TPMS_ATTEST and TPMT_SIGNATURE): re-verifiable by anyone. */
  readonly quote: { readonly attest: Uint8Array; readonly signature: Uint8Array };
  /** The parsed TPMS_ATTEST of that quote. */
  readonly attest: TpmsAttest;
  /** The signed response to return to the sensor (FORMAT.md §3.3). */
  readonly response: Uint8Array;
  /** The signed upload statement without a storage address (FORMAT.md §3.4); see `receiver.acknowledge`. */
  readonly statement: Uint8Array;
}

/** Result of `receiver.receive(upload)`. */
export type ReceiveResult =
  | AcceptedUpload
  | { readonly accepted: false; readonly status: Exclude<UploadStatus, 'ACCEPTED'>; readonly failures: readonly VerifyFailure[]; readonly response: Uint8Array };

/** The receiving (ledger) node. */
export interface UploadReceiver {
  /** Issues a nonce and returns the challenge message. */
  challenge(): Uint8Array;
  /** Verifies, opens and acknowledges an upload; never throws on upload content. */
  receive(upload: Uint8Array): ReceiveResult;
  /**
   * Signs an upload statement for an upload this receiver accepted, naming where its data was stored (e.g. the CID
   * of the stored upload message). Only results returned by this receiver's `receive` are accepted.
   * @throws {InputError} for anything but an accepted result of this receiver, or a bad address
   */
  acknowledge(result: AcceptedUpload, options: { storageAddress: string }): Uint8Array;
}

function signResponse(key: AttestationKey, status: UploadStatus, nonce: Uint8Array, upload: Uint8Array): Uint8Array {
  const body = prefix(KIND_RESPONSE).u8(UPLOAD_STATUS[status]).tpm2b(nonce).tpm2b(hashFn('sha256')(upload)).finish();
  return concatBytes(body, new Writer().tpm2b(key.sign(body)).finish());
}

/** The fields of an upload statement (FORMAT.md §3.4). */
export interface UploadStatement {
  /** The sensor's AK name (TPM name), as quoted. */
  readonly akName: Uint8Array;
  /** The quoted PCR bank (TPM_ALG_ID) and indices. */
  readonly pcrSelection: { readonly hashAlg: number; readonly pcrs: readonly number[] };
  /** pcrDigest of the verified quote. */
  readonly pcrDigest: Uint8Array;
  /** The nonce the receiver issued and consumed. */
  readonly nonce: Uint8Array;
  /** SHA-256 of the whole upload message (Updata and quote). */
  readonly uploadDigest: Uint8Array;
  /** SHA-256 of the quote's TPMS_ATTEST. */
  readonly attestDigest: Uint8Array;
  /** Where the receiver stored the data, when it said (e.g. a CID); `undefined` otherwise. */
  readonly storageAddress: string | undefined;
  /** Receiver clock when it signed, milliseconds since the Unix epoch. */
  readonly issuedAt: number;
}

function signStatement(key: AttestationKey, st: UploadStatement): Uint8Array {
  const sel = st.pcrSelection.pcrs.reduce((m, i) => m | (1 << i), 0) >>> 0;
  const body = prefix(KIND_STATEMENT)
    .tpm2b(st.akName)
    .u16(st.pcrSelection.hashAlg)
    .u32(sel)
    .tpm2b(st.pcrDigest)
    .tpm2b(st.nonce)
    .tpm2b(st.uploadDigest)
    .tpm2b(st.attestDigest)
    .tpm2b(st.storageAddress === undefined ? new Uint8Array(0) : utf8ToBytes(st.storageAddress))
    .u64(BigInt(st.issuedAt))
    .finish();
  return concatBytes(body, new Writer().tpm2b(key.sign(body)).finish());
}

/**
 * Receiver side of the attested upload protocol (FORMAT.md §3). Order of checks: parse → the named nonce consumed
 * (once, whatever follows) → suite allow-list → sensor lookup → quote signature → only then PCRs and extraData =
 * H(nonce ‖ Updata) → open EKey, then Edata. Every outcome is a signed response; a failure carries its reason code
 * and nothing is decrypted. Unknown sensor, bad or malformed quote and wrong key all answer `QUOTE_INVALID`:
 * `PCR_MISMATCH`/`PAYLOAD_MISMATCH` are reported only for quotes whose signature verified.
 * @param options - `{registry, secretKey, signingKey, sensors, suites?}`
 * @returns an {@link UploadReceiver}
 * @throws {InputError} on bad options
 * @example
 * ```ts
 * const rx = createUploadReceiver({ registry, secretKey, signingKey, sensors: (name) => known.get(bytesToHex(name)) });
 * const r = rx.receive(upload); if (r.accepted) store(r.reading); send(r.response);
 * ```
 */
export function createUploadReceiver(options: UploadReceiverOptions): UploadReceiver {
  return _createUploadReceiverWith(nobleBackend, options);
}

/** @internal {@link createUploadReceiver} on a given signature back end. */
export function _createUploadReceiverWith(backend: SigBackend, options: UploadReceiverOptions): UploadReceiver {
  const o = aobject<UploadReceiverOptions>(options, 'options', false)!;
  const registry = aobject<NonceRegistry>(o.registry, 'options.registry', false)!;
  if (typeof registry.issue !== 'function' || typeof registry.accept !== 'function') {
    throw new InputError('"options.registry" expected NonceRegistry', { code: 'INVALID_TYPE' });
  }
  const sk = Uint8Array.from(abytes(o.secretKey, undefined, 'options.secretKey'));
  const signingKey = aobject<AttestationKey>(o.signingKey, 'options.signingKey', false)!;
  if (typeof signingKey.sign !== 'function') throw new InputError('"options.signingKey" expected AttestationKey', { code: 'INVALID_TYPE' });
  if (typeof o.sensors !== 'function') throw new InputError('"options.sensors" expected function', { code: 'INVALID_TYPE' });
  const suites = o.suites ?? ['X25519-SHA256-AES-256-GCM'];
  if (!Array.isArray(suites) || suites.some((s) => typeof s !== 'string')) {
    throw new InputError('"options.suites" expected array of suite names', { code: 'INVALID_TYPE' });
  }
  const sensors = o.sensors;
  const now = o.now ?? Date.now;
  if (typeof now !== 'function') throw new InputError('"options.now" expected function', { code: 'INVALID_TYPE' });
  /** Accepted results this receiver issued, with their statement fields (so `acknowledge` signs only those). */
  const issued = new WeakMap<object, UploadStatement>();
  return Object.freeze({
    challenge() {
      return encodeUploadChallenge(registry.issue());
    },
    receive(upload: Uint8Array): ReceiveResult {
      abytes(upload, undefined, 'upload');
      const reject = (status: Exclude<UploadStatus, 'ACCEPTED'>, nonce: Uint8Array, failures: readonly VerifyFailure[] = []): ReceiveResult =>
        Object.freeze({ accepted: false, status, failures, response: signResponse(signingKey, status, nonce, upload) });
      let p: ParsedUpload;
      try {
        p = parseUpload(upload);
      } catch {
        return reject('MALFORMED', new Uint8Array(0));
      }
      // The nonce the upload names is spent by this attempt, whatever follows: one guess per issued nonce.
      try {
        registry.consume(p.nonce);
      } catch (e) {
        const code = e instanceof NonceError ? e.code : undefined;
        return reject(code === 'NONCE_EXPIRED' ? 'NONCE_EXPIRED' : code === 'NONCE_REPLAYED' ? 'NONCE_REPLAYED' : 'NONCE_UNKNOWN', p.nonce);
      }
      if (!suites.includes(p.suite as SuiteName)) return reject('MALFORMED', p.nonce);
      let sensor: SensorRecord | undefined;
      try {
        sensor = sensors(Uint8Array.from(p.akName));
        if (sensor !== undefined) {
          checkKeyArg(sensor.publicKey, 'sensor.publicKey');
          checkPcrs(sensor.expectedPcrs);
        }
      } catch {
        sensor = undefined;
      }
      // An unknown sensor is an unauthenticated quote like any other: the same status as a bad signature.
      if (!sensor) return reject('QUOTE_INVALID', p.nonce);
      const v = _verifyQuoteWith(
        backend,
        { attest: p.attest, signature: p.signature },
        { publicKey: sensor.publicKey, nonce: p.nonce, data: p.updata, expectedPcrs: sensor.expectedPcrs },
      );
      if (!v.verified) {
        // Content checks ran only if the signature verified (verifyCore); before that, one status for everything.
        if (!v.signatureValid) return reject('QUOTE_INVALID', p.nonce, v.failures);
        const codes = v.failures.map((f) => f.code);
        const status = codes.some((c) => PCR_FAILURES.has(c))
          ? 'PCR_MISMATCH'
          : codes.length === 1 && codes[0] === 'QUOTE_NONCE_MISMATCH'
            ? 'PAYLOAD_MISMATCH'
            : 'QUOTE_INVALID';
        return reject(status, p.nonce, v.failures);
      }
      let dek: Uint8Array | undefined;
      try {
        dek = envelopeOpen(p.ekey, sk, { aad: p.header });
        const aead = getAead(dataAead(p.suite));
        if (dek.length !== aead.keyLength) return reject('DECRYPT_FAILED', p.nonce);
        const n = aead.nonceLength;
        const body = p.edata.subarray(4);
        if (body.length < n) return reject('DECRYPT_FAILED', p.nonce);
        const reading = aead.open(dek, body.subarray(0, n), body.subarray(n), p.header);
        const parsed = v.parsed!;
        const sel = parsed.pcrSelections.find((x) => x.pcrs.length > 0);
        const fields: UploadStatement = Object.freeze({
          akName: p.akName,
          pcrSelection: Object.freeze({ hashAlg: sel?.hashAlg ?? 0, pcrs: Object.freeze([...(sel?.pcrs ?? [])]) }),
          pcrDigest: parsed.pcrDigest,
          nonce: p.nonce,
          uploadDigest: hashFn('sha256')(upload),
          attestDigest: hashFn('sha256')(p.attest),
          storageAddress: undefined,
          issuedAt: now(),
        });
        const result: AcceptedUpload = Object.freeze({
          accepted: true,
          status: 'ACCEPTED',
          reading,
          akName: p.akName,
          quote: Object.freeze({ attest: p.attest, signature: p.signature }),
          attest: parsed,
          response: signResponse(signingKey, 'ACCEPTED', p.nonce, upload),
          statement: signStatement(signingKey, fields),
        });
        issued.set(result, fields);
        return result;
      } catch {
        return reject('DECRYPT_FAILED', p.nonce);
      } finally {
        dek?.fill(0);
      }
    },
    acknowledge(result: AcceptedUpload, options: { storageAddress: string }): Uint8Array {
      const fields = typeof result === 'object' && result !== null ? issued.get(result) : undefined;
      if (fields === undefined) throw new InputError('"result" expected an accepted result of this receiver', { code: 'INVALID_VALUE' });
      const o = aobject<{ storageAddress: string }>(options, 'options', false)!;
      const address = o.storageAddress;
      if (typeof address !== 'string' || address.length === 0 || utf8ToBytes(address).length > MAX_STORAGE_ADDRESS) {
        throw new InputError(`"options.storageAddress" expected a string of 1..${MAX_STORAGE_ADDRESS} UTF-8 bytes`, { code: 'INVALID_VALUE' });
      }
      return signStatement(signingKey, { ...fields, storageAddress: address, issuedAt: now() });
    },
  });
}

/** Quote failures that concern the PCRs of an authenticated quote. */
const PCR_FAILURES: ReadonlySet<string> = new Set(['QUOTE_PCR_SELECTION_MISMATCH', 'QUOTE_PCR_VALUE_INVALID', 'QUOTE_PCR_DIGEST_MISMATCH']);

/**
 * Checks an upload statement signed by a receiver (FORMAT.md §3.4) and returns its fields. A reader holding the
 * quote can also check it against the statement: `attestDigest` = SHA-256(attest), and the quote itself re-verifies
 * with `verifyQuote`/`verifyTpmQuote` under the sensor's key.
 * @param statement - the statement bytes (from `result.statement` or `receiver.acknowledge`)
 * @param options - `receiverKey`: the receiver's signing public key (AkPublicKey, PEM or TPMT_PUBLIC); `upload`
 *   (optional): the upload message the statement must refer to; `quote` (optional): the quote it must name
 * @returns the statement's fields
 * @throws {InputError} bad argument types; {@link UploadFormatError} `UPLOAD_MALFORMED`, or {@link UploadError} `UPLOAD_STATEMENT_INVALID` when
 *   the signature does not verify or the statement refers to another upload or quote
 * @example
 * ```ts
 * const st = verifyUploadStatement(bytes, { receiverKey: rxKey.publicKey });
 * st.storageAddress; // the CID the receiver stored the upload under
 * ```
 */
export function verifyUploadStatement(
  statement: Uint8Array,
  options: { receiverKey: AkPublicKey | string | Uint8Array; upload?: Uint8Array; quote?: { attest: Uint8Array } },
): UploadStatement {
  return _verifyUploadStatementWith(nobleBackend, statement, options);
}

/** @internal {@link verifyUploadStatement} on a given signature back end. */
export function _verifyUploadStatementWith(
  backend: SigBackend,
  statement: Uint8Array,
  options: { receiverKey: AkPublicKey | string | Uint8Array; upload?: Uint8Array; quote?: { attest: Uint8Array } },
): UploadStatement {
  abytesRange(statement, 0, 4096, 'statement');
  const o = aobject<{ receiverKey: AkPublicKey | string | Uint8Array; upload?: Uint8Array; quote?: { attest: Uint8Array } }>(options, 'options', false)!;
  checkKeyArg(o.receiverKey, 'options.receiverKey');
  const upload = o.upload === undefined ? undefined : abytes(o.upload, undefined, 'options.upload');
  const attest = o.quote === undefined ? undefined : abytes(aobject<{ attest: Uint8Array }>(o.quote, 'options.quote', false)!.attest, undefined, 'options.quote.attest');
  const parsed = wrapMalformed('statement', () => {
    const r = readPrefix(statement, KIND_STATEMENT, 'statement');
    const akName = r.tpm2b('akName', MAX_NAME);
    const hashAlg = r.u16('pcrSelection.hashAlg');
    const bitmap = r.u32('pcrSelection.bitmap');
    if (bitmap >>> 24 !== 0) throw new UploadFormatError('statement: PCR index above 23', { code: 'UPLOAD_MALFORMED' });
    const pcrDigest = r.tpm2b('pcrDigest', MAX_DIGEST);
    const nonce = r.tpm2b('nonce', MAX_DIGEST);
    const uploadDigest = r.tpm2b('uploadDigest', 32);
    const attestDigest = r.tpm2b('attestDigest', 32);
    const address = r.tpm2b('storageAddress', MAX_STORAGE_ADDRESS);
    const issuedAt = r.u64('issuedAt');
    const bodyEnd = r.offset;
    const sig = r.tpm2b('signature', 1024);
    r.end();
    if (uploadDigest.length !== 32 || attestDigest.length !== 32) throw new UploadFormatError('statement: digests must be 32 bytes', { code: 'UPLOAD_MALFORMED' });
    if (issuedAt > BigInt(Number.MAX_SAFE_INTEGER)) throw new UploadFormatError('statement: issuedAt out of range', { code: 'UPLOAD_MALFORMED' });
    const pcrs = Array.from({ length: 24 }, (_, i) => i).filter((i) => (bitmap >>> i) & 1);
    const fields: UploadStatement = Object.freeze({
      akName,
      pcrSelection: Object.freeze({ hashAlg, pcrs: Object.freeze(pcrs) }),
      pcrDigest,
      nonce,
      uploadDigest,
      attestDigest,
      storageAddress: address.length === 0 ? undefined : bytesToUtf8(address),
      issuedAt: Number(issuedAt),
    });
    return { fields, body: statement.subarray(0, bodyEnd), sig };
  });
  if (!verifySignatureBytes(o.receiverKey, parsed.sig, parsed.body, backend)) {
    throw new UploadError('statement signature does not verify', { code: 'UPLOAD_STATEMENT_INVALID' });
  }
  if (upload !== undefined && !equalBytes(parsed.fields.uploadDigest, hashFn('sha256')(upload))) {
    throw new UploadError('statement refers to another upload', { code: 'UPLOAD_STATEMENT_INVALID' });
  }
  if (attest !== undefined && !equalBytes(parsed.fields.attestDigest, hashFn('sha256')(attest))) {
    throw new UploadError('statement refers to another quote', { code: 'UPLOAD_STATEMENT_INVALID' });
  }
  return parsed.fields;
}

/** Result of {@link verifyUploadResponse}. */
export interface UploadResponse {
  readonly accepted: boolean;
  readonly status: UploadStatus;
  readonly nonce: Uint8Array;
}

/**
 * Sensor side: checks the receiver's signed response to `upload` (FORMAT.md §3.3).
 * @param response - the response bytes
 * @param options - `receiverKey` (the receiver's signing public key: AkPublicKey, PEM or TPMT_PUBLIC) and `upload`
 *   (the upload message the response must refer to)
 * @returns `{accepted, status, nonce}`
 * @throws {InputError} bad argument types; {@link UploadFormatError} `UPLOAD_MALFORMED`, or {@link UploadError} `UPLOAD_RESPONSE_INVALID` when
 *   the signature does not verify or the response refers to another upload
 * @example
 * ```ts
 * const { accepted, status } = verifyUploadResponse(response, { receiverKey: rxKey.publicKey, upload });
 * ```
 */
export function verifyUploadResponse(
  response: Uint8Array,
  options: { receiverKey: AkPublicKey | string | Uint8Array; upload: Uint8Array },
): UploadResponse {
  return _verifyUploadResponseWith(nobleBackend, response, options);
}

/** @internal {@link verifyUploadResponse} on a given signature back end. */
export function _verifyUploadResponseWith(
  backend: SigBackend,
  response: Uint8Array,
  options: { receiverKey: AkPublicKey | string | Uint8Array; upload: Uint8Array },
): UploadResponse {
  abytesRange(response, 0, 2048, 'response');
  const o = aobject<{ receiverKey: AkPublicKey | string | Uint8Array; upload: Uint8Array }>(options, 'options', false)!;
  checkKeyArg(o.receiverKey, 'options.receiverKey');
  const upload = abytes(o.upload, undefined, 'options.upload');
  const parsed = wrapMalformed('response', () => {
    const r = readPrefix(response, KIND_RESPONSE, 'response');
    const code = r.u8('status');
    const nonce = r.tpm2b('nonce', MAX_DIGEST);
    const digest = r.tpm2b('uploadDigest', 32);
    const bodyEnd = r.offset;
    const sig = r.tpm2b('signature', 1024);
    r.end();
    const status = STATUS_NAMES.find((n) => UPLOAD_STATUS[n] === code);
    if (status === undefined) throw new UploadFormatError('response: unknown status', { code: 'UPLOAD_MALFORMED' });
    return { status, nonce, digest, body: response.subarray(0, bodyEnd), sig };
  });
  if (!verifySignatureBytes(o.receiverKey, parsed.sig, parsed.body, backend)) {
    throw new UploadError('response signature does not verify', { code: 'UPLOAD_RESPONSE_INVALID' });
  }
  if (!equalBytes(parsed.digest, hashFn('sha256')(upload))) {
    throw new UploadError('response refers to another upload', { code: 'UPLOAD_RESPONSE_INVALID' });
  }
  return Object.freeze({ accepted: parsed.status === 'ACCEPTED', status: parsed.status, nonce: parsed.nonce });
}
