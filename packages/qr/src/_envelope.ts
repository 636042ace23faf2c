/**
 * Bridge to `@privkit/envelope` for the envelope-wrapped secret (FORMAT.md §3.3): one-recipient `seal`/`open`
 * with the QR header bound as the envelope's associated data.
 * @module
 */
import { open, seal, type SuiteName } from '@privkit/envelope';

/** Seals `secret` to the recipient with `aad` bound. */
export function envelopeSeal(secret: Uint8Array, recipient: { publicKey: Uint8Array; suite?: string }, aad: Uint8Array): Uint8Array {
  return seal(secret, [recipient.publicKey], recipient.suite === undefined ? { aad } : { aad, suite: recipient.suite as SuiteName });
}

/** Opens an envelope with `aad` bound. */
export function envelopeOpen(envelope: Uint8Array, secretKey: Uint8Array, aad: Uint8Array): Uint8Array {
  return open(envelope, secretKey, { aad });
}
