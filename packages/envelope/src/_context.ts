/**
 * The HPKE encryption context of RFC 9180 §5.2–5.3 (sequence numbers, nonce computation, overflow rule, secret
 * export). Internal; exposed through `hpke.setup*`.
 * @module
 */
import { abytes, anumber, InputError, UnsupportedError } from '@privkit/core';
import { ascii, labeledExpand } from './_labeled.js';
import { MessageLimitError, OpenError } from './errors.js';
import type { Suite } from './hpke.js';

const L_SEC = ascii('sec');

/** Role of a context. */
export type Role = 'S' | 'R';

/**
 * An HPKE encryption context (RFC 9180 §5.2): `seal`/`open` with an internal sequence number, and `export`.
 * A context is either a sender (`seal` only) or a recipient (`open` only); both can `export`.
 */
export interface Context {
  /** Encrypts `pt` with `aad` under the next nonce. Sender contexts only. @throws MessageLimitError */
  seal(aad: Uint8Array, pt: Uint8Array): Uint8Array;
  /** Decrypts `ct`; the sequence number advances only on success. Recipient contexts only. @throws OpenError */
  open(aad: Uint8Array, ct: Uint8Array): Uint8Array;
  /** `Context.Export(exporter_context, L)` (RFC 9180 §5.3), `L ≤ 255·Nh`. */
  export(exporterContext: Uint8Array, L: number): Uint8Array;
  /** The current sequence number (messages sealed/opened so far). */
  readonly seq: number;
}

/**
 * Largest number of messages one context processes. RFC 9180 §5.2 allows `2^(8·Nn) − 1`; PrivKit counts in a JS
 * number, so the effective limit is `min(2^(8·Nn) − 1, 2^53 − 1)` messages.
 */
export function maxMessages(Nn: number): number {
  anumber(Nn, 'Nn', 0, 255);
  return Nn >= 7 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * Nn) - 1;
}

/** Builds a context from the key schedule output (`startSeq` lets the overflow test start near the limit). */
export function makeContext(s: Suite, role: Role, key: Uint8Array, baseNonce: Uint8Array, exporterSecret: Uint8Array | (() => Uint8Array), startSeq = 0): Context {
  let seq = startSeq;
  const { aead, kdf } = s;
  const limit = maxMessages(aead.Nn);
  const nonce = (): Uint8Array => {
    const out = baseNonce.slice();
    let v = seq;
    for (let i = out.length - 1; i >= 0 && v > 0; i--) {
      out[i]! ^= v % 256;
      v = Math.floor(v / 256);
    }
    return out;
  };
  return {
    get seq() {
      return seq;
    },
    seal(aad: Uint8Array, pt: Uint8Array): Uint8Array {
      abytes(aad, undefined, 'aad');
      abytes(pt, undefined, 'plaintext');
      if (role !== 'S') throw new UnsupportedError('seal on a recipient context');
      if (!aead.impl) throw new UnsupportedError('seal with the export-only AEAD');
      if (seq >= limit) throw new MessageLimitError();
      const ct = aead.impl().seal(key, nonce(), pt, aad);
      seq++;
      return ct;
    },
    open(aad: Uint8Array, ct: Uint8Array): Uint8Array {
      abytes(aad, undefined, 'aad');
      abytes(ct, undefined, 'ciphertext');
      if (role !== 'R') throw new UnsupportedError('open on a sender context');
      if (!aead.impl) throw new UnsupportedError('open with the export-only AEAD');
      if (seq >= limit) throw new MessageLimitError();
      let pt: Uint8Array;
      try {
        pt = aead.impl().open(key, nonce(), ct, aad);
      } catch {
        throw new OpenError();
      }
      seq++;
      return pt;
    },
    export(exporterContext: Uint8Array, L: number): Uint8Array {
      abytes(exporterContext, undefined, 'exporterContext');
      // anumber never stringifies the value it rejects (a hostile object's toString could throw).
      if (typeof L !== 'number') anumber(L, 'L', 1, 255 * kdf.Nh);
      if (!Number.isSafeInteger(L) || L < 1 || L > 255 * kdf.Nh) {
        throw new InputError(`"L" expected integer in 1..${255 * kdf.Nh}, got ${L}`, { code: 'INVALID_VALUE' });
      }
      return labeledExpand(kdf.hash, s.id, typeof exporterSecret === 'function' ? exporterSecret() : exporterSecret, L_SEC, exporterContext, L);
    },
  };
}

