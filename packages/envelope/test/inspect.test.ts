import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from '@privkit/core';
import { createSealer, hpke, inspect, keyId, seal } from '@privkit/envelope';

describe('inspect / keyId', () => {
  it('reads suite, key ids, sender key id and chunk size', () => {
    const kem = hpke.suite(0x20, 1, 2).kem;
    const a = kem.generateKeyPair();
    const b = kem.generateKeyPair();
    const s = kem.generateKeyPair();
    const env = seal(utf8ToBytes('m'), [a.publicKey, b.publicKey], { senderSecretKey: s.secretKey });
    const info = inspect(env);
    expect(info.kind).toBe('envelope');
    expect(info.suite).toBe(hpke.suite(0x20, 1, 2));
    expect(info.keyIds).toEqual([keyId('X25519-SHA256-AES-256-GCM', a.publicKey), keyId('X25519-SHA256-AES-256-GCM', b.publicKey)]);
    expect(info.senderKeyId).toEqual(keyId(hpke.suite(0x20, 1, 2), s.publicKey));
    expect(info.headerLength).toBe(23 + 2 * 88 + 32); // prefix, two slots, key commitment (FORMAT.md §3)
    const st = createSealer([a.publicKey], { chunkSize: 4096 }).push(new Uint8Array(0));
    const si = inspect(st);
    expect(si.kind).toBe('stream');
    expect(si.chunkSize).toBe(4096);
    expect(si.senderKeyId).toBeUndefined();
  });
  it('garbage and truncated headers give EncodingError', () => {
    const kem = hpke.suite(0x20, 1, 2).kem;
    const env = seal(utf8ToBytes('m'), [kem.generateKeyPair().publicKey]);
    expect(() => inspect(env.subarray(0, 40))).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    expect(() => inspect(new Uint8Array(100))).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    expect(() => inspect('x' as never)).toThrow(expect.objectContaining({ code: 'INVALID_TYPE' }));
    expect(() => keyId('X25519-SHA256-AES-256-GCM', new Uint8Array(31))).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
  });
});
