/**
 * Fountain codes of Blockchain Commons BCR-2020-005 §"Multipart URs": the message is cut into `seqLength`
 * equal fragments (the last zero-padded); part `seqNum` ≤ `seqLength` carries fragment `seqNum − 1`, later parts
 * carry the xor of a pseudo-random subset whose size follows the ideal soliton distribution (weights 1/d, sampled
 * with Vose's alias method) and whose members come from a Fisher–Yates-style shuffle, both driven by Xoshiro256**
 * seeded with `seqNum ‖ checksum` (32-bit big-endian each). Written from the specification.
 * @module
 */
import { _u32be } from './_crc32.js';
import { _Xoshiro256 } from './_xoshiro.js';

/**
 * The fragment length the encoder uses: the smallest fragment count whose fragments fit `maxFragment`, counting
 * up to ⌈length / minFragment⌉ fragments.
 */
export function _fragmentLength(messageLength: number, minFragment: number, maxFragment: number): number {
  const maxCount = Math.ceil(messageLength / minFragment);
  let len = 0;
  for (let count = 1; count <= maxCount; count++) {
    len = Math.ceil(messageLength / count);
    if (len <= maxFragment) break;
  }
  return len;
}

/** The message as fragments of `fragmentLength` bytes, the last zero-padded. */
export function _partition(message: Uint8Array, fragmentLength: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < message.length; i += fragmentLength) {
    const f = new Uint8Array(fragmentLength);
    f.set(message.subarray(i, i + fragmentLength));
    out.push(f);
  }
  return out;
}

/** Vose's alias tables for the degree distribution of one `seqLength` (weights 1/1, 1/2, …, 1/seqLength). */
export interface _DegreeSampler {
  readonly prob: Float64Array;
  readonly alias: Uint32Array;
}

/** Builds the alias tables (the order of the small/large work lists is part of the specification). */
export function _degreeSampler(seqLength: number): _DegreeSampler {
  const n = seqLength;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += 1 / (i + 1);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = ((1 / (i + 1)) * n) / sum;
  const prob = new Float64Array(n);
  const alias = new Uint32Array(n);
  const small: number[] = [];
  const large: number[] = [];
  for (let i = n - 1; i >= 0; i--) (p[i]! < 1 ? small : large).push(i);
  while (small.length > 0 && large.length > 0) {
    const a = small.pop()!;
    const g = large.pop()!;
    prob[a] = p[a]!;
    alias[a] = g;
    p[g] = p[g]! + p[a]! - 1;
    (p[g]! < 1 ? small : large).push(g);
  }
  for (const i of large) prob[i] = 1;
  for (const i of small) prob[i] = 1;
  return { prob, alias };
}

/**
 * Indexes of the fragments part `seqNum` mixes, ascending. Costs O(degree · seqLength) after the sampler.
 * @param sampler - {@link _degreeSampler} of `seqLength` (cache it per sequence)
 */
export function _chooseFragments(seqNum: number, seqLength: number, checksum: number, sampler: _DegreeSampler): number[] {
  if (seqNum <= seqLength) return [seqNum - 1];
  const seed = new Uint8Array(8);
  seed.set(_u32be(seqNum), 0);
  seed.set(_u32be(checksum), 4);
  const rng = new _Xoshiro256(seed);
  const c = Math.floor(rng.nextDouble() * seqLength);
  const degree = (rng.nextDouble() < sampler.prob[c]! ? c : sampler.alias[c]!) + 1;
  // The shuffle draws one index per step from the remaining items; the first `degree` draws are all we need.
  const remaining = Array.from({ length: seqLength }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < degree; k++) out.push(remaining.splice(rng.nextInt(0, remaining.length - 1), 1)[0]!);
  return out.sort((a, b) => a - b);
}

/** Xor of the chosen fragments. */
export function _mix(fragments: readonly Uint8Array[], indexes: readonly number[], fragmentLength: number): Uint8Array {
  const out = new Uint8Array(fragmentLength);
  for (const i of indexes) _xorInto(out, fragments[i]!);
  return out;
}

/** a ^= b (equal lengths). */
export function _xorInto(a: Uint8Array, b: Uint8Array): void {
  for (let i = 0; i < a.length; i++) a[i]! ^= b[i]!;
}
