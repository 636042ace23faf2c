/**
 * Xoshiro256** (Blackman and Vigna, 2018) seeded as Blockchain Commons BCR-2020-005 §"Random number generator"
 * specifies: the state is SHA-256 of the seed read as four big-endian 64-bit words. Used to choose which fragments a
 * fountain part mixes, so encoder and decoder must draw the same numbers; written from the specification.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';

const MASK = (1n << 64n) - 1n;
const TWO64 = 2 ** 64;

const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (64n - k))) & MASK;

/** The generator. */
export class _Xoshiro256 {
  private s: [bigint, bigint, bigint, bigint];
  constructor(seed: Uint8Array) {
    const d = sha256(seed);
    const word = (o: number): bigint => {
      let v = 0n;
      for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(d[o + i]!);
      return v;
    };
    this.s = [word(0), word(8), word(16), word(24)];
  }
  /** Next 64-bit output. */
  next(): bigint {
    const s = this.s;
    const result = (rotl((s[1] * 5n) & MASK, 7n) * 9n) & MASK;
    const t = (s[1] << 17n) & MASK;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45n);
    return result;
  }
  /** Uniform in [0, 1): the output converted to a double, divided by 2^64. */
  nextDouble(): number {
    return Number(this.next()) / TWO64;
  }
  /** Uniform integer in [low, high]. */
  nextInt(low: number, high: number): number {
    return Math.floor(this.nextDouble() * (high - low + 1)) + low;
  }
}
