/**
 * Fountain decoding (BCR-2020-005 §"Multipart URs") of ONE candidate sequence, in bounded memory: recovered
 * fragments, plus at most `maxMixed` not-yet-reducible mixed parts (the oldest is dropped first). Each incoming part
 * is reduced by the recovered fragments and by stored mixed parts that are subsets of it; a part reduced to one
 * fragment is recovered and reduces the stored parts in turn (peeling). A part that contradicts what is already
 * known is refused before any state changes. When every fragment is known the message is checked against its
 * CRC-32 and zero padding.
 * @module
 */
import { _crc32 } from './_crc32.js';
import { _chooseFragments, _degreeSampler, _xorInto, type _DegreeSampler } from './_fountain.js';
import { QrFrameError } from './errors.js';

interface Mixed {
  idx: number[];
  data: Uint8Array;
}

const key = (idx: readonly number[]) => idx.join(',');
const isZero = (b: Uint8Array) => b.every((v) => v === 0);
const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/** `small` ⊂ `big` for ascending index lists. */
function subset(small: readonly number[], big: readonly number[]): boolean {
  let j = 0;
  for (const v of small) {
    while (j < big.length && big[j]! < v) j++;
    if (big[j] !== v) return false;
  }
  return true;
}

/** `big` \ `small` for ascending index lists, by merging (linear, not |big|·|small|). */
function difference(big: readonly number[], small: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (const v of big) {
    while (j < small.length && small[j]! < v) j++;
    if (small[j] !== v) out.push(v);
  }
  return out;
}

/** Parameters shared by every part of a sequence. */
export interface SequenceParams {
  readonly seqLength: number;
  readonly messageLength: number;
  readonly checksum: number;
  readonly fragmentLength: number;
}

/** Decoder state of one sequence. */
export class _FountainDecoder {
  private readonly sampler: _DegreeSampler;
  private readonly simple: (Uint8Array | undefined)[];
  private readonly mixed = new Map<string, Mixed>();
  private known = 0;
  /** The verified message, once complete. */
  message: Uint8Array | undefined;
  /** True when every fragment is known but the message fails its checksum or padding. */
  failed = false;

  constructor(
    readonly params: SequenceParams,
    private readonly maxMixed: number,
  ) {
    this.sampler = _degreeSampler(params.seqLength);
    this.simple = new Array<Uint8Array | undefined>(params.seqLength).fill(undefined);
  }

  /** Fragments recovered so far. */
  get recovered(): number {
    return this.known;
  }

  /**
   * Adds part `seqNum`.
   * @returns true when the part added information, false when it was redundant
   * @throws {QrFrameError} QR_FRAME_MISMATCH when the part contradicts recovered fragments (no state changes)
   */
  receive(seqNum: number, fragment: Uint8Array): boolean {
    const p = this.params;
    let idx: number[] = [];
    const data = fragment.slice();
    for (const i of _chooseFragments(seqNum, p.seqLength, p.checksum, this.sampler)) {
      const s = this.simple[i];
      if (s) _xorInto(data, s);
      else idx.push(i);
    }
    const contradiction = () => new QrFrameError('frame contradicts frames already received for its sequence', { code: 'QR_FRAME_MISMATCH' });
    if (idx.length === 0) {
      if (!isZero(data)) throw contradiction();
      return false;
    }
    for (const m of this.mixed.values()) {
      if (m.idx.length < idx.length && subset(m.idx, idx)) {
        idx = difference(idx, m.idx);
        _xorInto(data, m.data);
      }
    }
    const same = this.mixed.get(key(idx));
    if (same) {
      if (!equal(same.data, data)) throw contradiction();
      return false;
    }
    if (idx.length === 1) {
      this.recover(idx[0]!, data);
      return true;
    }
    for (const m of [...this.mixed.values()]) {
      if (this.mixed.get(key(m.idx)) !== m) continue; // already reduced by a recovery this loop triggered
      if (m.idx.length > idx.length && subset(idx, m.idx)) {
        this.mixed.delete(key(m.idx));
        this.insert({ idx: difference(m.idx, idx), data: xor(m.data, data) });
      }
    }
    this.insert({ idx, data });
    return true;
  }

  private insert(m: Mixed): void {
    // keep the invariant: stored parts mention no recovered fragment
    const known = m.idx.filter((i) => this.simple[i]);
    if (known.length > 0) {
      m = { idx: m.idx.filter((i) => !this.simple[i]), data: m.data.slice() };
      for (const i of known) _xorInto(m.data, this.simple[i]!);
      if (m.idx.length === 0) return;
    }
    if (m.idx.length === 1) {
      this.recover(m.idx[0]!, m.data);
      return;
    }
    const k = key(m.idx);
    if (this.mixed.has(k)) return;
    if (this.mixed.size >= this.maxMixed) this.mixed.delete(this.mixed.keys().next().value!);
    this.mixed.set(k, m);
  }

  private recover(index: number, data: Uint8Array): void {
    const queue: [number, Uint8Array][] = [[index, data]];
    while (queue.length > 0) {
      const [i, d] = queue.pop()!;
      if (this.simple[i]) continue;
      this.simple[i] = d;
      this.known++;
      for (const m of [...this.mixed.values()]) {
        if (!m.idx.includes(i)) continue;
        this.mixed.delete(key(m.idx));
        const rest = { idx: m.idx.filter((v) => v !== i), data: xor(m.data, d) };
        if (rest.idx.length === 1) queue.push([rest.idx[0]!, rest.data]);
        else if (!this.mixed.has(key(rest.idx))) this.mixed.set(key(rest.idx), rest);
      }
    }
    if (this.known === this.params.seqLength) this.finish();
  }

  private finish(): void {
    const p = this.params;
    const all = new Uint8Array(p.seqLength * p.fragmentLength);
    this.simple.forEach((f, i) => all.set(f!, i * p.fragmentLength));
    const msg = all.subarray(0, p.messageLength);
    this.mixed.clear();
    if (!isZero(all.subarray(p.messageLength)) || _crc32(msg) !== p.checksum) this.failed = true;
    else this.message = msg.slice();
  }
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = a.slice();
  _xorInto(out, b);
  return out;
}
