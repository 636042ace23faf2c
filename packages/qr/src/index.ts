/**
 * @privkit/qr — QR-encoded key sharing: key cards, passphrase- and envelope-wrapped secrets, k-of-n Shamir
 * shares, base45/URI text forms, fountain-coded multi-part QR, rendering (PNG/SVG/terminal) and decoding from images.
 * Wire formats: FORMAT.md.
 * @module
 */
export { QrFormatError, QrImageError, QrImageFormatError, QrFrameError, QrFrameFormatError, QrOpenError, ShareError, type QrErrorCode, type QrErrorOptions } from './errors.js';
export type { QrFormatErrorCode, QrImageErrorCode, QrImageFormatErrorCode, QrFrameErrorCode, QrFrameFormatErrorCode, ShareErrorCode } from './errors.js';
export { BASE45_ALPHABET, base45Encode, base45Decode } from './base45.js';
export { SECRET_KINDS, type SecretKind } from './_format.js';
export {
  KEY_TYPES,
  KEY_CARD_SUITES,
  FINGERPRINT_WIRE_LENGTH,
  encodeKeyCard,
  keyFingerprint,
  type KeyType,
  type KeyCard,
  type KeyCardInput,
} from './keycard.js';
export {
  SECRET_AEADS,
  PASSPHRASE_DEFAULTS,
  DEFAULT_MAX_MEMORY_KIB,
  SALT_LENGTH,
  MAX_SECRET_LENGTH,
  encodeSecret,
  openSecret,
  type SecretAead,
  type KdfParams,
  type SecretRecipient,
  type EncodeSecretInput,
  type OpenSecretOptions,
  type PassphraseSecret,
  type EnvelopeSecret,
  type EncryptedSecret,
} from './secret.js';
export { GROUP_ID_LENGTH, SHARE_CHECK_LENGTH, splitSecret, combineShares, type SplitOptions, type Share } from './shares.js';
export { PAYLOAD_TYPES, decodePayload, type Payload, type PayloadType } from './payload.js';
export { URI_SCHEME, payloadToText, textToPayload, type TextForm } from './text.js';
export {
  ECC_LEVELS,
  UR_TYPE,
  DEFAULT_MAX_VERSION,
  DEFAULT_FRAGMENT_LENGTH,
  toQr,
  type EccLevel,
  type FrameEncoding,
  type QrFrame,
  type ToQrOptions,
} from './qr.js';
export { renderPixels, renderPng, renderSvg, renderTerminal, type RenderOptions, type TerminalOptions, type Pixels } from './render.js';
export { decodeQrContent, type QrPart, type Scan, type Slip39Scan } from './content.js';
export { decodeQrImage, decodePng, type DecodeImageOptions } from './decode.js';
export { DEFAULT_MAX_PIXELS } from './_png.js';
export {
  DEFAULT_MAX_MESSAGE_LENGTH,
  DEFAULT_MAX_SEQ_LENGTH,
  DEFAULT_MAX_SEQUENCES,
  createAssembler,
  type Assembler, type AssemblerOptions, type AssemblyProgress } from './multipart.js';
export { DEFAULT_MAX_ITERATION_EXPONENT, slip39Split, slip39Combine, slip39ToQr, type Slip39SplitOptions, type Slip39CombineOptions } from './slip39.js';
