import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes, isPrivkitError, randomBytes } from '@privkit/core';
import { DEFAULT_MAX_ITERATION_EXPONENT, decodeQrImage, renderPixels, slip39Combine, slip39Split, slip39ToQr } from '@privkit/qr';
import { describe, expect, it } from 'vitest';
import { SLIP39_WORDS } from '../src/_slip39-wordlist.js';
import { _encodeMnemonic, _parseSlip39 } from '../src/slip39.js';

type Vector = [description: string, mnemonics: string[], masterSecretHex: string, xprv: string];
const V = JSON.parse(readFileSync(new URL('./vectors/python-shamir-mnemonic/slip39-vectors.json', import.meta.url), 'utf8')) as Vector[];

// BIP-32 master key serialisation (BIP-32 §"Master key generation", §"Serialization format"), to check the xprv column.
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58check(payload: Uint8Array): string {
  const data = concatBytes(payload, sha256(sha256(payload)).subarray(0, 4));
  let n = BigInt(`0x${bytesToHex(data)}`);
  let s = '';
  while (n > 0n) {
    s = B58[Number(n % 58n)]! + s;
    n /= 58n;
  }
  for (const b of data) {
    if (b !== 0) break;
    s = `1${s}`;
  }
  return s;
}
function xprv(seed: Uint8Array): string {
  const I = hmac(sha512, new TextEncoder().encode('Bitcoin seed'), seed);
  const payload = concatBytes(hexToBytes('0488ade4'), new Uint8Array(1 + 4 + 4), I.subarray(32), new Uint8Array(1), I.subarray(0, 32));
  return base58check(payload);
}

describe('SLIP-0039 (trezor/python-shamir-mnemonic vectors)', () => {
  it('wordlist matches the published list', () => {
    const w = SLIP39_WORDS.split(' ');
    expect(w).toHaveLength(1024);
    expect(createHash('sha256').update(`${w.join('\n')}\n`).digest('hex')).toBe('bcc4555340332d169718aed8bf31dd9d5248cb7da6e5d355140ef4f1e601eec3');
  });
  it('has all 45 vectors', () => expect(V).toHaveLength(45));
  const expectedCode = (d: string): string => {
    const rules: [RegExp, string][] = [
      [/invalid checksum/, 'QR_CHECKSUM'],
      [/invalid padding|insufficient length|invalid master secret length|greater group threshold/, 'QR_MALFORMED'],
      [/different identifiers|different iteration exponents|mismatching group thresholds|mismatching group counts|mismatching member thresholds/, 'SHARE_GROUP_MISMATCH'],
      [/duplicate member indices/, 'SHARE_DUPLICATE'],
      [/invalid digest/, 'SHARE_INTEGRITY'],
      [/Insufficient number of groups|insufficient number of members|Basic sharing/, 'SHARE_TOO_FEW'],
    ];
    const hit = rules.find(([re]) => re.test(d));
    if (!hit) throw new Error(`no expected error code for ${d}`);
    return hit[1];
  };
  V.forEach(([description, mnemonics, secretHex, xprvExpected]) => {
    it(description, () => {
      if (secretHex) {
        const secret = slip39Combine(mnemonics, 'TREZOR');
        expect(bytesToHex(secret)).toBe(secretHex);
        expect(xprv(secret)).toBe(xprvExpected);
      } else {
        let err: unknown;
        try {
          slip39Combine(mnemonics, 'TREZOR');
        } catch (e) {
          err = e;
        }
        expect(err, 'must be rejected').toBeDefined();
        expect(isPrivkitError(err, expectedCode(description)), String(err)).toBe(true);
      }
    });
  });
  it('split → combine round trip, two-level, any order, extendable or not', () => {
    for (const extendable of [true, false]) {
      const secret = randomBytes(16);
      const groups = slip39Split(secret, { groupThreshold: 2, groups: [[2, 3], [1, 1], [3, 5]], passphrase: 'pw', iterationExponent: 0, extendable });
      expect(groups.map((g) => g.length)).toEqual([3, 1, 5]);
      expect(groups.flat().every((m) => m.split(' ').length === 20)).toBe(true);
      expect(slip39Combine([groups[2]![4]!, groups[0]![2]!, groups[2]![0]!, groups[0]![0]!, groups[2]![1]!], 'pw')).toEqual(secret);
      expect(slip39Combine([groups[1]![0]!, groups[0]![1]!, groups[0]![2]!], 'pw')).toEqual(secret);
      // a wrong passphrase gives a different secret by design (SLIP-0039 plausible deniability), never an error
      expect(slip39Combine([groups[1]![0]!, groups[0]![1]!, groups[0]![2]!], 'other')).not.toEqual(secret);
    }
    const s32 = randomBytes(32);
    const [g] = slip39Split(s32, { groups: [[2, 3]], iterationExponent: 0 });
    expect(g![0]!.split(' ').length).toBe(33);
    expect(slip39Combine([g![2]!.toUpperCase(), g![1]!])).toEqual(s32);
  });
  it('mnemonics render to QR (alphanumeric mode) and scan back from pixels, in any order', () => {
    const secret = randomBytes(32);
    const [g] = slip39Split(secret, { groups: [[3, 5]], iterationExponent: 0 });
    const scanned = [g![4]!, g![1]!, g![3]!].map((m) => {
      const f = slip39ToQr(m);
      expect([f.encoding, f.ecc]).toEqual(['slip39', 'Q']);
      expect(f.content).toBe(m.toUpperCase());
      const px = renderPixels(f, { scale: 3 });
      const s = decodeQrImage(px.data, px.width, px.height);
      expect(s.type).toBe('slip39');
      return s.type === 'slip39' ? s.mnemonic : '';
    });
    expect(slip39Combine(scanned)).toEqual(secret);
    const bad = g![0]!.split(' ');
    bad[5] = bad[5] === 'academic' ? 'acid' : 'academic';
    expect(() => slip39ToQr(bad.join(' '))).toThrow(expect.objectContaining({ code: 'QR_CHECKSUM' }));
  });
  it('rejects bad split arguments with typed errors', () => {
    for (const o of [{ groups: [] }, { groups: [[1, 2]] }, { groups: [[3, 2]] }, { groups: [[2, 3]], groupThreshold: 2 }, { groups: [[2, 17]] }]) {
      expect(() => slip39Split(randomBytes(16), o as never), JSON.stringify(o)).toThrow(expect.objectContaining({ name: 'InputError' }));
    }
    expect(() => slip39Split(randomBytes(15), { groups: [[1, 1]] })).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
    expect(() => slip39Combine('abc' as never)).toThrow(expect.objectContaining({ name: 'InputError' }));
    expect(() => slip39Combine([])).toThrow(expect.objectContaining({ code: 'SHARE_TOO_FEW' }));
  });
});

describe('SLIP-39 iteration-exponent cost attack (issue #16 item 5)', () => {
  // A mnemonic carries its own PBKDF2 cost: e = 15 is 10000·2^15 iterations (about 10 minutes). Re-encode genuine
  // shares with a larger exponent (the RS1024 checksum recomputed), as a hostile QR would present them.
  const withExponent = (mnemonics: string[], e: number): string[] => mnemonics.map((m) => _encodeMnemonic({ ..._parseSlip39(m), e }));
  const [group] = slip39Split(randomBytes(16), { groups: [[2, 3]], iterationExponent: 0 });

  it('slip39 iteration exponent DoS: e = 15 is refused with LimitError before any key derivation', () => {
    const hostile = withExponent(group!.slice(0, 2), 15);
    expect(_parseSlip39(hostile[0]!).e).toBe(15);
    expect(() => slip39Combine(hostile)).toThrow(expect.objectContaining({ name: 'LimitError', code: 'LIMIT_EXCEEDED' }));
    expect(() => slip39Combine(hostile, 'pw', { maxIterationExponent: 14 })).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
  });
  it('the default cap admits e ≤ DEFAULT_MAX_ITERATION_EXPONENT; the option lowers or raises it', () => {
    expect(DEFAULT_MAX_ITERATION_EXPONENT).toBe(5);
    const secret = randomBytes(16);
    const [g] = slip39Split(secret, { groups: [[2, 3]], iterationExponent: 2 });
    expect(slip39Combine(g!.slice(1))).toEqual(secret);
    expect(slip39Combine(g!.slice(1), '', { maxIterationExponent: 2 })).toEqual(secret);
    expect(() => slip39Combine(g!.slice(1), '', { maxIterationExponent: 1 })).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    expect(() => slip39Combine(withExponent(g!.slice(1), DEFAULT_MAX_ITERATION_EXPONENT + 1))).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
  });
  it('rejects bad options with InputError', () => {
    for (const o of [{ maxIterationExponent: 16 }, { maxIterationExponent: -1 }, { maxIterationExponent: 1.5 }, 'x', null]) {
      expect(() => slip39Combine(group!.slice(0, 2), '', o as never), JSON.stringify(o)).toThrow(expect.objectContaining({ name: 'InputError' }));
    }
  });
});
