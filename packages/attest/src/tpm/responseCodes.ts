/**
 * TPM_RC decoding: TPM 2.0 Library Part 2 §6.6 (TPM_RC values) and Part 1 §6.6 / Part 2 §6.6.2 (response code
 * format: format-zero — version-1 errors, warnings, vendor codes, TPM 1.2 codes — and format-one with the handle,
 * session or parameter number).
 * @module
 */
import { anumber } from '@privkit/core';

const RC_VER1 = 0x100;
const RC_FMT1 = 0x080;
const RC_WARN = 0x900;

/** Format-zero version-1 errors: TPM_RC_VER1 + n. */
const VER1: Readonly<Record<number, string>> = Object.freeze({
  0x000: 'INITIALIZE', 0x001: 'FAILURE', 0x003: 'SEQUENCE', 0x00b: 'PRIVATE', 0x019: 'HMAC', 0x020: 'DISABLED',
  0x021: 'EXCLUSIVE', 0x024: 'AUTH_TYPE', 0x025: 'AUTH_MISSING', 0x026: 'POLICY', 0x027: 'PCR', 0x028: 'PCR_CHANGED',
  0x02d: 'UPGRADE', 0x02e: 'TOO_MANY_CONTEXTS', 0x02f: 'AUTH_UNAVAILABLE', 0x030: 'REBOOT', 0x031: 'UNBALANCED',
  0x042: 'COMMAND_SIZE', 0x043: 'COMMAND_CODE', 0x044: 'AUTHSIZE', 0x045: 'AUTH_CONTEXT', 0x046: 'NV_RANGE',
  0x047: 'NV_SIZE', 0x048: 'NV_LOCKED', 0x049: 'NV_AUTHORIZATION', 0x04a: 'NV_UNINITIALIZED', 0x04b: 'NV_SPACE',
  0x04c: 'NV_DEFINED', 0x050: 'BAD_CONTEXT', 0x051: 'CPHASH', 0x052: 'PARENT', 0x053: 'NEEDS_TEST', 0x054: 'NO_RESULT',
  0x055: 'SENSITIVE', 0x07f: 'MAX_FMT0',
});
/** Format-one errors: TPM_RC_FMT1 + n. */
const FMT1: Readonly<Record<number, string>> = Object.freeze({
  0x001: 'ASYMMETRIC', 0x002: 'ATTRIBUTES', 0x003: 'HASH', 0x004: 'VALUE', 0x005: 'HIERARCHY', 0x007: 'KEY_SIZE',
  0x008: 'MGF', 0x009: 'MODE', 0x00a: 'TYPE', 0x00b: 'HANDLE', 0x00c: 'KDF', 0x00d: 'RANGE', 0x00e: 'AUTH_FAIL',
  0x00f: 'NONCE', 0x010: 'PP', 0x012: 'SCHEME', 0x015: 'SIZE', 0x016: 'SYMMETRIC', 0x017: 'TAG', 0x018: 'SELECTOR',
  0x01a: 'INSUFFICIENT', 0x01b: 'SIGNATURE', 0x01c: 'KEY', 0x01d: 'POLICY_FAIL', 0x01f: 'INTEGRITY', 0x020: 'TICKET',
  0x021: 'RESERVED_BITS', 0x022: 'BAD_AUTH', 0x023: 'EXPIRED', 0x024: 'POLICY_CC', 0x025: 'BINDING', 0x026: 'CURVE',
  0x027: 'ECC_POINT', 0x028: 'FW_LIMITED', 0x029: 'SVN_LIMITED',
});
/** Warnings: TPM_RC_WARN + n. */
const WARN: Readonly<Record<number, string>> = Object.freeze({
  0x001: 'CONTEXT_GAP', 0x002: 'OBJECT_MEMORY', 0x003: 'SESSION_MEMORY', 0x004: 'MEMORY', 0x005: 'SESSION_HANDLES',
  0x006: 'OBJECT_HANDLES', 0x007: 'LOCALITY', 0x008: 'YIELDED', 0x009: 'CANCELED', 0x00a: 'TESTING',
  0x010: 'REFERENCE_H0', 0x011: 'REFERENCE_H1', 0x012: 'REFERENCE_H2', 0x013: 'REFERENCE_H3', 0x014: 'REFERENCE_H4',
  0x015: 'REFERENCE_H5', 0x016: 'REFERENCE_H6', 0x018: 'REFERENCE_S0', 0x019: 'REFERENCE_S1', 0x01a: 'REFERENCE_S2',
  0x01b: 'REFERENCE_S3', 0x01c: 'REFERENCE_S4', 0x01d: 'REFERENCE_S5', 0x01e: 'REFERENCE_S6', 0x020: 'NV_RATE',
  0x021: 'LOCKOUT', 0x022: 'RETRY', 0x023: 'NV_UNAVAILABLE', 0x07f: 'NOT_USED',
});

/** TPM_RC_SUCCESS. */
export const TPM_RC_SUCCESS = 0;
/** TPM_RC_INITIALIZE: TPM2_Startup was already run (or is required first). */
export const TPM_RC_INITIALIZE = RC_VER1;
/** TPM_RC_RETRY, TPM_RC_YIELDED, TPM_RC_TESTING: the command may be resent. */
export const TPM_RC_RETRYABLE: readonly number[] = Object.freeze([RC_WARN + 0x022, RC_WARN + 0x008, RC_WARN + 0x00a]);

/**
 * Decodes a TPM_RC to its name (Part 2 §6.6), with the handle/session/parameter number for format-one codes.
 * @param rc - the 32-bit response code
 * @returns e.g. `TPM_RC_SUCCESS`, `TPM_RC_LOCALITY`, `TPM_RC_VALUE (parameter 1)`, `TPM_RC_AUTH_FAIL (session 1)`,
 *   `TPM_RC_VENDOR (0x...)`, `TPM 1.2 error 0x..`, or `TPM_RC unknown (0x...)`
 * @throws {InputError} when rc is not a 32-bit unsigned integer
 * @example
 * ```ts
 * tpmRcName(0x98e); // 'TPM_RC_AUTH_FAIL (session 1)'
 * ```
 */
export function tpmRcName(rc: number): string {
  anumber(rc, 'rc', 0, 0xffffffff);
  const hex = `0x${rc.toString(16).padStart(3, '0')}`;
  if (rc === 0) return 'TPM_RC_SUCCESS';
  if (rc === 0x01e) return 'TPM_RC_BAD_TAG';
  if (rc > 0xfff) return `TPM_RC unknown (${hex})`;
  if (rc & RC_FMT1) {
    const name = FMT1[rc & 0x3f];
    const base = name ? `TPM_RC_${name}` : `TPM_RC_FMT1 unknown (${hex})`;
    const n = (rc >> 8) & 0xf;
    if (rc & 0x40) return `${base} (parameter ${n})`;
    if (rc & 0x800) return `${base} (session ${n & 7})`;
    return n === 0 ? base : `${base} (handle ${n & 7})`;
  }
  if (rc & 0x400) return `TPM_RC_VENDOR (${hex})`;
  if ((rc & 0xd00) === RC_WARN) {
    const name = WARN[rc & 0x7f];
    return name ? `TPM_RC_${name}` : `TPM_RC_WARN unknown (${hex})`;
  }
  if ((rc & 0x900) === RC_VER1) {
    const name = VER1[rc & 0x7f];
    return name ? `TPM_RC_${name}` : `TPM_RC_VER1 unknown (${hex})`;
  }
  return `TPM 1.2 error (${hex})`;
}
