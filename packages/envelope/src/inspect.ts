/**
 * Reading an envelope's public header without any key (FORMAT.md §3–4): suite, recipient key ids, sender key id,
 * stream chunk size. Nothing here is authenticated until `open` succeeds.
 * @module
 */
import { abytes, EncodingError } from '@privkit/core';
import { KID_LENGTH, keyId as kid, parseHeader, KIND_ENVELOPE, KIND_STREAM, registryResolver } from './_header.js';
import { resolveSuite, type SuiteLike } from './named.js';
import type * as hpke from './hpke.js';

/** The public, unauthenticated header fields of an envelope or stream. */
export interface EnvelopeInfo {
  /** `envelope` (one-shot, kind 1) or `stream` (kind 2). */
  readonly kind: 'envelope' | 'stream';
  /** The suite (cached `hpke.suite` object). */
  readonly suite: hpke.Suite;
  /** Recipient key ids in slot order (8 bytes each). */
  readonly keyIds: readonly Uint8Array[];
  /** Sender key id when the envelope is sender-authenticated. */
  readonly senderKeyId: Uint8Array | undefined;
  /** Plaintext bytes per chunk (streams only). */
  readonly chunkSize: number | undefined;
  /** Header length in bytes. */
  readonly headerLength: number;
}

/**
 * Parses the public header of an envelope or of the beginning of a stream (FORMAT.md §3, §4), e.g. to pick the
 * right secret key or to look up the sender's public key by its key id. Unauthenticated: `open` decides.
 * @param envelope - an envelope, or at least the header bytes of a stream
 * @returns the header fields
 * @throws {EncodingError} `INVALID_ENCODING` if the bytes are not a (complete) PrivKit envelope header
 * @example
 * ```ts
 * const { suite, keyIds, senderKeyId } = inspect(env);
 * ```
 */
export function inspect(envelope: Uint8Array): EnvelopeInfo {
  abytes(envelope, undefined, 'envelope');
  const kind = envelope[5] === KIND_STREAM ? KIND_STREAM : KIND_ENVELOPE;
  let p;
  try {
    p = parseHeader(envelope, kind, kind === KIND_STREAM ? 11 : 0, registryResolver());
  } catch (e) {
    throw new EncodingError('not a PrivKit envelope header', { cause: e });
  }
  if (typeof p === 'number') throw new EncodingError(`truncated envelope header: need ${p} bytes, got ${envelope.length}`);
  const keyIds: Uint8Array[] = [];
  for (let i = 0; i < p.n; i++) keyIds.push(p.kids.slice(i * KID_LENGTH, (i + 1) * KID_LENGTH));
  return Object.freeze({
    kind: kind === KIND_STREAM ? 'stream' : 'envelope',
    suite: p.suite,
    keyIds: Object.freeze(keyIds),
    senderKeyId: p.auth ? p.prefix.slice(15, 15 + KID_LENGTH) : undefined,
    chunkSize: kind === KIND_STREAM ? new DataView(p.extra.buffer, p.extra.byteOffset).getUint32(0) : undefined,
    headerLength: p.end,
  });
}

/**
 * The 8-byte key id of a public key in envelopes of `suite` (FORMAT.md §3.2):
 * `Hash("PrivKit envelope v1 kid" ‖ I2OSP(kem_id, 2) ‖ pk)[0..8]`.
 * @param suite - suite name or `hpke.suite(...)`
 * @param publicKey - serialized public key of the suite's KEM
 * @returns 8 bytes
 * @throws {InputError} bad arguments
 * @example
 * ```ts
 * const mine = keyId('X25519-SHA256-AES-256-GCM', publicKey);
 * ```
 */
export function keyId(suite: SuiteLike, publicKey: Uint8Array): Uint8Array {
  const s = resolveSuite(suite);
  return kid(s, abytes(publicKey, s.kem.lengths.publicKey, 'publicKey'));
}
