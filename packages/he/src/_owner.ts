/**
 * Owner role: holds the secret key (inside SEAL's Decryptor, never exported) and decrypts aggregates, refusing
 * (typed errors) any slot outside the aggregate bound and any exhausted noise budget.
 * @module
 */
import { InputError, aobject } from '@privkit/core';
import type { SealDecryptor, SealPlainText } from './_seal.js';
import { ckksErrorBound } from './_bounds.js';
import { abs, assertAlive, freeAll, intValue, wrap, type Core } from './_core.js';
import { asCiphertext, type CiphertextImpl } from './_ciphertext.js';
import type { GaloisKeysImpl, PublicKeyImpl } from './_keys.js';
import { HeNoiseError, HeOverflowError } from './errors.js';
import type { HePresetId } from './presets.js';
import type { BfvAggregate, CkksAggregate, DecryptOptions, HeAggregate, HeCiphertext, HeOwner } from './types.js';

export class OwnerImpl implements HeOwner {
  readonly preset: HePresetId;
  #disposed = false;
  constructor(
    readonly core: Core,
    private readonly decryptor: SealDecryptor,
    private readonly plain: SealPlainText,
    readonly publicKey: PublicKeyImpl,
    readonly galoisKeys: GaloisKeysImpl | undefined,
  ) {
    this.preset = core.preset.id;
    core.children.add(this);
  }
  get disposed(): boolean {
    return this.#disposed;
  }
  noiseBudget(ciphertext: HeCiphertext): number | undefined {
    assertAlive(this.core, this, 'owner');
    const ct = asCiphertext(this.core, ciphertext, 'ciphertext');
    if (this.core.preset.scheme !== 'bfv') return undefined;
    try {
      return Math.min(...ct.parts.map((p) => this.decryptor.invariantNoiseBudget(p)));
    } catch (e) {
      throw wrap(e, 'noise budget');
    }
  }
  decrypt(ciphertext: HeCiphertext, options?: DecryptOptions): HeAggregate {
    assertAlive(this.core, this, 'owner');
    const ct = asCiphertext(this.core, ciphertext, 'ciphertext');
    const o = aobject<DecryptOptions>(options, 'options');
    const { preset } = this.core;
    let bound = ct.bound;
    if (o?.bound !== undefined) {
      const own = intValue(o.bound, 'bound');
      if (own < 0n) throw new InputError(`"bound" expected non-negative integer, got ${own}`, { code: 'INVALID_VALUE' });
      if (own < bound) bound = own;
    }
    if (bound > preset.maxAbsValue) {
      throw new HeOverflowError(`aggregate bound ${bound} exceeds the plaintext space ±${preset.maxAbsValue}`);
    }
    try {
      return preset.scheme === 'bfv' ? this.#decryptBfv(ct, bound) : this.#decryptCkks(ct, bound);
    } catch (e) {
      throw wrap(e, 'decryption');
    }
  }
  #decryptBfv(ct: CiphertextImpl, bound: bigint): BfvAggregate {
    const { batch, preset } = this.core;
    let budget = Infinity;
    for (const p of ct.parts) budget = Math.min(budget, this.decryptor.invariantNoiseBudget(p));
    if (!(budget > 0)) {
      throw new HeNoiseError('noise budget exhausted (or not encrypted under this key): refusing to decrypt');
    }
    // every slot of every batch — padding included — must lie within the bound: a device hiding values in padding
    // slots, or any out-of-range contribution large enough to push a slot past the aggregate bound, is refused
    const values: bigint[] = [];
    let outside = false;
    for (const p of ct.parts) {
      this.decryptor.decrypt(p, this.plain);
      const slots = batch!.decodeBigInt(this.plain, true) as BigInt64Array;
      for (let i = 0; i < slots.length; i++) if (abs(slots[i]!) > bound) outside = true;
      const take = Math.min(preset.slotCount, ct.length - values.length);
      for (let i = 0; i < take; i++) values.push(slots[i]!);
      slots.fill(0n);
    }
    this.plain.setZero();
    if (outside) throw new HeOverflowError('a decrypted value exceeds the aggregate bound (out-of-range contribution?)');
    const d = Number(ct.divisor);
    return Object.freeze({
      scheme: 'bfv' as const,
      preset: preset.id,
      values: Object.freeze(values),
      mean: Object.freeze(values.map((v) => (ct.divisor === 1n ? Number(v) : Number(v) / d))),
      count: ct.count,
      divisor: ct.divisor,
      noiseBudget: budget,
    });
  }
  #decryptCkks(ct: CiphertextImpl, bound: bigint): CkksAggregate {
    const { ckks, preset } = this.core;
    const errorBound = ckksErrorBound(preset, ct);
    const values: number[] = [];
    const limit = Number(bound) + errorBound;
    let outside = false;
    for (const p of ct.parts) {
      this.decryptor.decrypt(p, this.plain);
      const slots = ckks!.decode(this.plain);
      for (let i = 0; i < slots.length; i++) if (!(Math.abs(slots[i]!) <= limit)) outside = true;
      const take = Math.min(preset.slotCount, ct.length - values.length);
      for (let i = 0; i < take; i++) values.push(slots[i]!);
    }
    this.plain.setZero();
    if (outside) {
      throw new HeNoiseError('decryption is outside the aggregate bound (garbage, not under this key, or out of range): refused');
    }
    const d = Number(ct.divisor);
    return Object.freeze({
      scheme: 'ckks' as const,
      preset: preset.id,
      values: Object.freeze(values),
      mean: Object.freeze(values.map((v) => v / d)),
      count: ct.count,
      divisor: ct.divisor,
      errorBound,
    });
  }
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.core.children.delete(this);
    freeAll([this.decryptor, this.plain]);
    this.publicKey.dispose();
    this.galoisKeys?.dispose();
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}
