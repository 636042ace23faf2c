/**
 * Payload dispatch: parses any PrivKit QR payload (FORMAT.md §1) into its typed form.
 * @module
 */
import { abytes } from '@privkit/core';
import { openFrame, TYPE_CODES, type PayloadType } from './_format.js';
import { _parseKeyCard, type KeyCard } from './keycard.js';
import { _parseEnvelopeSecret, _parsePassphraseSecret, type EnvelopeSecret, type PassphraseSecret } from './secret.js';
import { _parseShare, type Share } from './shares.js';

export type { PayloadType } from './_format.js';

/** Any decoded payload, discriminated by `type`. */
export type Payload = KeyCard | PassphraseSecret | EnvelopeSecret | Share;

/** Payload type names and their wire codes (low nibble of the header byte). Frozen. */
export const PAYLOAD_TYPES = TYPE_CODES;

/**
 * Parses payload bytes (checks the version, type and checksum, then the type's fields).
 * @param bytes - payload bytes
 * @returns the typed payload
 * @throws {InputError} when `bytes` is not a Uint8Array
 * @throws {QrFormatError} QR_MALFORMED, QR_CHECKSUM, QR_UNSUPPORTED_VERSION, QR_UNKNOWN_TYPE
 * @example
 * ```ts
 * const p = decodePayload(bytes);
 * if (p.type === 'keyCard') console.log(p.label, p.keyType);
 * ```
 */
export function decodePayload(bytes: Uint8Array): Payload {
  abytes(bytes, undefined, 'bytes');
  const { type, body } = openFrame(bytes);
  const parse: Record<PayloadType, (b: Uint8Array) => Payload> = {
    keyCard: _parseKeyCard,
    passphraseSecret: _parsePassphraseSecret,
    envelopeSecret: _parseEnvelopeSecret,
    share: _parseShare,
  };
  return parse[type](body);
}

/** The payload type of `bytes` without a full parse (version and checksum are checked). @internal */
export function _payloadType(bytes: Uint8Array): PayloadType {
  return openFrame(bytes).type;
}
