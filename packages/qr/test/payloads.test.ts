import { x25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { bytesToHex, isPrivkitError, KeyError, LimitError, randomBytes } from '@privkit/core';
import {
  combineShares,
  decodePayload,
  encodeKeyCard,
  encodeSecret,
  KEY_TYPES,
  keyFingerprint,
  openSecret,
  payloadToText,
  QrFormatError,
  QrOpenError,
  ShareError,
  splitSecret,
  textToPayload,
  type Share,
} from '@privkit/qr';
import { arbKeyCardInput, arbPublicKey, arbSecret, arbSecretMeta, arbSplitOptions, arbTamperedPayload } from '@privkit/qr/testing';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const FAST = { m: 8, t: 1, p: 1 } as const; // tests only: production defaults take ~0.8 s per open

describe('key cards', () => {
  for (const keyType of KEY_TYPES) {
    it(`round-trips a ${keyType} key card`, () => {
      const [pk] = fc.sample(arbPublicKey(keyType), { numRuns: 1, seed: 7 });
      const bytes = encodeKeyCard({ keyType, publicKey: pk!, label: 'Gateway 7 – Zürich', suite: 'X25519-SHA256-AES-128-GCM' });
      const card = decodePayload(bytes);
      expect(card.type).toBe('keyCard');
      if (card.type !== 'keyCard') return;
      expect(card.keyType).toBe(keyType);
      expect(card.label).toBe('Gateway 7 – Zürich');
      expect(card.suite).toBe('X25519-SHA256-AES-128-GCM');
      expect(card.fingerprint).toEqual(keyFingerprint(keyType, pk!));
      expect(keyFingerprint(keyType, card.publicKey)).toEqual(card.fingerprint);
      expect(Object.isFrozen(card)).toBe(true);
    });
  }
  it('stores Weierstrass keys compressed and returns them uncompressed', () => {
    const sk = p256.utils.randomSecretKey();
    const full = p256.getPublicKey(sk, false);
    const a = encodeKeyCard({ keyType: 'p256', publicKey: full });
    const b = encodeKeyCard({ keyType: 'p256', publicKey: p256.getPublicKey(sk, true) });
    expect(a).toEqual(b);
    const card = decodePayload(a);
    expect(card.type === 'keyCard' && bytesToHex(card.publicKey)).toBe(bytesToHex(full));
  });
  it('carries custom suite names and no suite', () => {
    const pk = x25519.getPublicKey(randomBytes(32));
    const c1 = decodePayload(encodeKeyCard({ keyType: 'x25519', publicKey: pk, suite: 'my-suite/v2' }));
    const c2 = decodePayload(encodeKeyCard({ keyType: 'x25519', publicKey: pk }));
    expect(c1.type === 'keyCard' && c1.suite).toBe('my-suite/v2');
    expect(c2.type === 'keyCard' && c2.suite).toBe(undefined);
    expect(() => encodeKeyCard({ keyType: 'x25519', publicKey: pk, suite: 'has space' })).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
  });
  it('rejects invalid, identity and small-order keys with KeyError', () => {
    const bad: [string, Uint8Array][] = [
      ['x25519', new Uint8Array(32)],
      ['x25519', Uint8Array.of(1, ...new Uint8Array(31))],
      ['p256', Uint8Array.of(2, ...new Uint8Array(32).fill(0xff))],
      ['p256', Uint8Array.of(4, ...new Uint8Array(64))],
      ['ed25519', Uint8Array.of(1, ...new Uint8Array(31))],
      ['sm2', Uint8Array.of(3, ...new Uint8Array(32).fill(0xff))],
    ];
    for (const [keyType, pk] of bad) {
      expect(() => encodeKeyCard({ keyType: keyType as 'x25519', publicKey: pk }), keyType).toThrow(KeyError);
    }
  });
  it('rejects labels over 64 UTF-8 bytes', () => {
    const pk = x25519.getPublicKey(randomBytes(32));
    expect(() => encodeKeyCard({ keyType: 'x25519', publicKey: pk, label: 'é'.repeat(33) })).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
  });
  it('round-trips arbitrary key cards (property)', () => {
    fc.assert(
      fc.property(arbKeyCardInput, (input) => {
        const p = decodePayload(encodeKeyCard(input));
        expect(p.type).toBe('keyCard');
        if (p.type !== 'keyCard') return;
        expect(p.keyType).toBe(input.keyType);
        expect(p.label).toBe(input.label ?? '');
        expect(p.suite).toBe(input.suite);
        expect(p.fingerprint).toEqual(keyFingerprint(input.keyType, input.publicKey));
      }),
      { numRuns: 60 },
    );
  });
});

describe('passphrase-wrapped secrets', () => {
  it('round-trips with every AEAD and reports metadata', () => {
    for (const aead of ['chacha20-poly1305', 'aes-256-gcm', 'xchacha20-poly1305', 'aes-128-gcm', 'sm4-gcm'] as const) {
      const secret = randomBytes(32);
      const bytes = encodeSecret({ secret, passphrase: 'correct horse', aead, kdf: FAST, kind: 'secret-key', keyType: 'x25519', label: 'backup' });
      const p = decodePayload(bytes);
      expect(p.type).toBe('passphraseSecret');
      if (p.type !== 'passphraseSecret') return;
      expect([p.aead, p.kind, p.keyType, p.label, p.kdf]).toEqual([aead, 'secret-key', 'x25519', 'backup', FAST]);
      expect(openSecret(bytes, { passphrase: 'correct horse' })).toEqual(secret);
      expect(openSecret(p, { passphrase: 'correct horse' })).toEqual(secret);
    }
  });
  it('an encrypted 32-byte secret is 73 bytes', () => {
    expect(encodeSecret({ secret: randomBytes(32), passphrase: 'x', kdf: FAST }).length).toBe(73);
  });
  it('normalises string passphrases to NFC and accepts bytes', () => {
    const secret = randomBytes(16);
    const b = encodeSecret({ secret, passphrase: 'Caf\u0065\u0301', kdf: FAST });
    expect(openSecret(b, { passphrase: 'Caf\u00e9' })).toEqual(secret);
    expect(openSecret(b, { passphrase: new TextEncoder().encode('Caf\u00e9') })).toEqual(secret);
  });
  it('a wrong passphrase is one generic QrOpenError', () => {
    const b = encodeSecret({ secret: randomBytes(32), passphrase: 'right', kdf: FAST });
    const err = (() => {
      try {
        openSecret(b, { passphrase: 'wrong' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(QrOpenError);
    expect(isPrivkitError(err, 'QR_OPEN_FAILED')).toBe(true);
    expect((err as Error).message).toBe('could not open the encrypted secret');
  });
  it('a tampered header with a fixed checksum still fails to open (header is AAD)', async () => {
    const { sha256 } = await import('@noble/hashes/sha2.js');
    const b = encodeSecret({ secret: randomBytes(32), passphrase: 'pw', kdf: FAST, kind: 'data-key' });
    const body = b.slice(0, b.length - 4);
    body[1] = 2; // kind data-key → seed
    const forged = new Uint8Array([...body, ...sha256(body).subarray(0, 4)]);
    expect(decodePayload(forged).type).toBe('passphraseSecret');
    expect(() => openSecret(forged, { passphrase: 'pw' })).toThrow(QrOpenError);
  });
  it('refuses Argon2id costs above the limits before doing any work', () => {
    const b = encodeSecret({ secret: randomBytes(8), passphrase: 'pw', kdf: { m: 2 ** 12, t: 1, p: 1 } });
    expect(() => openSecret(b, { passphrase: 'pw', maxMemoryKiB: 2 ** 11 })).toThrow(LimitError);
    expect(() => openSecret(b, { passphrase: 'pw', maxPasses: 1 })).not.toThrow();
  });
  it('uses the documented defaults when no kdf is given', async () => {
    const secret = randomBytes(32);
    const b = encodeSecret({ secret, passphrase: 'default cost' });
    const p = decodePayload(b);
    expect(p.type === 'passphraseSecret' && p.kdf).toEqual({ m: 65536, t: 2, p: 1 });
    expect(openSecret(b, { passphrase: 'default cost' })).toEqual(secret);
  });
  it('validates arguments', () => {
    const secret = randomBytes(8);
    expect(() => encodeSecret({ secret, kdf: FAST } as never)).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    expect(() => encodeSecret({ secret, passphrase: '', kdf: FAST })).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
    expect(() => encodeSecret({ secret, passphrase: 'x', kdf: { m: 100 } })).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    expect(() => encodeSecret({ secret, passphrase: 'x', kdf: { m: 8, p: 2 } })).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    expect(() => encodeSecret({ secret: new Uint8Array(0), passphrase: 'x', kdf: FAST })).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
    expect(() => encodeSecret({ secret, passphrase: 'x', kind: 'secret-key', kdf: FAST })).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    expect(() => encodeSecret({ secret, passphrase: 'x', kind: 'raw', keyType: 'x25519', kdf: FAST })).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
  });
  it('round-trips arbitrary secrets and metadata (property)', () => {
    fc.assert(
      fc.property(arbSecret, arbSecretMeta, fc.string({ minLength: 1, maxLength: 12 }), (secret, meta, pw) => {
        const b = encodeSecret({ secret, passphrase: pw, kdf: FAST, ...meta });
        const p = decodePayload(b);
        expect(p.type === 'passphraseSecret' && [p.kind, p.keyType, p.label]).toEqual([meta.kind, meta.keyType, meta.label]);
        expect(openSecret(b, { passphrase: pw })).toEqual(secret);
      }),
      { numRuns: 40 },
    );
  });
  it('rejects every tampered payload with a typed error, never a wrong secret (property)', () => {
    const secret = randomBytes(32);
    const b = encodeSecret({ secret, passphrase: 'pw', kdf: FAST });
    fc.assert(
      fc.property(arbTamperedPayload(b), (t) => {
        try {
          const out = openSecret(t.bytes, { passphrase: 'pw' });
          expect(out, t.mutation).toEqual(secret); // only possible if the mutation was a no-op
          expect(t.bytes, t.mutation).toEqual(b);
        } catch (e) {
          expect(isPrivkitError(e), t.mutation).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('Shamir shares', () => {
  it('3-of-5: every 3-subset in any order recovers the secret', async () => {
    const secret = randomBytes(32);
    const shares = await splitSecret(secret, { threshold: 3, shares: 5, label: 'vault' });
    expect(shares).toHaveLength(5);
    const parsed = shares.map((s) => decodePayload(s)) as Share[];
    expect(parsed.map((p) => p.index)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(parsed.map((p) => bytesToHex(p.groupId))).size).toBe(1);
    expect(parsed.every((p) => p.threshold === 3 && p.total === 5 && p.label === 'vault')).toBe(true);
    for (let a = 0; a < 5; a++)
      for (let b = a + 1; b < 5; b++)
        for (let c = b + 1; c < 5; c++) expect(await combineShares([shares[c]!, shares[a]!, parsed[b]!])).toEqual(secret);
    expect(await combineShares(shares)).toEqual(secret);
    expect(await combineShares([shares[0]!, shares[0]!, shares[1]!, shares[2]!])).toEqual(secret);
  });
  it('too few shares: SHARE_TOO_FEW', async () => {
    const shares = await splitSecret(randomBytes(16), { threshold: 3, shares: 5 });
    await expect(combineShares([shares[0]!, shares[1]!])).rejects.toMatchObject({ name: 'ShareError', code: 'SHARE_TOO_FEW' });
    await expect(combineShares([shares[0]!, shares[0]!, shares[1]!])).rejects.toMatchObject({ code: 'SHARE_TOO_FEW' });
    await expect(combineShares([])).rejects.toMatchObject({ code: 'SHARE_TOO_FEW' });
  });
  it('mixed shares from two groups: SHARE_GROUP_MISMATCH', async () => {
    const secret = randomBytes(16);
    const a = await splitSecret(secret, { threshold: 2, shares: 3 });
    const b = await splitSecret(secret, { threshold: 2, shares: 3 });
    await expect(combineShares([a[0]!, b[1]!])).rejects.toMatchObject({ code: 'SHARE_GROUP_MISMATCH' });
  });
  it('a share with a forged group id (checksum fixed) is caught by the integrity check', async () => {
    const { sha256 } = await import('@noble/hashes/sha2.js');
    const a = await splitSecret(randomBytes(16), { threshold: 2, shares: 3 });
    const b = await splitSecret(randomBytes(16), { threshold: 2, shares: 3 });
    // Graft b[1]'s share value under a's header: same group id, wrong polynomial.
    const body = new Uint8Array([...a[1]!.slice(0, 10), ...b[1]!.slice(10, b[1]!.length - 4)]);
    const forged = new Uint8Array([...body, ...sha256(body).subarray(0, 4)]);
    await expect(combineShares([a[0]!, forged])).rejects.toMatchObject({ code: 'SHARE_INTEGRITY' });
  });
  it('a corrupted share value (checksum fixed) never yields a wrong secret', async () => {
    const { sha256 } = await import('@noble/hashes/sha2.js');
    const secret = randomBytes(32);
    const s = await splitSecret(secret, { threshold: 2, shares: 2 });
    for (const pos of [10, 20, 45]) {
      const body = s[1]!.slice(0, s[1]!.length - 4);
      body[pos]! ^= 0x01;
      const forged = new Uint8Array([...body, ...sha256(body).subarray(0, 4)]);
      await expect(combineShares([s[0]!, forged])).rejects.toBeInstanceOf(ShareError);
    }
  });
  it('two different shares with one index: SHARE_DUPLICATE', async () => {
    const { sha256 } = await import('@noble/hashes/sha2.js');
    const s = await splitSecret(randomBytes(16), { threshold: 2, shares: 3 });
    const body = s[1]!.slice(0, s[1]!.length - 4);
    body[9] = 1; // index 2 → 1
    const forged = new Uint8Array([...body, ...sha256(body).subarray(0, 4)]);
    await expect(combineShares([s[0]!, forged, s[2]!])).rejects.toMatchObject({ code: 'SHARE_DUPLICATE' });
  });
  it('a damaged share payload: QR_CHECKSUM', async () => {
    const s = await splitSecret(randomBytes(16), { threshold: 2, shares: 2 });
    const bad = s[1]!.slice();
    bad[12]! ^= 4;
    await expect(combineShares([s[0]!, bad])).rejects.toMatchObject({ name: 'QrFormatError', code: 'QR_CHECKSUM' });
  });
  it('validates split arguments', async () => {
    const secret = randomBytes(8);
    for (const o of [{ threshold: 1, shares: 3 }, { threshold: 3, shares: 2 }, { threshold: 2, shares: 256 }, { threshold: 2.5, shares: 3 }]) {
      await expect(splitSecret(secret, o)).rejects.toMatchObject({ name: 'InputError' });
    }
  });
  it('round-trips arbitrary splits (property)', async () => {
    await fc.assert(
      fc.asyncProperty(arbSecret, arbSplitOptions, fc.integer({ min: 0, max: 2 ** 31 }), async (secret, o, seed) => {
        const shares = await splitSecret(secret, o);
        // choose `threshold` shares by a seeded shuffle
        const idx = shares.map((_, i) => i).sort((x, y) => ((x * 7919 + seed) % 101) - ((y * 7919 + seed) % 101));
        const pick = idx.slice(0, o.threshold).map((i) => shares[i]!);
        expect(await combineShares(pick)).toEqual(secret);
        const p = decodePayload(shares[0]!) as Share;
        expect([p.kind, p.keyType, p.label]).toEqual([o.kind, o.keyType, o.label]);
      }),
      { numRuns: 40 },
    );
  });
});

describe('text forms', () => {
  it('base45 and privkit: URI round-trip every payload type', async () => {
    const payloads = [
      encodeKeyCard({ keyType: 'x25519', publicKey: x25519.getPublicKey(randomBytes(32)), label: 'a' }),
      encodeSecret({ secret: randomBytes(32), passphrase: 'pw', kdf: FAST }),
      (await splitSecret(randomBytes(32), { threshold: 2, shares: 3 }))[0]!,
    ];
    for (const p of payloads) {
      const b45 = payloadToText(p, 'base45');
      const uri = payloadToText(p, 'uri');
      expect(uri).toMatch(/^PRIVKIT:[A-Z2-7]+$/);
      expect(textToPayload(b45)).toEqual(p);
      expect(textToPayload(uri)).toEqual(p);
      expect(textToPayload(uri.toLowerCase())).toEqual(p);
      expect(textToPayload(`privkit://${uri.slice(8)}`)).toEqual(p);
    }
  });
  it('invalid text: QR_TEXT_INVALID', () => {
    for (const t of ['privkit:1', 'privkit:AB!', 'privkit:ABCDEFGHI', 'GGW', 'a']) {
      expect(() => textToPayload(t), t).toThrow(expect.objectContaining({ code: 'QR_TEXT_INVALID' }));
    }
    expect(() => payloadToText(new Uint8Array(2), 'hex' as never)).toThrow(QrFormatError);
  });
});

describe('unknown versions and types', () => {
  it('rejects unknown versions, types and damaged payloads with typed codes', async () => {
    const { sha256 } = await import('@noble/hashes/sha2.js');
    const card = encodeKeyCard({ keyType: 'x25519', publicKey: x25519.getPublicKey(randomBytes(32)) });
    const reseal = (body: Uint8Array) => new Uint8Array([...body, ...sha256(body).subarray(0, 4)]);
    const body = card.slice(0, card.length - 4);
    const v2 = body.slice();
    v2[0] = 0x21;
    expect(() => decodePayload(reseal(v2))).toThrow(expect.objectContaining({ code: 'QR_UNSUPPORTED_VERSION' }));
    const t9 = body.slice();
    t9[0] = 0x19;
    expect(() => decodePayload(reseal(t9))).toThrow(expect.objectContaining({ code: 'QR_UNKNOWN_TYPE' }));
    const k99 = body.slice();
    k99[1] = 99;
    expect(() => decodePayload(reseal(k99))).toThrow(expect.objectContaining({ code: 'QR_UNKNOWN_TYPE' }));
    const s = body.slice();
    s[2] = 200;
    expect(() => decodePayload(reseal(s))).toThrow(expect.objectContaining({ code: 'QR_UNKNOWN_TYPE' }));
    const bad = card.slice();
    bad[10]! ^= 1;
    expect(() => decodePayload(bad)).toThrow(expect.objectContaining({ code: 'QR_CHECKSUM' }));
    expect(() => decodePayload(reseal(body.slice(0, 20)))).toThrow(expect.objectContaining({ code: 'QR_MALFORMED' }));
    expect(() => decodePayload(reseal(new Uint8Array([...body, 0])))).toThrow(expect.objectContaining({ code: 'QR_MALFORMED' }));
  });
  it('every tampered key card gives a typed error or (for a no-op) the same card (property)', () => {
    const card = encodeKeyCard({ keyType: 'p256', publicKey: p256.getPublicKey(p256.utils.randomSecretKey()), label: 'x' });
    fc.assert(
      fc.property(arbTamperedPayload(card), (t) => {
        try {
          decodePayload(t.bytes);
          expect(t.bytes, t.mutation).toEqual(card);
        } catch (e) {
          expect(e, t.mutation).toBeInstanceOf(QrFormatError);
        }
      }),
      { numRuns: 200 },
    );
  });
});
