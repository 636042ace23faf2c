/**
 * Aggregator role (no secret key): sums, weighted sums, means through an accumulator, and total (rotation) sums with
 * the owner's Galois keys.
 * @module
 */
import { InputError } from '@privkit/core';
import type { SealCipherText } from './_seal.js';
import { totalSumMeta } from './_bounds.js';
import { assertAlive, freeAll, rotationSteps, wrap, type Core } from './_core.js';
import { CiphertextImpl, asCiphertext } from './_ciphertext.js';
import type { GaloisKeysImpl } from './_keys.js';
import { AccumulatorImpl } from './_accumulator.js';
import { HeStateError } from './errors.js';
import type { HePresetId } from './presets.js';
import type { HeAccumulator, HeAggregator, HeCiphertext } from './types.js';

export class AggregatorImpl implements HeAggregator {
  readonly preset: HePresetId;
  #disposed = false;
  constructor(
    readonly core: Core,
    readonly galois: GaloisKeysImpl | undefined,
    private readonly ownsGalois: boolean,
  ) {
    this.preset = core.preset.id;
    core.children.add(this);
  }
  get disposed(): boolean {
    return this.#disposed;
  }
  get canRotate(): boolean {
    return this.galois !== undefined && !this.galois.disposed;
  }
  accumulator(): HeAccumulator {
    assertAlive(this.core, this, 'aggregator');
    return new AccumulatorImpl(this.core);
  }
  #list(ciphertexts: unknown): readonly unknown[] {
    if (!Array.isArray(ciphertexts) || ciphertexts.length === 0) {
      throw new InputError('"ciphertexts" expected non-empty array of HeCiphertext', { code: 'INVALID_VALUE' });
    }
    return ciphertexts;
  }
  #fold(ciphertexts: readonly unknown[], weights: readonly unknown[] | undefined, mean: boolean): HeCiphertext {
    assertAlive(this.core, this, 'aggregator');
    const acc = new AccumulatorImpl(this.core);
    try {
      ciphertexts.forEach((ct, i) => acc.add(ct as HeCiphertext, weights ? (weights[i] as bigint) : undefined));
      return mean ? acc.mean() : acc.result();
    } finally {
      acc.dispose();
    }
  }
  sum(ciphertexts: readonly HeCiphertext[]): HeCiphertext {
    return this.#fold(this.#list(ciphertexts), undefined, false);
  }
  mean(ciphertexts: readonly HeCiphertext[]): HeCiphertext {
    return this.#fold(this.#list(ciphertexts), undefined, true);
  }
  weightedSum(ciphertexts: readonly HeCiphertext[], weights: readonly (number | bigint)[]): HeCiphertext {
    const list = this.#list(ciphertexts);
    if (!Array.isArray(weights) || weights.length !== list.length) {
      throw new InputError(`"weights" expected array of length ${list.length}`, { code: 'INVALID_LENGTH' });
    }
    return this.#fold(list, weights, false);
  }
  totalSum(ciphertext: HeCiphertext): HeCiphertext {
    assertAlive(this.core, this, 'aggregator');
    const core = this.core;
    const ct = asCiphertext(core, ciphertext, 'ciphertext');
    const gk = this.galois;
    if (!gk || gk.disposed) {
      throw new HeStateError('totalSum needs the owner\'s Galois keys', { code: 'HE_MISSING_GALOIS_KEYS' });
    }
    const { preset, evaluator } = core;
    const meta = totalSumMeta(preset, ct, ct.parts.length);
    let acc: SealCipherText | undefined;
    let tmp: SealCipherText | undefined;
    try {
      acc = ct.parts[0]!.copy();
      for (let i = 1; i < ct.parts.length; i++) evaluator.add(acc, ct.parts[i]!, acc);
      tmp = new core.seal.Ciphertext();
      for (const step of rotationSteps(preset)) {
        core.scheme.rotate(core, acc, step, gk.keys, tmp);
        evaluator.add(acc, tmp, acc);
      }
      if (acc.isTransparent()) throw new InputError('the slots cancel exactly (a total sum of zero mask)', { code: 'INVALID_VALUE' });
    } catch (e) {
      freeAll([acc]);
      throw wrap(e, 'total sum');
    } finally {
      freeAll([tmp]);
    }
    return new CiphertextImpl(core, [acc], meta);
  }
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.core.children.delete(this);
    if (this.ownsGalois) this.galois?.dispose();
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}
