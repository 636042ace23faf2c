/**
 * Device role: validates readings, then encrypts them under the owner's public key (batches of `slotCount`).
 * @module
 */
import { InputError } from '@privkit/core';
import type { SealCipherText, SealEncryptor, SealPlainText } from './_seal.js';
import { assertAlive, freeAll, wrap, type Core } from './_core.js';
import { MAX_BATCHES, readingsArray } from './_values.js';
import { CiphertextImpl } from './_ciphertext.js';
import type { HePresetId } from './presets.js';
import type { HeCiphertext, HeDevice, Readings } from './types.js';

export class DeviceImpl implements HeDevice {
  readonly preset: HePresetId;
  #disposed = false;
  constructor(
    readonly core: Core,
    private readonly encryptor: SealEncryptor,
    private readonly plain: SealPlainText,
  ) {
    this.preset = core.preset.id;
    core.children.add(this);
  }
  get disposed(): boolean {
    return this.#disposed;
  }
  encrypt(readings: Readings): HeCiphertext {
    assertAlive(this.core, this, 'device');
    const { preset, maxAbsReading } = this.core;
    const arr = readingsArray(readings);
    const n = arr.length;
    const batches = Math.ceil(n / preset.slotCount);
    if (n < 1 || batches > MAX_BATCHES) {
      throw new InputError(`"readings" expected 1..${MAX_BATCHES * preset.slotCount} values, got length=${n}`, {
        code: 'INVALID_LENGTH',
      });
    }
    const slots = preset.slotCount;
    // validate everything before touching SEAL
    const data = this.core.scheme.readings(arr, n, batches * slots, maxAbsReading);
    const parts: SealCipherText[] = [];
    try {
      for (let b = 0; b < batches; b++) {
        this.core.scheme.encode(this.core, data, b * slots, this.plain);
        const ct = new this.core.seal.Ciphertext();
        parts.push(ct);
        this.encryptor.encrypt(this.plain, ct);
      }
    } catch (e) {
      freeAll(parts);
      throw wrap(e, 'encryption');
    } finally {
      try {
        this.plain.setZero();
      } catch {
        /* ignore */
      }
    }
    return new CiphertextImpl(this.core, parts, {
      length: n,
      count: 1,
      bound: maxAbsReading,
      noiseWeight: 1n,
      divisor: 1n,
      level: 0,
    });
  }
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.core.children.delete(this);
    freeAll([this.encryptor, this.plain]);
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}
