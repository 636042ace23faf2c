/**
 * Key handles: the owner's public key (for devices) and Galois keys (for an aggregator's total sums), one generic
 * handle over the SEAL object and its wire kind.
 * @module
 */
import type { SealGaloisKeys, SealPublicKey } from './_seal.js';
import { KIND } from './_format.js';
import { assertAlive, comprMode, freeAll, header, wrap, type Core } from './_core.js';
import type { HePresetId } from './presets.js';
import type { HeGaloisKeys, HePublicKey, SerializeOptions } from './types.js';

/** A SEAL key object owned by a context, serialized as one SEAL stream (FORMAT.md kinds 1 and 2). */
class KeyHandle<K extends 'publicKey' | 'galoisKeys', S extends { saveToArray(mode: never): unknown; delete(): void }> {
  readonly preset: HePresetId;
  #disposed = false;
  constructor(
    readonly kind: K,
    readonly core: Core,
    readonly key: S,
  ) {
    this.preset = core.preset.id;
    core.children.add(this);
  }
  get disposed(): boolean {
    return this.#disposed;
  }
  serialize(options?: SerializeOptions): Uint8Array {
    const what = this.kind === 'publicKey' ? 'public key' : 'Galois keys';
    assertAlive(this.core, this, what);
    const { mode, code } = comprMode(this.core, options);
    try {
      const body = this.key.saveToArray(mode as never) as Uint8Array;
      return header(this.core, KIND[this.kind], code).u32(body.length).bytes(body).finish();
    } catch (e) {
      throw wrap(e, `${what} serialization`);
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

/** The owner's public key. */
export class PublicKeyImpl extends KeyHandle<'publicKey', SealPublicKey> implements HePublicKey {
  constructor(core: Core, key: SealPublicKey) {
    super('publicKey', core, key);
  }
}

/** Galois keys for total sums. */
export class GaloisKeysImpl extends KeyHandle<'galoisKeys', SealGaloisKeys> implements HeGaloisKeys {
  constructor(core: Core, keys: SealGaloisKeys) {
    super('galoisKeys', core, keys);
  }
  /** The SEAL Galois keys. */
  get keys(): SealGaloisKeys {
    return this.key;
  }
}
