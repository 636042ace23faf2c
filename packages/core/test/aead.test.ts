import { createCipheriv, createDecipheriv, type CipherGCMTypes } from 'node:crypto';
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as node from '@privkit/core';
import { arbAeadInput, arbTamper, bitFlips, hostileBytes, truncations } from '@privkit/core/testing';
import * as portable from '../src/index.js';
import aesGcm from './vectors/wycheproof/aes_gcm_test.json' with { type: 'json' };
import chachaPoly from './vectors/wycheproof/chacha20_poly1305_test.json' with { type: 'json' };

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const paths = [
  ['portable', portable],
  ['node', node],
] as const;

interface WTest { tcId: number; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: string }
interface WGroup { keySize: number; ivSize: number; tagSize: number; tests: WTest[] }
interface WFile { numberOfTests: number; testGroups: WGroup[] }

/** Runs one Wycheproof vector against seal/open functions; returns nothing, asserts. */
function checkVector(t: WTest, seal: (k: Uint8Array, n: Uint8Array, m: Uint8Array, a: Uint8Array) => Uint8Array, open: (k: Uint8Array, n: Uint8Array, c: Uint8Array, a: Uint8Array) => Uint8Array, what: string) {
  const k = unhex(t.key);
  const n = unhex(t.iv);
  const a = unhex(t.aad);
  const sealed = unhex(t.ct + t.tag);
  if (t.result === 'valid') {
    expect(hex(seal(k, n, unhex(t.msg), a)), `${what} tc${t.tcId}`).toBe(t.ct + t.tag);
    expect(hex(open(k, n, sealed, a)), `${what} tc${t.tcId}`).toBe(t.msg);
  } else {
    expect(() => open(k, n, sealed, a), `${what} tc${t.tcId}`).toThrow();
  }
}

const nodeRaw = (alg: string) => ({
  seal: (k: Uint8Array, n: Uint8Array, m: Uint8Array, a: Uint8Array) => {
    const c = createCipheriv(alg as CipherGCMTypes, k, n, { authTagLength: 16 });
    c.setAAD(a);
    return new Uint8Array(Buffer.concat([c.update(m), c.final(), c.getAuthTag()]));
  },
  open: (k: Uint8Array, n: Uint8Array, s: Uint8Array, a: Uint8Array) => {
    if (n.length === 0) throw new Error('empty nonce');
    const d = createDecipheriv(alg as CipherGCMTypes, k, n, { authTagLength: 16 });
    d.setAuthTag(s.subarray(s.length - 16));
    d.setAAD(a);
    return new Uint8Array(Buffer.concat([d.update(s.subarray(0, s.length - 16)), d.final()]));
  },
});

describe('Wycheproof aes_gcm_test.json', () => {
  const file = aesGcm as WFile;
  it.each(paths)('every vector (%s path for registry sizes; noble + node:crypto for the rest)', (name, lib) => {
    let viaRegistry = 0;
    let outOfScope = 0;
    for (const g of file.testGroups) {
      expect(g.tagSize).toBe(128);
      for (const t of g.tests) {
        if ((g.keySize === 128 || g.keySize === 256) && g.ivSize === 96) {
          const aead = lib.getAead(g.keySize === 128 ? 'aes-128-gcm' : 'aes-256-gcm');
          checkVector(t, aead.seal, aead.open, `${name} ${aead.id}`);
          if (t.result !== 'valid') expect(() => aead.open(unhex(t.key), unhex(t.iv), unhex(t.ct + t.tag), unhex(t.aad))).toThrow(lib.DecryptError);
          viaRegistry++;
        } else {
          // Out of the registry's scope: AES-192 keys (no registry id) and nonces other than 96 bits (the registry
          // fixes nonceLength = 12, RFC 5116 §5.1). Checked against both reference implementations instead.
          const raw = nodeRaw(`aes-${g.keySize}-gcm`);
          if (g.ivSize <= 256 * 8) {
            checkVector(t, raw.seal, raw.open, `node:crypto aes-${g.keySize}-gcm iv${g.ivSize}`);
          } else {
            // OpenSSL (node:crypto) caps GCM IVs at 256 bytes: it must refuse, the noble check below covers it
            expect(() => raw.seal(unhex(t.key), unhex(t.iv), unhex(t.msg), unhex(t.aad))).toThrow();
          }
          if (g.ivSize >= 64) {
            checkVector(t, (k, n, m, a) => gcm(k, n, a).encrypt(m), (k, n, c, a) => gcm(k, n, a).decrypt(c), `noble iv${g.ivSize}`);
          } else {
            // @noble/ciphers refuses nonces < 8 bytes by design; it must refuse, not mis-decrypt
            expect(() => gcm(unhex(t.key), unhex(t.iv)).decrypt(unhex(t.ct + t.tag))).toThrow();
          }
          outOfScope++;
        }
      }
    }
    expect(viaRegistry + outOfScope).toBe(file.numberOfTests);
    expect(viaRegistry).toBe(133); // 67 AES-128 + 66 AES-256 vectors with 96-bit nonces
  });
});

describe('Wycheproof chacha20_poly1305_test.json', () => {
  const file = chachaPoly as WFile;
  it.each(paths)('every vector (%s path; wrong-size nonces must be rejected)', (name, lib) => {
    const aead = lib.getAead('chacha20-poly1305');
    let count = 0;
    for (const g of file.testGroups) {
      for (const t of g.tests) {
        count++;
        if (g.ivSize === 96) {
          checkVector(t, aead.seal, aead.open, `${name} chacha`);
          if (t.result !== 'valid') expect(() => aead.open(unhex(t.key), unhex(t.iv), unhex(t.ct + t.tag), unhex(t.aad))).toThrow(lib.DecryptError);
        } else {
          // Every non-96-bit nonce vector is "invalid": the registry must refuse the nonce size with InputError.
          expect(t.result).toBe('invalid');
          expect(() => aead.open(unhex(t.key), unhex(t.iv), unhex(t.ct + t.tag), unhex(t.aad))).toThrow(lib.InputError);
          expect(() => chacha20poly1305(unhex(t.key), unhex(t.iv)).decrypt(unhex(t.ct + t.tag))).toThrow();
        }
      }
    }
    expect(count).toBe(file.numberOfTests);
  });
});

describe('AEAD registry', () => {
  it('lists the six ids, same on both paths, frozen, declared lengths match outputs', () => {
    expect([...portable.AEAD_IDS]).toEqual(['aes-128-gcm', 'aes-256-gcm', 'chacha20-poly1305', 'xchacha20-poly1305', 'sm4-gcm', 'sm4-ccm']);
    expect(Object.isFrozen(portable.AEAD_IDS)).toBe(true);
    expect(Object.isFrozen(portable.AEAD_PARAMS)).toBe(true);
    for (const [, lib] of paths) {
      for (const id of lib.AEAD_IDS) {
        const a = lib.getAead(id);
        expect(Object.isFrozen(a)).toBe(true);
        expect(a.id).toBe(id);
        expect(lib.getAead(id)).toBe(a);
        expect({ keyLength: a.keyLength, nonceLength: a.nonceLength, tagLength: a.tagLength }).toEqual(lib.AEAD_PARAMS[id]);
        const s = a.seal(new Uint8Array(a.keyLength), new Uint8Array(a.nonceLength), new Uint8Array(10));
        expect(s.length).toBe(10 + a.tagLength);
        expect(s).toBeInstanceOf(Uint8Array);
      }
    }
  });
  it('unknown or non-string ids give typed errors', () => {
    for (const [, lib] of paths) {
      for (const bad of ['aes-192-gcm', 'AES-256-GCM', '', 'toString', '__proto__', 'constructor']) {
        expect(() => lib.getAead(bad as never)).toThrow(lib.UnsupportedError);
      }
      for (const h of hostileBytes()) {
        if (typeof h.value === 'string') continue;
        expect(() => lib.getAead(h.value as never), h.title).toThrow(lib.InputError);
      }
    }
  });
  it('portable and Node paths agree on random inputs, in both directions', () => {
    fc.assert(
      fc.property(arbAeadInput(), (x) => {
        const a = portable.getAead(x.id);
        const b = node.getAead(x.id);
        const s = a.seal(x.key, x.nonce, x.plaintext, x.aad);
        expect(b.seal(x.key, x.nonce, x.plaintext, x.aad)).toEqual(s);
        expect(b.open(x.key, x.nonce, s, x.aad)).toEqual(x.plaintext);
        expect(a.open(x.key, x.nonce, s, x.aad)).toEqual(x.plaintext);
        // empty AAD and omitted AAD are the same
        if (x.aad === undefined) expect(a.seal(x.key, x.nonce, x.plaintext, new Uint8Array(0))).toEqual(s);
      }),
      { numRuns: 300 },
    );
  });
  it.each(paths)('rejects every tampering with DecryptError and no detail (%s path)', (_n, lib) => {
    fc.assert(
      fc.property(arbAeadInput().chain((x) => {
        const s = lib.getAead(x.id).seal(x.key, x.nonce, x.plaintext, x.aad);
        return arbTamper(s).map((t) => ({ x, t }));
      }), ({ x, t }) => {
        try {
          lib.getAead(x.id).open(x.key, x.nonce, t.bytes, x.aad);
          expect.unreachable(t.mutation);
        } catch (e) {
          expect(e, t.mutation).toBeInstanceOf(lib.DecryptError);
          expect((e as InstanceType<typeof lib.DecryptError>).code).toBe('DECRYPT_FAILED');
          expect((e as Error).cause).toBeUndefined();
        }
      }),
      { numRuns: 200 },
    );
  });
  it.each(paths)('wrong key, nonce or AAD, truncations and bit flips give DecryptError (%s path)', (_n, lib) => {
    for (const id of lib.AEAD_IDS) {
      const a = lib.getAead(id);
      const k = new Uint8Array(a.keyLength).fill(1);
      const n = new Uint8Array(a.nonceLength).fill(2);
      const aad = Uint8Array.of(3);
      const s = a.seal(k, n, new Uint8Array(33).fill(4), aad);
      for (const t of [...truncations(s), ...bitFlips(s)]) {
        expect(() => a.open(k, n, t.value as Uint8Array, aad), `${id} ${t.title}`).toThrow(lib.DecryptError);
      }
      expect(() => a.open(k.map((x) => x ^ 1), n, s, aad)).toThrow(lib.DecryptError);
      expect(() => a.open(k, n.map((x) => x ^ 1), s, aad)).toThrow(lib.DecryptError);
      expect(() => a.open(k, n, s)).toThrow(lib.DecryptError);
      expect(() => a.open(k, n, s, new Uint8Array(2))).toThrow(lib.DecryptError);
    }
  });
  it.each(paths)('hostile arguments in every position give InputError (%s path)', (_n, lib) => {
    for (const id of lib.AEAD_IDS) {
      const a = lib.getAead(id);
      const ok: Uint8Array[] = [new Uint8Array(a.keyLength), new Uint8Array(a.nonceLength), new Uint8Array(20), new Uint8Array(2)];
      for (const fn of ['seal', 'open'] as const) {
        for (let pos = 0; pos < 4; pos++) {
          for (const h of hostileBytes()) {
            if (pos === 3 && h.value === undefined) continue; // aad is optional
            const args = [...ok];
            args[pos] = h.value as Uint8Array;
            expect(() => (a[fn] as (...x: unknown[]) => unknown)(...args), `${id}.${fn} arg${pos} ${h.title}`).toThrow(lib.InputError);
          }
        }
        for (const [pos, len] of [[0, a.keyLength - 1], [0, a.keyLength + 1], [1, a.nonceLength - 1], [1, a.nonceLength + 1], [1, 0]] as const) {
          const args = [...ok];
          args[pos] = new Uint8Array(len);
          expect(() => (a[fn] as (...x: unknown[]) => unknown)(...args), `${id}.${fn} len`).toThrow(lib.InputError);
        }
      }
    }
  });
  it('accepts Buffers and other-realm Uint8Arrays on both paths', async () => {
    const vm = await import('node:vm');
    const mk = (n: number) => vm.runInNewContext(`new Uint8Array(${n}).fill(7)`) as Uint8Array;
    for (const [, lib] of paths) {
      for (const id of lib.AEAD_IDS) {
        const a = lib.getAead(id);
        const ref = a.seal(new Uint8Array(a.keyLength).fill(7), new Uint8Array(a.nonceLength).fill(7), new Uint8Array(9).fill(7));
        expect(a.seal(mk(a.keyLength), mk(a.nonceLength), mk(9))).toEqual(ref);
        expect(a.seal(Buffer.alloc(a.keyLength, 7), Buffer.alloc(a.nonceLength, 7), Buffer.alloc(9, 7))).toEqual(ref);
        expect(a.open(Buffer.alloc(a.keyLength, 7), Buffer.alloc(a.nonceLength, 7), Buffer.from(ref))).toEqual(new Uint8Array(9).fill(7));
      }
    }
  });
  it('does not modify its inputs and handles subarray views', () => {
    for (const [, lib] of paths) {
      for (const id of lib.AEAD_IDS) {
        const a = lib.getAead(id);
        const big = new Uint8Array(200).map((_, i) => i);
        const k = big.subarray(3, 3 + a.keyLength);
        const n = big.subarray(50, 50 + a.nonceLength);
        const m = big.subarray(77, 150);
        const before = big.slice();
        const s = a.seal(k, n, m, big.subarray(1, 5));
        expect(big).toEqual(before);
        expect(a.open(k.slice(), n.slice(), s, big.slice(1, 5))).toEqual(m);
      }
    }
  });

  it('seal/open into a caller-provided output: same bytes as without, on both paths, every id, every size class', () => {
    for (const [name, lib] of paths) {
      for (const id of lib.AEAD_IDS) {
        const a = lib.getAead(id);
        // 70,000 bytes takes the Node path's chunked branch (≥ 64 KiB)
        for (const len of [0, 1, 100, name === 'node' ? 70_000 : 3000]) {
          const k = new Uint8Array(a.keyLength).fill(7);
          const n = new Uint8Array(a.nonceLength).fill(9);
          const m = new Uint8Array(len).map((_, i) => i * 31);
          const aad = Uint8Array.of(1, 2, 3);
          const plain = a.seal(k, n, m, aad);
          // output as a view in the middle of a larger message: nothing outside it is touched
          const msg = new Uint8Array(len + a.tagLength + 20).fill(0xee);
          const view = msg.subarray(10, 10 + len + a.tagLength);
          expect(a.seal(k, n, m, aad, view)).toBe(view);
          expect(view).toEqual(plain);
          expect(msg.subarray(0, 10).every((x) => x === 0xee) && msg.subarray(msg.length - 10).every((x) => x === 0xee)).toBe(true);
          const pt = new Uint8Array(len).fill(0xaa);
          expect(a.open(k, n, view, aad, pt)).toBe(pt);
          expect(pt).toEqual(m);
        }
      }
    }
  });

  it('a wrong-size or overlapping output is an InputError; a failed open zeroes the output', () => {
    for (const [, lib] of paths) {
      for (const id of lib.AEAD_IDS) {
        const a = lib.getAead(id);
        const k = new Uint8Array(a.keyLength);
        const n = new Uint8Array(a.nonceLength);
        const m = new Uint8Array(lib === node ? 70_000 : 3000).fill(5);
        expect(() => a.seal(k, n, m, undefined, new Uint8Array(m.length))).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
        expect(() => a.seal(k, n, m, undefined, [] as unknown as Uint8Array)).toThrow(expect.objectContaining({ code: 'INVALID_TYPE' }));
        const buf = new Uint8Array(m.length + a.tagLength + 8);
        expect(() => a.seal(k, n, buf.subarray(0, m.length), undefined, buf.subarray(8))).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
        const sealed = a.seal(k, n, m);
        expect(() => a.open(k, n, sealed, undefined, new Uint8Array(m.length + 1))).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
        expect(() => a.open(k, n, sealed, undefined, sealed.subarray(0, m.length))).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
        const bad = sealed.slice();
        bad[bad.length - 1]! ^= 1; // tag flip: the whole ciphertext was decrypted into output before the check
        const out = new Uint8Array(m.length).fill(0x55);
        expect(() => a.open(k, n, bad, undefined, out)).toThrow(lib.DecryptError);
        expect(out.every((x) => x === 0)).toBe(true);
      }
    }
  });
});
