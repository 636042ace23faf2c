import { x25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { isPrivkitError, randomBytes } from '@privkit/core';
import {
  createAssembler,
  decodePayload,
  decodeQrImage,
  encodeSecret,
  openSecret,
  QrOpenError,
  renderPixels,
  toQr,
} from '@privkit/qr';
import { arbSecret, arbSecretMeta } from '@privkit/qr/testing';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const sk = x25519.utils.randomSecretKey();
const pk = x25519.getPublicKey(sk);

describe('envelope-wrapped secrets (@privkit/envelope)', () => {
  it('round-trips to an X25519 recipient with metadata', () => {
    const secret = randomBytes(32);
    const b = encodeSecret({ secret, recipient: { publicKey: pk }, kind: 'data-key', label: 'to: auditor' });
    const p = decodePayload(b);
    expect(p.type).toBe('envelopeSecret');
    expect(p.type === 'envelopeSecret' && [p.kind, p.label]).toEqual(['data-key', 'to: auditor']);
    expect(openSecret(b, { secretKey: sk })).toEqual(secret);
    expect(openSecret(p as never, { secretKey: sk })).toEqual(secret);
  });
  it('round-trips to a P-256 recipient with an explicit suite', () => {
    const skP = p256.utils.randomSecretKey();
    const pkP = p256.getPublicKey(skP, false);
    const secret = randomBytes(32);
    const b = encodeSecret({ secret, recipient: { publicKey: pkP, suite: 'P256-SHA256-AES-128-GCM' }, kind: 'secret-key', keyType: 'p256' });
    expect(openSecret(b, { secretKey: skP })).toEqual(secret);
  });
  it('a wrong key is one generic QrOpenError', () => {
    const b = encodeSecret({ secret: randomBytes(32), recipient: { publicKey: pk } });
    let err: unknown;
    try {
      openSecret(b, { secretKey: x25519.utils.randomSecretKey() });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QrOpenError);
    expect(isPrivkitError(err, 'QR_OPEN_FAILED')).toBe(true);
  });
  it('the QR header is bound as associated data: a re-checksummed header change fails to open', () => {
    const b = encodeSecret({ secret: randomBytes(32), recipient: { publicKey: pk }, kind: 'data-key' });
    const body = b.slice(0, b.length - 4);
    body[1] = 2;
    const forged = new Uint8Array([...body, ...sha256(body).subarray(0, 4)]);
    expect(decodePayload(forged).type).toBe('envelopeSecret');
    expect(() => openSecret(forged, { secretKey: sk })).toThrow(QrOpenError);
  });
  it('an invalid recipient key is a typed error', () => {
    for (const publicKey of [new Uint8Array(32), new Uint8Array(5)]) {
      let err: unknown;
      try {
        encodeSecret({ secret: randomBytes(8), recipient: { publicKey } });
      } catch (e) {
        err = e;
      }
      expect(isPrivkitError(err), String(err)).toBe(true);
    }
    const b = encodeSecret({ secret: randomBytes(8), recipient: { publicKey: pk } });
    for (const secretKey of [undefined, null, 'x', new Uint16Array(16)]) {
      let err: unknown;
      try {
        openSecret(b, { secretKey } as never);
      } catch (e) {
        err = e;
      }
      expect(isPrivkitError(err), String(err)).toBe(true);
    }
  });
  it('renders to pixels and back (single symbol or multi-part)', () => {
    const secret = randomBytes(32);
    const b = encodeSecret({ secret, recipient: { publicKey: pk } });
    const frames = toQr(b);
    let payload;
    if (frames.length === 1) {
      const px = renderPixels(frames[0]!, { scale: 3 });
      payload = decodeQrImage(px.data, px.width, px.height);
    } else {
      const asm = createAssembler();
      for (const f of frames) {
        const px = renderPixels(f, { scale: 3 });
        const s = decodeQrImage(px.data, px.width, px.height);
        if (s.type === 'part') asm.receive(s);
        if (asm.isComplete()) break;
      }
      payload = asm.result();
    }
    expect(payload.type).toBe('envelopeSecret');
    expect(openSecret(payload as never, { secretKey: sk })).toEqual(secret);
    const multi = toQr(b, { encoding: 'ur', fragmentLength: 30, frames: 80 });
    const asm = createAssembler();
    for (const f of multi.slice(2).reverse()) {
      const px = renderPixels(f, { scale: 3 });
      const s = decodeQrImage(px.data, px.width, px.height);
      if (s.type === 'part') asm.receive(s);
      if (asm.isComplete()) break;
    }
    expect(openSecret(asm.payload(), { secretKey: sk })).toEqual(secret);
  });
  it('round-trips arbitrary secrets and metadata (property)', () => {
    fc.assert(
      fc.property(arbSecret, arbSecretMeta, (secret, meta) => {
        const b = encodeSecret({ secret, recipient: { publicKey: pk }, ...meta });
        const p = decodePayload(b);
        expect(p.type === 'envelopeSecret' && [p.kind, p.keyType, p.label]).toEqual([meta.kind, meta.keyType, meta.label]);
        expect(openSecret(b, { secretKey: sk })).toEqual(secret);
      }),
      { numRuns: 30 },
    );
  });
});
