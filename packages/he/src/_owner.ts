/**
 * Owner role: holds the secret key (inside SEAL's Decryptor, never exported) and decrypts aggregates, refusing
 * (typed errors) any slot outside the aggregate bound and any exhausted noise budget.
 * @module
 */
import { InputError, aobject } from '@privkit/core';
import type { SealDecryptor, SealPlainText } from './_seal.js';
import { assertAlive, freeAll, wrap, type Core } from './_core.js';
import { intValue } from './_values.js';
import { asCiphertext } from './_ciphertext.js';
import type { GaloisKeysImpl, PublicKeyImpl } from './_keys.js';
import { HeOverflowError } from './errors.js';
import type { HePresetId } from './presets.js';
import type { DecryptOptions, HeAggregate, HeCiphertext, HeOwner } from './types.js';

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
    try {
      return this.core.scheme.noiseBudget(this.decryptor, ct.parts);
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
      return this.core.scheme.decrypt(this.core, this.decryptor, this.plain, ct, bound);
    } catch (e) {
      throw wrap(e, 'decryption');
    }
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
