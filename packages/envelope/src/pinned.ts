/**
 * Envelopes and streams of one suite (FORMAT.md §3, §4), for apps that use one suite and want a bundle with only its algorithms:
 * `withSuite(X25519_SHA256_AES_256_GCM)` keeps DHKEM(X25519), HKDF-SHA256 and AES-256-GCM, where `seal`/`open`
 * (which take any suite name and open any suite) keep every KEM, KDF and AEAD. Same formats, same checks: an
 * envelope or stream sealed here opens with `open`/`createOpener`, and the other way round when its suite is this one.
 * @module
 */
import { abytes, aobject, InputError } from '@privkit/core';
import { pinnedResolver, readOpenInputs, readSealInputs, sealableSuite, type OpenOptions, type SealOptions } from './_header.js';
import { openWith, sealWith } from './envelope.js';
import { openerWith, readChunkSize, sealerWith, toTransform, type StreamProcessor, type StreamSealOptions } from './stream.js';
import type * as hpke from './hpke.js';
import { isSuite } from './_suite.js';

/** Options of {@link SuiteEnvelope.seal}: those of `seal` without `suite` (fixed by {@link withSuite}). */
export type PinnedSealOptions = Omit<SealOptions, 'suite'>;
/** Options of {@link SuiteEnvelope.open}: those of `open` without `suites` (only the pinned suite opens). */
export type PinnedOpenOptions = Omit<OpenOptions, 'suites'>;

/** Options of {@link SuiteEnvelope.createSealer} and `sealStream`: those of `createSealer` without `suite`. */
export type PinnedStreamSealOptions = Omit<StreamSealOptions, 'suite'>;

/** `seal`, `open` and the streams for one suite (see {@link withSuite}). */
export interface SuiteEnvelope {
  /** The suite every envelope of this object uses. */
  readonly suite: hpke.Suite;
  /**
   * Seals `plaintext` for 1 to 1,000 recipients of this suite's KEM (as `seal`).
   * @throws {InputError} bad arguments; {KeyError} an invalid recipient key; {LimitError} more than 1,000 recipients
   */
  seal(plaintext: Uint8Array, recipients: readonly Uint8Array[], options?: PinnedSealOptions): Uint8Array;
  /**
   * Opens an envelope of this suite (as `open`); an envelope of any other suite fails with `OpenError`.
   * @throws {OpenError} on every failure to authenticate/decrypt (no detail); {InputError} bad argument types
   */
  open(envelope: Uint8Array, secretKey: Uint8Array, options?: PinnedOpenOptions): Uint8Array;
  /** An incremental stream sealer of this suite (as `createSealer`, FORMAT.md §4). */
  createSealer(recipients: readonly Uint8Array[], options?: PinnedStreamSealOptions): StreamProcessor;
  /** An incremental stream opener that accepts only this suite (as `createOpener`). */
  createOpener(secretKey: Uint8Array, options?: PinnedOpenOptions): StreamProcessor;
  /** A Web Streams sealer of this suite (as `sealStream`). */
  sealStream(recipients: readonly Uint8Array[], options?: PinnedStreamSealOptions): TransformStream<Uint8Array, Uint8Array>;
  /** A Web Streams opener that accepts only this suite (as `openStream`). */
  openStream(secretKey: Uint8Array, options?: PinnedOpenOptions): TransformStream<Uint8Array, Uint8Array>;
}

function options<T extends object>(v: unknown, fixed: string): T {
  const o = aobject<T>(v, 'options') ?? ({} as T);
  if ((o as Record<string, unknown>)[fixed] !== undefined) {
    throw new InputError(`"options.${fixed}" is fixed by withSuite(...) and must not be given`, { code: 'INVALID_VALUE' });
  }
  return o;
}

/**
 * Envelopes of one suite, with only that suite's algorithms reachable (so a bundler drops the others).
 * @param suite - a named suite constant such as `X25519_SHA256_AES_256_GCM`, or `hpke.suite(...)` (not export-only)
 * @returns a frozen {@link SuiteEnvelope}
 * @throws {InputError} `INVALID_TYPE` when `suite` is not a suite of this package, `INVALID_VALUE` for an export-only suite
 * @example
 * ```ts
 * import { withSuite, X25519_SHA256_AES_256_GCM } from '@privkit/envelope';
 * import { utf8ToBytes } from '@privkit/core';
 * const env = withSuite(X25519_SHA256_AES_256_GCM);
 * const kp = env.suite.kem.generateKeyPair();
 * const sealed = env.seal(utf8ToBytes('reading 21.5'), [kp.publicKey]);
 * env.open(sealed, kp.secretKey); // the plaintext
 * ```
 */
export function withSuite(suite: hpke.Suite): SuiteEnvelope {
  if (!isSuite(suite)) {
    throw new InputError('"suite" expected a named suite constant (e.g. X25519_SHA256_AES_256_GCM) or hpke.suite(...)', { code: 'INVALID_TYPE' });
  }
  const s = sealableSuite(suite, 'suite');
  const resolve = pinnedResolver(s);
  function createSealer(recipients: readonly Uint8Array[], opts?: PinnedStreamSealOptions): StreamProcessor {
    const o = options<PinnedStreamSealOptions>(opts, 'suite');
    const { aad, senderSecretKey } = readSealInputs(o);
    return sealerWith(s, recipients, aad, senderSecretKey, readChunkSize(o));
  }
  function createOpener(secretKey: Uint8Array, opts?: PinnedOpenOptions): StreamProcessor {
    abytes(secretKey, undefined, 'secretKey');
    const { aad, senderPublicKey } = readOpenInputs(options<PinnedOpenOptions>(opts, 'suites'));
    return openerWith(resolve, secretKey, aad, senderPublicKey);
  }
  return Object.freeze({
    suite: s,
    seal(plaintext: Uint8Array, recipients: readonly Uint8Array[], opts?: PinnedSealOptions): Uint8Array {
      abytes(plaintext, undefined, 'plaintext');
      const { aad, senderSecretKey } = readSealInputs(options<PinnedSealOptions>(opts, 'suite'));
      return sealWith(s, plaintext, recipients, aad, senderSecretKey);
    },
    open(envelope: Uint8Array, secretKey: Uint8Array, opts?: PinnedOpenOptions): Uint8Array {
      abytes(envelope, undefined, 'envelope');
      abytes(secretKey, undefined, 'secretKey');
      const { aad, senderPublicKey } = readOpenInputs(options<PinnedOpenOptions>(opts, 'suites'));
      return openWith(resolve, envelope, secretKey, aad, senderPublicKey);
    },
    createSealer,
    createOpener,
    sealStream: (recipients: readonly Uint8Array[], opts?: PinnedStreamSealOptions) => toTransform(createSealer(recipients, opts)),
    openStream: (secretKey: Uint8Array, opts?: PinnedOpenOptions) => toTransform(createOpener(secretKey, opts)),
  });
}
