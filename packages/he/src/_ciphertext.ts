/**
 * Ciphertext handles: the SEAL ciphertexts of each batch plus the public metadata used for bound and noise
 * accounting; their serialization, and loading from untrusted bytes (device uploads vs aggregates, FORMAT.md).
 * @module
 */
import { InputError } from '@privkit/core';
import type { SealCipherText } from './_seal.js';
import { KIND, type Reader } from './_format.js';
import type { CtMeta } from './_bounds.js';
import { validateCtStream } from './_sealstream.js';
import { MAX_BATCHES } from './_values.js';
import { assertAlive, checkSameParams, comprMode, freeAll, header, wrap, type Core } from './_core.js';
import { HeFormatError, HeStateError } from './errors.js';
import type { HePresetId } from './presets.js';
import type { HeCiphertext, SerializeOptions } from './types.js';

export class CiphertextImpl implements HeCiphertext {
  readonly kind = 'ciphertext' as const;
  readonly preset: HePresetId;
  readonly length: number;
  readonly count: number;
  readonly bound: bigint;
  readonly noiseWeight: bigint;
  readonly divisor: bigint;
  readonly level: number;
  #disposed = false;
  constructor(
    readonly core: Core,
    readonly parts: SealCipherText[],
    meta: CtMeta,
  ) {
    this.preset = core.preset.id;
    this.length = meta.length;
    this.count = meta.count;
    this.bound = meta.bound;
    this.noiseWeight = meta.noiseWeight;
    this.divisor = meta.divisor;
    this.level = meta.level;
    core.children.add(this);
  }
  get batches(): number {
    return this.parts.length;
  }
  get disposed(): boolean {
    return this.#disposed;
  }
  serialize(options?: SerializeOptions): Uint8Array {
    assertAlive(this.core, this, 'ciphertext');
    const { mode, code } = comprMode(this.core, options);
    try {
      const w = header(this.core, KIND.ciphertext, code)
        .u32(this.length)
        .u16(this.parts.length)
        .u8(this.level)
        .u8(0)
        .u32(this.count)
        .big(this.bound)
        .big(this.noiseWeight)
        .big(this.divisor);
      for (const p of this.parts) {
        const body = p.saveToArray(mode) as Uint8Array;
        w.u32(body.length).bytes(body);
      }
      return w.finish();
    } catch (e) {
      throw wrap(e, 'ciphertext serialization');
    }
  }
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.core.children.delete(this);
    freeAll(this.parts);
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}

export function asCiphertext(core: Core, ct: unknown, title: string): CiphertextImpl {
  if (!(ct instanceof CiphertextImpl)) {
    throw new InputError(`"${title}" expected HeCiphertext, got type=${ct === null ? 'null' : typeof ct}`, {
      code: 'INVALID_TYPE',
    });
  }
  if (ct.disposed) throw new HeStateError(`"${title}" was disposed`);
  if (!ct.core.alive) throw new HeStateError(`"${title}": its aggregation context was disposed`);
  checkSameParams(core, ct.core, `"${title}"`);
  return ct;
}

/**
 * Reads a ciphertext body. An `upload` (a device's fresh ciphertext) keeps only its length: count, bound, noise weight,
 * divisor and level are reset to what this context allows for one fresh encryption (1, maxAbsReading, 1, 1, 0), so a
 * device cannot declare itself 9,901 devices or relabel a wider range. An `aggregate` (from the aggregator, for the
 * owner) keeps its declared metadata after range checks; the owner checks its values against a bound it computes
 * itself ({@link HeOwner.decrypt}). Every SEAL stream is validated in TypeScript first (`_sealstream.ts`): SEAL only
 * ever loads canonical uncompressed streams that cannot make it throw.
 */
export function loadCiphertext(core: Core, r: Reader, upload: boolean): CiphertextImpl {
  const { preset } = core;
  const length = r.u32();
  const batches = r.u16();
  let level = r.u8();
  const reserved = r.u8();
  let count = r.u32();
  let bound = r.big();
  let noiseWeight = r.big();
  let divisor = r.big();
  const maxLevel = core.scheme.maxLevel;
  if (
    reserved !== 0 ||
    length < 1 ||
    batches < 1 ||
    batches > MAX_BATCHES ||
    (batches !== Math.ceil(length / preset.slotCount) && (upload || length !== 1)) ||
    level > maxLevel ||
    count < 1 ||
    divisor < 1n ||
    (divisor !== 1n && divisor !== BigInt(count)) ||
    noiseWeight < 1n ||
    noiseWeight > 2n ** BigInt(preset.noiseLimitBits) ||
    bound > preset.maxAbsValue ||
    (upload && level !== 0)
  ) {
    throw new HeFormatError('invalid ciphertext metadata');
  }
  if (upload) {
    count = 1;
    bound = core.maxAbsReading;
    noiseWeight = 1n;
    divisor = 1n;
    level = 0;
  }
  const shape = core.ctShapes[level]!;
  const streams: Uint8Array[] = [];
  for (let i = 0; i < batches; i++) streams.push(validateCtStream(r.bytes(r.u32()), shape, `ciphertext batch ${i}`));
  r.done();
  const parts: SealCipherText[] = [];
  try {
    for (const body of streams) {
      const ct = new core.seal.Ciphertext();
      parts.push(ct);
      ct.loadFromArray(core.context, body);
    }
  } catch (e) {
    freeAll(parts);
    throw wrap(e, 'loading a validated ciphertext');
  }
  return new CiphertextImpl(core, parts, { length, count, bound, noiseWeight, divisor, level });
}
