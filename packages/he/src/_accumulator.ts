/**
 * Streaming accumulator: adds `weight · ciphertext` terms after checking bounds and noise; the new sum is computed into
 * a spare buffer and swapped in only on success, so a refused upload never changes or destroys the running sum.
 * @module
 */
import { InputError } from '@privkit/core';
import type { SealCipherText, SealPlainText } from './_seal.js';
import { addTerm, type CtMeta } from './_bounds.js';
import { assertAlive, freeAll, wrap, type Core } from './_core.js';
import { CiphertextImpl, asCiphertext } from './_ciphertext.js';
import { HeParamsError } from './errors.js';
import type { HeAccumulator, HeCiphertext } from './types.js';

export class AccumulatorImpl implements HeAccumulator {
  #disposed = false;
  /** The running sum, one SEAL ciphertext per batch. */
  private parts: SealCipherText[] = [];
  /** Where the next sum is computed; swapped with `parts` only when every batch succeeded. */
  private spare: SealCipherText[] = [];
  private weightPlain: SealPlainText | undefined;
  private weightKey: bigint | number | undefined;
  private weightLevel = 0;
  private meta: CtMeta | undefined;
  constructor(readonly core: Core) {
    core.children.add(this);
  }
  get disposed(): boolean {
    return this.#disposed;
  }
  get count(): number {
    return this.meta?.count ?? 0;
  }
  add(ciphertext: HeCiphertext, weight?: number | bigint): void {
    assertAlive(this.core, this, 'accumulator');
    const core = this.core;
    const { preset } = core;
    const ct = asCiphertext(core, ciphertext, 'ciphertext');
    if (ct.divisor !== 1n) throw new InputError('"ciphertext" is a mean; aggregate sums, then take the mean');
    const { scheme } = core;
    const wt = scheme.weight(preset, weight);
    if (wt === undefined) return; // weight 0 contributes nothing (and SEAL would produce a transparent ciphertext)
    const { w, absW } = wt;
    const levelAfter = scheme.levelAfter(ct.level, w !== undefined);
    if (levelAfter > scheme.maxLevel) {
      throw new HeParamsError('CKKS ciphertexts can be weighted once (one rescale level keeps 2^50 headroom)');
    }
    const m = this.meta;
    if (m && (m.length !== ct.length || this.parts.length !== ct.parts.length)) {
      throw new HeParamsError(`ciphertext length ${ct.length} differs from the running sum's ${m.length}`);
    }
    if (m && m.level !== levelAfter) {
      throw new HeParamsError(`ciphertext level ${levelAfter} differs from the running sum's ${m.level}`);
    }
    const next = addTerm(preset, m, ct, absW, w !== undefined);
    const { seal, evaluator } = core;
    // compute the new sum into `spare` (or fresh ciphertexts for the first term); `parts` is untouched until the end
    const out = m ? this.spare : [];
    try {
      if (w !== undefined && w !== -1n) this.#encodeWeight(w, ct);
      for (let i = 0; i < ct.parts.length; i++) {
        const src = ct.parts[i]!;
        out[i] ??= new seal.Ciphertext();
        const dest = out[i]!;
        let term = src;
        if (w === -1n) {
          evaluator.negate(src, dest);
          term = dest;
        } else if (w !== undefined) {
          scheme.weigh(core, src, this.weightPlain!, w, dest);
          term = dest;
        }
        if (m) evaluator.add(this.parts[i]!, term, dest);
        else if (term === src) dest.assign(src);
        if (dest.isTransparent()) {
          throw new InputError('the weighted terms cancel exactly (the sum would be a transparent ciphertext)', {
            code: 'INVALID_VALUE',
          });
        }
      }
    } catch (e) {
      if (!m) freeAll(out);
      throw wrap(e, 'accumulate');
    }
    if (m) {
      this.spare = this.parts;
      this.parts = out;
    } else this.parts = out;
    this.meta = { ...next, level: levelAfter };
  }
  #encodeWeight(w: bigint | number, ct: CiphertextImpl): void {
    const core = this.core;
    if (this.weightPlain && this.weightKey === w && this.weightLevel === ct.level) return; // cached encoding
    this.weightKey = undefined;
    this.weightPlain ??= new core.seal.Plaintext();
    core.scheme.encodeWeight(core, w, ct.level, ct.parts[0]!, this.weightPlain);
    this.weightKey = w;
    this.weightLevel = ct.level;
  }
  #snapshot(mean: boolean): HeCiphertext {
    assertAlive(this.core, this, 'accumulator');
    const m = this.meta;
    if (!m) throw new InputError('accumulator is empty (nothing with a nonzero weight was added)');
    const parts: SealCipherText[] = [];
    try {
      for (const p of this.parts) parts.push(p.copy());
    } catch (e) {
      freeAll(parts);
      throw wrap(e, 'copying the sum');
    }
    return new CiphertextImpl(this.core, parts, { ...m, divisor: mean ? BigInt(m.count) : 1n });
  }
  result(): HeCiphertext {
    return this.#snapshot(false);
  }
  mean(): HeCiphertext {
    return this.#snapshot(true);
  }
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.core.children.delete(this);
    freeAll([...this.parts, ...this.spare, this.weightPlain]);
    this.parts = [];
    this.spare = [];
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}
