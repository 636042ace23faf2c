/**
 * Key handles: the owner's public key (for devices) and Galois keys (for an aggregator's total sums).
 * @module
 */
import type { SealGaloisKeys, SealPublicKey } from './_seal.js';
import { KIND } from './_format.js';
import { assertAlive, comprMode, freeAll, header, wrap, type Core } from './_core.js';
import type { HePresetId } from './presets.js';
import type { HeGaloisKeys, HePublicKey, SerializeOptions } from './types.js';

export class PublicKeyImpl implements HePublicKey {
  readonly kind = 'publicKey' as const;
  readonly preset: HePresetId;
  #disposed = false;
  constructor(
    readonly core: Core,
    readonly key: SealPublicKey,
  ) {
    this.preset = core.preset.id;
    core.children.add(this);
  }
  get disposed(): boolean {
    return this.#disposed;
  }
  serialize(options?: SerializeOptions): Uint8Array {
    assertAlive(this.core, this, 'public key');
    const { mode, code } = comprMode(this.core, options);
    try {
      const body = this.key.saveArray(mode);
      return header(this.core, KIND.publicKey, code).u32(body.length).bytes(body).finish();
    } catch (e) {
      throw wrap(e, 'public key serialization');
    }
  }
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.core.children.delete(this);
    freeAll([this.key]);
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}

export class GaloisKeysImpl implements HeGaloisKeys {
  readonly kind = 'galoisKeys' as const;
  readonly preset: HePresetId;
  #disposed = false;
  constructor(
    readonly core: Core,
    readonly keys: SealGaloisKeys,
  ) {
    this.preset = core.preset.id;
    core.children.add(this);
  }
  get disposed(): boolean {
    return this.#disposed;
  }
  serialize(options?: SerializeOptions): Uint8Array {
    assertAlive(this.core, this, 'Galois keys');
    const { mode, code } = comprMode(this.core, options);
    try {
      const body = this.keys.saveArray(mode);
      return header(this.core, KIND.galoisKeys, code).u32(body.length).bytes(body).finish();
    } catch (e) {
      throw wrap(e, 'Galois key serialization');
    }
  }
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.core.children.delete(this);
    freeAll([this.keys]);
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}
