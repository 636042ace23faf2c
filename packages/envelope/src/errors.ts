/**
 * Errors thrown by `@privkit/envelope`. Decryption and authentication failures of every kind (HPKE `open`,
 * envelopes, streams, SM2 decryption) are one generic {@link OpenError} that carries no detail.
 * @module
 */
import { LimitError, PrivkitError } from '@privkit/core';

/** Stable code of {@link OpenError}. */
export const OPEN_FAILED = 'ENVELOPE_AUTH_FAILED' as const;

/**
 * Opening (decrypting/authenticating) failed. Deliberately generic: wrong key, wrong sender, wrong PSK,
 * tampered/truncated/reordered data, invalid encapsulated keys and malformed headers are indistinguishable.
 * @example
 * ```ts
 * try { open(envelope, sk) } catch (e) { if (e instanceof OpenError) … }
 * ```
 */
export class OpenError extends PrivkitError {
  override name = 'OpenError' as const;
  constructor() {
    super('open failed', { code: OPEN_FAILED });
  }
}

/**
 * An HPKE context reached its message limit (RFC 9180 §5.2 `MessageLimitReachedError`): the sequence number
 * would overflow. Code `HPKE_MESSAGE_LIMIT`.
 */
export class MessageLimitError extends LimitError {
  override name = 'MessageLimitError' as const;
  constructor() {
    super('HPKE context message limit reached', { code: 'HPKE_MESSAGE_LIMIT' });
  }
}
