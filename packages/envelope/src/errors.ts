/**
 * Errors thrown by `@privkit/envelope`. Decryption and authentication failures of every kind (HPKE `open`,
 * envelopes, streams, SM2 decryption) are one generic {@link OpenError} that carries no detail. It extends core's
 * `DecryptError`, so `instanceof DecryptError` catches it together with every other failed decryption
 * (docs/CONVENTIONS.md, "Errors").
 * @module
 */
import { DecryptError, LimitError, type ErrorOptions } from '@privkit/core';

/** Stable code of {@link OpenError}. */
export const OPEN_FAILED = 'ENVELOPE_AUTH_FAILED' as const;

/**
 * Opening (decrypting/authenticating) failed (`ENVELOPE_AUTH_FAILED`). Deliberately generic: wrong key, wrong sender,
 * wrong PSK, tampered/truncated/reordered data, invalid encapsulated keys and malformed headers are indistinguishable.
 * A {@link DecryptError}.
 * @example
 * ```ts
 * try { open(envelope, sk) } catch (e) { if (e instanceof OpenError) … } // or: e instanceof DecryptError
 * ```
 */
export class OpenError extends DecryptError<typeof OPEN_FAILED> {
  override name = 'OpenError' as const;
  constructor(shortMessage = 'open failed', options: ErrorOptions<typeof OPEN_FAILED> = {}) {
    super(shortMessage, { ...options, code: OPEN_FAILED });
  }
}

/**
 * An HPKE context reached its message limit (RFC 9180 §5.2 `MessageLimitReachedError`): the sequence number
 * would overflow. Code `HPKE_MESSAGE_LIMIT`. A `LimitError`.
 */
export class MessageLimitError extends LimitError<'HPKE_MESSAGE_LIMIT'> {
  override name = 'MessageLimitError' as const;
  constructor(shortMessage = 'HPKE context message limit reached', options: ErrorOptions<'HPKE_MESSAGE_LIMIT'> = {}) {
    super(shortMessage, { ...options, code: 'HPKE_MESSAGE_LIMIT' });
  }
}
