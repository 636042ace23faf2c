/**
 * Bridge to `@privkit/envelope` for the envelope-wrapped secret (FORMAT.md §3.3). TEMPORARY: envelope's
 * `seal`/`open` are not exported yet, so this throws `UnsupportedError` until they are.
 * @module
 */
import { UnsupportedError } from '@privkit/core';

/** Seals `secret` to the recipient with `aad` bound. */
export function envelopeSeal(_secret: Uint8Array, _recipient: { publicKey: Uint8Array; suite?: string }, _aad: Uint8Array): Uint8Array {
  throw new UnsupportedError('envelope-wrapped secrets need @privkit/envelope seal/open, which are not available yet');
}

/** Opens an envelope with `aad` bound. */
export function envelopeOpen(_envelope: Uint8Array, _secretKey: Uint8Array, _aad: Uint8Array): Uint8Array {
  throw new UnsupportedError('envelope-wrapped secrets need @privkit/envelope seal/open, which are not available yet');
}
