import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@privkit/core';
import { describe, expect, it } from 'vitest';
import {
  encodeTpmsAttest,
  encodeTpmtSignature,
  parseAkPublicKey,
  parseTpmsAttest,
  parseTpmtSignature,
  spkiPem,
  verifyTpmQuote,
  type PcrValues,
  type VerifyTpmQuoteInput,
} from '@privkit/attest';

const dir = new URL('./vectors/tpm/', import.meta.url);
const b64 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64'));

interface Keylime {
  ak_pub_spki_pem: string;
  nonce_hex: string;
  quote_tpms_attest_hex: string;
  quote_parsed: Record<string, unknown> & { pcrSelect: { hash: string; pcrSelect: string }[] };
  sig_tpmt_signature_hex: string;
  pcr_bank: 'sha256';
  pcrs: Record<string, string>;
}
interface Gcp {
  AK: { Public: string };
  Quote: { Nonce: string; Quote: string; Signature: string };
  Log: { PCRs: { Index: number; Digest: string; DigestAlg: number }[] };
}
const keylime = JSON.parse(readFileSync(new URL('keylime-swtpm-quote.json', dir), 'utf8')) as Keylime;
const gcp = JSON.parse(readFileSync(new URL('go-attestation-windows_gcp_shielded_vm.json', dir), 'utf8')) as Gcp;

function flip(b: Uint8Array, i: number, mask = 1): Uint8Array {
  const c = Uint8Array.from(b);
  c[i]! ^= mask;
  return c;
}

describe('keylime swtpm quote (RSASSA/SHA-256, SPKI PEM)', () => {
  const attest = hexToBytes(keylime.quote_tpms_attest_hex);
  const signature = hexToBytes(keylime.sig_tpmt_signature_hex);
  const nonce = hexToBytes(keylime.nonce_hex);
  const pcrs: PcrValues = {
    hash: 'sha256',
    values: Object.fromEntries(Object.entries(keylime.pcrs).map(([k, v]) => [Number(k), hexToBytes(v)])),
  };
  const input: VerifyTpmQuoteInput = { attest, signature, akPublicKey: keylime.ak_pub_spki_pem, nonce, pcrs };

  it('parses every field as the vector says and re-encodes byte-identically', () => {
    const p = parseTpmsAttest(attest);
    const qp = keylime.quote_parsed;
    expect(p.magic.toString(16)).toBe(qp.magic);
    expect(p.type.toString(16)).toBe(qp.type);
    expect(bytesToHex(p.qualifiedSigner)).toBe(qp.qualifiedSigner);
    expect(bytesToHex(p.extraData)).toBe(qp.extraData);
    expect(p.clockInfo.clock).toBe(BigInt(qp.clock as number));
    expect(p.clockInfo.resetCount).toBe(qp.resetCount);
    expect(p.clockInfo.restartCount).toBe(qp.restartCount);
    expect(p.clockInfo.safe).toBe(qp.safe === 1);
    expect(p.firmwareVersion.toString(16).padStart(16, '0')).toBe(qp.firmwareVersion);
    expect(p.pcrSelections).toHaveLength(1);
    expect(p.pcrSelections[0]!.hashAlg).toBe(parseInt(qp.pcrSelect[0]!.hash, 16));
    expect(p.pcrSelections[0]!.pcrs).toEqual([16]);
    expect(bytesToHex(p.pcrDigest)).toBe(qp.pcrDigest);
    expect(encodeTpmsAttest(p)).toEqual(attest);
    expect(encodeTpmtSignature(parseTpmtSignature(signature))).toEqual(signature);
  });

  it('verifies (signature, nonce, PCR selection and digest)', () => {
    const r = verifyTpmQuote(input);
    expect(r.failures).toEqual([]);
    expect(r.verified).toBe(true);
  });

  it('node:crypto agrees the signature is valid (independent implementation)', () => {
    const sig = parseTpmtSignature(signature);
    if (sig.sigAlg !== 'rsassa') throw new Error('unexpected');
    expect(nodeVerify('sha256', attest, createPublicKey(keylime.ak_pub_spki_pem), sig.sig)).toBe(true);
  });

  it('the SPKI PEM re-encodes identically', () => {
    expect(spkiPem(parseAkPublicKey(keylime.ak_pub_spki_pem)).replace(/\s/g, '')).toBe(keylime.ak_pub_spki_pem.replace(/\s/g, ''));
  });

  it('the negative case of the vector (quote byte[5] ^= 1) fails', () => {
    const r = verifyTpmQuote({ ...input, attest: flip(attest, 5) });
    expect(r.verified).toBe(false);
    expect(r.failures.map((f) => f.code)).toContain('QUOTE_BAD_TYPE');
  });

  it('tampered copies do not verify, each with the expected code', () => {
    const cases: [string, Partial<typeof input>, string][] = [
      ['magic', { attest: flip(attest, 0) }, 'QUOTE_BAD_MAGIC'],
      ['clock', { attest: flip(attest, 60) }, 'QUOTE_SIGNATURE_INVALID'],
      ['extraData', { attest: flip(attest, 45) }, 'QUOTE_SIGNATURE_INVALID'],
      ['pcrDigest', { attest: flip(attest, attest.length - 1) }, 'QUOTE_SIGNATURE_INVALID'],
      ['signature', { signature: flip(signature, signature.length - 1) }, 'QUOTE_SIGNATURE_INVALID'],
      ['nonce', { nonce: flip(nonce, 0) }, 'QUOTE_NONCE_MISMATCH'],
      ['pcr value', { pcrs: { hash: 'sha256', values: { 16: flip(pcrs.values[16]!, 3) } } }, 'QUOTE_PCR_DIGEST_MISMATCH'],
      ['pcr selection', { pcrs: { hash: 'sha256', values: { 16: pcrs.values[16]!, 17: new Uint8Array(32) } } }, 'QUOTE_PCR_SELECTION_MISMATCH'],
      ['pcr bank', { pcrs: { hash: 'sha384', values: { 16: new Uint8Array(48) } } }, 'QUOTE_PCR_SELECTION_MISMATCH'],
      ['pcr length', { pcrs: { hash: 'sha256', values: { 16: new Uint8Array(31) } } }, 'QUOTE_PCR_VALUE_INVALID'],
      ['truncated', { attest: attest.subarray(0, attest.length - 1) }, 'QUOTE_MALFORMED'],
      ['extended', { attest: Uint8Array.of(...attest, 0) }, 'QUOTE_MALFORMED'],
      ['sha256 not allowed', { allowedHashes: ['sha384'] } as Partial<typeof input>, 'QUOTE_HASH_NOT_ALLOWED'],
    ];
    for (const [name, patch, code] of cases) {
      const r = verifyTpmQuote({ ...input, ...patch });
      expect(r.verified, name).toBe(false);
      expect(r.failures.map((f) => f.code), name).toContain(code);
    }
  });
});

describe('go-attestation Windows GCP shielded VM quote (real TPM, RSASSA/SHA-1, TPMT_PUBLIC)', () => {
  const attest = b64(gcp.Quote.Quote);
  const signature = b64(gcp.Quote.Signature);
  const akPublicKey = b64(gcp.AK.Public);
  const nonce = b64(gcp.Quote.Nonce);
  const values: Record<number, Uint8Array> = {};
  for (const p of gcp.Log.PCRs) values[p.Index] = b64(p.Digest);
  const pcrs: PcrValues = { hash: 'sha1', values };
  const input: VerifyTpmQuoteInput = { attest, signature, akPublicKey, nonce, pcrs, allowedHashes: ['sha1', 'sha256'] };

  it('has 24 SHA-1 PCRs and an empty nonce', () => {
    expect(Object.keys(values)).toHaveLength(24);
    expect(nonce.length).toBe(0);
    const p = parseTpmsAttest(attest);
    expect(p.pcrSelections[0]!.pcrs).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(encodeTpmsAttest(p)).toEqual(attest);
  });

  it('parses the AK TPMT_PUBLIC (RSA-2048) and its name', () => {
    const ak = parseAkPublicKey(akPublicKey);
    expect(ak.type).toBe('rsa');
    expect(ak.key.length).toBe(256);
    expect(ak.exponent).toBe(65537n);
    expect(ak.name!.length).toBe(34);
    // Same key via node:crypto from our SPKI encoding.
    const sig = parseTpmtSignature(signature);
    if (sig.sigAlg !== 'rsassa') throw new Error('unexpected');
    expect(nodeVerify('sha1', attest, createPublicKey(spkiPem(ak)), sig.sig)).toBe(true);
  });

  it('verifies with SHA-1 explicitly allowed', () => {
    const r = verifyTpmQuote(input);
    expect(r.failures).toEqual([]);
    expect(r.verified).toBe(true);
  });

  it('is rejected under the default allow-list (SHA-1 is opt-in)', () => {
    const { allowedHashes: _a, ...rest } = input;
    const r = verifyTpmQuote(rest);
    expect(r.verified).toBe(false);
    expect(r.failures.map((f) => f.code)).toEqual(['QUOTE_HASH_NOT_ALLOWED']);
  });

  it('verifies given the TPM2B_PUBLIC form of the key', () => {
    const tpm2b = Uint8Array.of(akPublicKey.length >> 8, akPublicKey.length & 0xff, ...akPublicKey);
    expect(verifyTpmQuote({ ...input, akPublicKey: tpm2b }).verified).toBe(true);
  });

  it('tampered copies do not verify', () => {
    const tampered: [string, Partial<typeof input>][] = [
      ['attest bit', { attest: flip(attest, 20) }],
      ['signature bit', { signature: flip(signature, 100) }],
      ['nonce', { nonce: new Uint8Array(1) }],
      ['pcr 0', { pcrs: { hash: 'sha1', values: { ...values, 0: flip(values[0]!, 0) } } as PcrValues }],
      ['key', { akPublicKey: flip(akPublicKey, akPublicKey.length - 5) }],
      ['sig alg', { signature: flip(signature, 1, 0x02) }],
    ];
    for (const [name, patch] of tampered) {
      expect(verifyTpmQuote({ ...input, ...patch }).verified, name).toBe(false);
    }
  });
});
