/**
 * Verifier-side nonce challenges: random nonces with an expiry, each accepted at most once, in bounded memory.
 * @module
 */
import { abytes, anumber, aobject, bytesToHex, InputError, randomBytes } from '@privkit/core';
import { NonceError } from './errors.js';

/** Options of {@link createNonceRegistry}. */
export interface NonceRegistryOptions {
  /** Lifetime of a nonce in milliseconds (default 60 000; 1..86 400 000). */
  ttlMs?: number;
  /** Most nonces outstanding at once (default 10 000; 1..1 000 000). */
  maxOutstanding?: number;
  /** Nonce length in bytes (default 32; 16..64 — at most a TPM2B_DATA). */
  nonceLength?: number;
  /** Clock in milliseconds (default `Date.now`); injectable for tests. */
  now?: () => number;
}

/** A nonce registry. */
export interface NonceRegistry {
  /** Issues a fresh random nonce valid for `ttlMs`. Evicts expired entries first. @throws NonceError NONCE_LIMIT */
  issue(): Uint8Array;
  /**
   * Accepts `nonce` once. @throws NonceError `NONCE_UNKNOWN` (never issued, or already evicted), `NONCE_EXPIRED`,
   * `NONCE_REPLAYED` (already accepted)
   */
  consume(nonce: Uint8Array): void;
  /** Like `consume` but returns false instead of throwing on a rejected nonce. */
  accept(nonce: Uint8Array): boolean;
  /** Nonces issued, not yet accepted and not evicted. */
  readonly outstanding: number;
  /** Drops expired entries (outstanding and accepted); returns how many were dropped. */
  purge(): number;
}

/**
 * Creates a nonce registry. Memory is bounded: at most `maxOutstanding` outstanding nonces plus at most
 * `maxOutstanding` remembered accepted nonces (kept until they would have expired, so a replay is reported as
 * `NONCE_REPLAYED`; once evicted a replay is `NONCE_UNKNOWN` — rejected either way). Expired entries are evicted on
 * `issue()` and `purge()`.
 * @param options - `{ttlMs?, maxOutstanding?, nonceLength?, now?}`
 * @returns a {@link NonceRegistry}
 * @throws {InputError} on bad options
 * @example
 * ```ts
 * const reg = createNonceRegistry({ ttlMs: 30_000 });
 * const nonce = reg.issue();
 * reg.consume(nonce); // ok
 * reg.consume(nonce); // throws NonceError NONCE_REPLAYED
 * ```
 */
export function createNonceRegistry(options?: NonceRegistryOptions): NonceRegistry {
  const o = aobject<NonceRegistryOptions>(options, 'options');
  const ttl = o?.ttlMs === undefined ? 60_000 : anumber(o.ttlMs, 'options.ttlMs', 1, 86_400_000);
  const max = o?.maxOutstanding === undefined ? 10_000 : anumber(o.maxOutstanding, 'options.maxOutstanding', 1, 1_000_000);
  const len = o?.nonceLength === undefined ? 32 : anumber(o.nonceLength, 'options.nonceLength', 16, 64);
  if (o?.now !== undefined && typeof o.now !== 'function') {
    throw new InputError('"options.now" expected function', { code: 'INVALID_TYPE' });
  }
  const now = o?.now ?? (() => Date.now());
  const outstanding = new Map<string, number>();
  const used = new Map<string, number>();
  const clock = (): number => {
    const t = now();
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new InputError('"options.now" returned a non-finite number');
    return t;
  };
  const purgeAt = (t: number): number => {
    let n = 0;
    for (const m of [outstanding, used]) {
      for (const [k, exp] of m) {
        if (t >= exp) {
          m.delete(k);
          n++;
        }
      }
    }
    return n;
  };
  const check = (nonce: Uint8Array): { code: 'NONCE_UNKNOWN' | 'NONCE_EXPIRED' | 'NONCE_REPLAYED'; msg: string } | undefined => {
    abytes(nonce, undefined, 'nonce');
    const k = bytesToHex(nonce);
    const t = clock();
    const exp = outstanding.get(k);
    if (exp === undefined) {
      return used.has(k) ? { code: 'NONCE_REPLAYED', msg: 'nonce was already accepted' } : { code: 'NONCE_UNKNOWN', msg: 'nonce was not issued by this registry' };
    }
    outstanding.delete(k);
    if (t >= exp) return { code: 'NONCE_EXPIRED', msg: 'nonce has expired' };
    if (used.size >= max) used.delete(used.keys().next().value as string);
    used.set(k, exp);
    return undefined;
  };
  return Object.freeze({
    issue() {
      const t = clock();
      purgeAt(t);
      if (outstanding.size >= max) throw new NonceError(`${max} nonces are outstanding`, { code: 'NONCE_LIMIT' });
      let nonce: Uint8Array;
      let k: string;
      do {
        nonce = randomBytes(len);
        k = bytesToHex(nonce);
      } while (outstanding.has(k) || used.has(k));
      outstanding.set(k, t + ttl);
      return nonce;
    },
    consume(nonce: Uint8Array) {
      const r = check(nonce);
      if (r) throw new NonceError(r.msg, { code: r.code });
    },
    accept(nonce: Uint8Array) {
      return check(nonce) === undefined;
    },
    get outstanding() {
      return outstanding.size;
    },
    purge() {
      return purgeAt(clock());
    },
  });
}
