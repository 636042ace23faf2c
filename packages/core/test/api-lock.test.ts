/**
 * API lock (CONVENTIONS §13): the sorted runtime export names of each entry point. Other core engineers add
 * exports: refresh with `npx vitest run --project core test/api-lock.test.ts -u` and check the diff only adds names.
 */
import { describe, expect, it } from 'vitest';
import * as node from '../src/index.node.js';
import * as portable from '../src/index.js';
import * as testing from '../src/testing.js';

const names = (m: object) => Object.keys(m).sort();

describe('API lock', () => {
  it('index.ts', () => {
    expect(names(portable)).toMatchInlineSnapshot(`
      [
        "AEAD_IDS",
        "AEAD_PARAMS",
        "ARGON2ID_DEFAULTS",
        "CHEBYSHEV_PARAMS",
        "DH_GROUP_IDS",
        "DecryptError",
        "EncodingError",
        "HASH_IDS",
        "InputError",
        "KeyError",
        "LimitError",
        "PrivkitError",
        "SCRYPT_DEFAULTS",
        "SM2_DEFAULT_USER_ID",
        "SM2_PARAMS",
        "UnsupportedError",
        "abigint",
        "abool",
        "abytes",
        "abytesRange",
        "anumber",
        "aobject",
        "aoneOf",
        "argon2id",
        "astring",
        "bytesToHex",
        "bytesToNumberBE",
        "bytesToUtf8",
        "chebyshev",
        "concatBytes",
        "copyBytes",
        "equalBytes",
        "getAead",
        "getDhGroup",
        "getHash",
        "hexToBytes",
        "hkdf",
        "hkdfExpand",
        "hkdfExtract",
        "hmacSm3",
        "isBytes",
        "isPrivkitError",
        "isWellFormedString",
        "numberToBytesBE",
        "randomBytes",
        "scrypt",
        "sm2",
        "sm3",
        "sm3Kdf",
        "sm4",
        "u16BE",
        "u32BE",
        "utf8ToBytes",
        "zeroize",
      ]
    `);
  });
  it('index.node.ts has exactly the same names as index.ts', () => {
    expect(names(node)).toEqual(names(portable));
    expect(names(node)).toMatchInlineSnapshot(`
      [
        "AEAD_IDS",
        "AEAD_PARAMS",
        "ARGON2ID_DEFAULTS",
        "CHEBYSHEV_PARAMS",
        "DH_GROUP_IDS",
        "DecryptError",
        "EncodingError",
        "HASH_IDS",
        "InputError",
        "KeyError",
        "LimitError",
        "PrivkitError",
        "SCRYPT_DEFAULTS",
        "SM2_DEFAULT_USER_ID",
        "SM2_PARAMS",
        "UnsupportedError",
        "abigint",
        "abool",
        "abytes",
        "abytesRange",
        "anumber",
        "aobject",
        "aoneOf",
        "argon2id",
        "astring",
        "bytesToHex",
        "bytesToNumberBE",
        "bytesToUtf8",
        "chebyshev",
        "concatBytes",
        "copyBytes",
        "equalBytes",
        "getAead",
        "getDhGroup",
        "getHash",
        "hexToBytes",
        "hkdf",
        "hkdfExpand",
        "hkdfExtract",
        "hmacSm3",
        "isBytes",
        "isPrivkitError",
        "isWellFormedString",
        "numberToBytesBE",
        "randomBytes",
        "scrypt",
        "sm2",
        "sm3",
        "sm3Kdf",
        "sm4",
        "u16BE",
        "u32BE",
        "utf8ToBytes",
        "zeroize",
      ]
    `);
  });
  it('testing.ts', () => {
    expect(names(testing)).toMatchInlineSnapshot(`
      [
        "arbAeadId",
        "arbAeadInput",
        "arbDhGroupId",
        "arbHashId",
        "arbSm2UserId",
        "arbTamper",
        "bitFlips",
        "hostileBytes",
        "hostileNumbers",
        "hostileValues",
        "truncations",
      ]
    `);
  });
  it('node entry overrides the fast-path names with different implementations', () => {
    for (const k of ['sm3', 'hmacSm3', 'sm4', 'getAead'] as const) expect(node[k]).not.toBe(portable[k]);
  });
});
