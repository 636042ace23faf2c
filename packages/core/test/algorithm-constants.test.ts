/**
 * The per-algorithm constants (`aes256Gcm`, `x25519Group`, …) exist so that a bundler keeps only what an app imports
 * (issue #18 item 3). On every entry each must be the very object the registry returns for its id, and the entries
 * must agree with each other on outputs.
 */
import { describe, expect, it } from 'vitest';
import * as portable from '../src/index.js';
import * as node from '../src/index.node.js';
import * as runtime from '../src/index.runtime.js';

const AEADS = {
  'aes-128-gcm': 'aes128Gcm',
  'aes-256-gcm': 'aes256Gcm',
  'chacha20-poly1305': 'chacha20Poly1305',
  'xchacha20-poly1305': 'xchacha20Poly1305',
  'sm4-gcm': 'sm4Gcm',
  'sm4-ccm': 'sm4Ccm',
} as const;
const GROUPS = {
  p256: 'p256Group',
  p384: 'p384Group',
  p521: 'p521Group',
  secp256k1: 'secp256k1Group',
  sm2: 'sm2Group',
  x25519: 'x25519Group',
  x448: 'x448Group',
} as const;
const entries = { portable, node, runtime } as const;

describe('AEAD constants', () => {
  it('cover every AEAD id', () => expect(Object.keys(AEADS).sort()).toEqual([...portable.AEAD_IDS].sort()));
  for (const [entry, m] of Object.entries(entries)) {
    it(`${entry}: each constant is getAead(id), with the id's sizes`, () => {
      for (const [id, name] of Object.entries(AEADS)) {
        const a = (m as unknown as Record<string, portable.Aead>)[name]!;
        expect(a).toBe(m.getAead(id as portable.AeadId));
        expect(Object.isFrozen(a)).toBe(true);
        expect({ id: a.id, keyLength: a.keyLength, nonceLength: a.nonceLength, tagLength: a.tagLength }).toEqual({ id, ...portable.AEAD_PARAMS[id as portable.AeadId] });
      }
    });
  }
  it('every entry seals what every other entry opens, and refuses a forged tag with DecryptError', () => {
    for (const name of Object.values(AEADS)) {
      for (const [, a] of Object.entries(entries)) {
        for (const [, b] of Object.entries(entries)) {
          const A = (a as unknown as Record<string, portable.Aead>)[name]!;
          const B = (b as unknown as Record<string, portable.Aead>)[name]!;
          const key = portable.randomBytes(A.keyLength);
          const nonce = portable.randomBytes(A.nonceLength);
          const pt = portable.randomBytes(77);
          const aad = portable.randomBytes(9);
          const ct = A.seal(key, nonce, pt, aad);
          expect(B.open(key, nonce, ct, aad)).toEqual(pt);
          ct[3]! ^= 1;
          expect(() => B.open(key, nonce, ct, aad)).toThrow(portable.DecryptError);
        }
      }
    }
  });
  it('bad input to a constant is a typed InputError on every entry', () => {
    for (const m of Object.values(entries)) {
      expect(() => m.aes256Gcm.seal(new Uint8Array(5), new Uint8Array(12), new Uint8Array(1))).toThrow(portable.InputError);
      expect(() => m.sm4Gcm.open('key' as never, new Uint8Array(12), new Uint8Array(16))).toThrow(portable.InputError);
    }
  });
});

describe('DH group constants', () => {
  it('cover every group id', () => expect(Object.keys(GROUPS).sort()).toEqual([...portable.DH_GROUP_IDS].sort()));
  for (const [entry, m] of Object.entries(entries)) {
    it(`${entry}: each constant is getDhGroup(id)`, () => {
      for (const [id, name] of Object.entries(GROUPS)) {
        const g = (m as unknown as Record<string, portable.DhGroup>)[name]!;
        expect(g).toBe(m.getDhGroup(id as portable.DhGroupId));
        expect(g.id).toBe(id);
        expect(Object.isFrozen(g)).toBe(true);
      }
    });
  }
  it('the Node and portable constants agree on public keys and shared secrets, and refuse the same bad keys', () => {
    for (const name of Object.values(GROUPS)) {
      const P = (portable as unknown as Record<string, portable.DhGroup>)[name]!;
      const N = (node as unknown as Record<string, portable.DhGroup>)[name]!;
      const a = P.randomSecretKey();
      const b = N.randomSecretKey();
      expect(N.getPublicKey(a)).toEqual(P.getPublicKey(a));
      expect(N.getSharedSecret(a, P.getPublicKey(b))).toEqual(P.getSharedSecret(b, N.getPublicKey(a)));
      const bad = new Uint8Array(P.publicKeyLength);
      expect(() => P.getSharedSecret(a, bad)).toThrow(portable.PrivkitError);
      expect(() => N.getSharedSecret(a, bad)).toThrow(portable.PrivkitError);
      expect(N.isValidPublicKey(bad)).toBe(false);
    }
  });
});
