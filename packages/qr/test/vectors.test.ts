import { readFileSync } from 'node:fs';
import { UR, URDecoder, UREncoder } from '@ngraveio/bc-ur';
import { bytesToHex, getAead, hexToBytes } from '@privkit/core';
import { describe, expect, it } from 'vitest';

const V = JSON.parse(readFileSync(new URL('./vectors/bcr-2022-001/ur-encrypted-bcr-2022-001.json', import.meta.url), 'utf8')) as Record<string, string>;

describe('BCR-2022-001 vector (UR layer and AEAD id 1)', () => {
  it('the UR library decodes the spec UR to its CBOR and re-encodes it identically', () => {
    const ur = URDecoder.decode(V.ur!);
    expect(ur.type).toBe('encrypted');
    expect(bytesToHex(ur.cbor)).toBe(V.cbor_untagged_hex);
    expect(UREncoder.encodeSinglePart(new UR(Buffer.from(hexToBytes(V.cbor_untagged_hex!)), 'encrypted'))).toBe(V.ur);
  });
  it('ChaCha20-Poly1305 (RFC 8439 §2.8.2) reproduces ciphertext and tag', () => {
    const aead = getAead('chacha20-poly1305');
    const out = aead.seal(hexToBytes(V.key!), hexToBytes(V.nonce!), hexToBytes(V.plaintext!), hexToBytes(V.aad!));
    expect(bytesToHex(out)).toBe(V.ciphertext! + V.auth_tag!);
  });
});
