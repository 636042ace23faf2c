/// <reference lib="esnext.disposable" />
/**
 * Homomorphic aggregation of device readings on Microsoft SEAL (via node-seal): BFV with batching for exact integer
 * sums, CKKS for approximate real sums. Roles have separate key material: the **owner** generates keys and keeps the
 * secret key, **devices** encrypt with the owner's public key, an untrusted **aggregator** adds ciphertexts (and,
 * given Galois keys, sums across slots), and only the owner decrypts.
 *
 * Schemes: Fan–Vercauteren, "Somewhat Practical Fully Homomorphic Encryption" (ePrint 2012/144) with the batching of
 * Smart–Vercauteren (ePrint 2011/133); Cheon–Kim–Kim–Song, "Homomorphic Encryption for Arithmetic of Approximate
 * Numbers" (ASIACRYPT 2017). Implementation: Microsoft SEAL 4.x compiled to WebAssembly (node-seal).
 * @module
 */
import { InputError, aobject, aoneOf, isBytes, abytes } from '@privkit/core';
import { loadSeal, sealMessage, type SealLibrary } from './_seal.js';
import { KIND, openObject } from './_format.js';
import { validateCtStream, validateGaloisStream } from './_sealstream.js';
import {
  buildCore,
  checkSameParams,
  freeAll,
  galoisElement,
  rotationSteps,
  sameBytes,
  wrap,
  type Core,
} from './_core.js';
import { intValue } from './_values.js';
import { GaloisKeysImpl, PublicKeyImpl } from './_keys.js';
import { loadCiphertext } from './_ciphertext.js';
import { OwnerImpl } from './_owner.js';
import { DeviceImpl } from './_device.js';
import { AggregatorImpl } from './_aggregator.js';
import { HeFormatError, HeParamsError, HeSealError, HeStateError } from './errors.js';
import { presetIds, presets } from './presets.js';
import type {
  AggregationContext,
  AggregationContextOptions,
  HeAggregator,
  HeCiphertext,
  HeDevice,
  HeGaloisKeys,
  HeObject,
  HeOwner,
  HePublicKey,
} from './types.js';
import type { HePreset } from './presets.js';

export type * from './types.js';
/** @internal the context builder, exported for the security-check test only */
export { buildCore as _buildCore } from './_core.js';

/**
 * Creates an aggregation context: loads SEAL's WebAssembly once (shared by every context), builds the preset's
 * parameters and checks their 128-bit security at creation.
 *
 * Spec: HomomorphicEncryption.org Security Standard (2018) Table 1; Microsoft SEAL 4.1 `SEALContext`.
 * @param options - preset (`bfv-4096` default, `bfv-8192`, `ckks-8192`) and `maxAbsReading`
 * @returns the context (async because of the WASM load)
 * @throws {InputError} bad options
 * @throws {HeParamsError} `HE_INSECURE_PARAMS` when the parameters fail the security check
 * @throws {HeSealError} WebAssembly could not be loaded
 * @example
 * ```ts
 * const ctx = await createAggregationContext({ preset: 'bfv-4096', maxAbsReading: 10_000 });
 * const owner = ctx.keygen();
 * const device = ctx.device(owner.publicKey.serialize());
 * const agg = ctx.aggregator();
 * const total = agg.sum([device.encrypt([1, 2, 3]), device.encrypt([4, 5, 6])]);
 * owner.decrypt(total).values; // [5n, 7n, 9n]
 * ```
 */
export async function createAggregationContext(options?: AggregationContextOptions): Promise<AggregationContext> {
  const o = aobject<AggregationContextOptions>(options, 'options');
  const id = o?.preset === undefined ? 'bfv-4096' : aoneOf(o.preset, presetIds, 'preset');
  const preset = presets[id];
  let maxAbsReading = preset.defaultMaxAbsReading;
  if (o?.maxAbsReading !== undefined) {
    maxAbsReading = intValue(o.maxAbsReading, 'maxAbsReading');
    if (maxAbsReading < 1n || maxAbsReading > preset.maxAbsValue) {
      throw new InputError(`"maxAbsReading" expected integer in 1..${preset.maxAbsValue}, got ${maxAbsReading}`, {
        code: 'INVALID_VALUE',
      });
    }
  }
  let seal: SealLibrary;
  try {
    seal = await loadSeal();
  } catch (e) {
    throw new HeSealError('could not load SEAL (WebAssembly)', { cause: e, details: sealMessage(e) });
  }
  return new ContextImpl(buildCore(seal, preset, maxAbsReading));
}

class ContextImpl implements AggregationContext {
  #core: Core;
  constructor(core: Core) {
    this.#core = core;
  }
  get preset(): HePreset {
    return this.#core.preset;
  }
  get slotCount(): number {
    return this.#core.preset.slotCount;
  }
  get maxAbsReading(): bigint {
    return this.#core.maxAbsReading;
  }
  get disposed(): boolean {
    return !this.#core.alive;
  }
  #alive(): Core {
    if (!this.#core.alive) throw new HeStateError('aggregation context was disposed');
    return this.#core;
  }

  keygen(options?: { galoisKeys?: boolean }): HeOwner {
    const core = this.#alive();
    const o = aobject<{ galoisKeys?: boolean }>(options, 'options');
    const wantGalois = o?.galoisKeys === undefined ? false : o.galoisKeys;
    if (typeof wantGalois !== 'boolean') {
      throw new InputError(`"galoisKeys" expected boolean, got type=${typeof wantGalois}`, { code: 'INVALID_TYPE' });
    }
    const { seal, context } = core;
    const made: { delete(): void }[] = [];
    let keygen;
    try {
      keygen = new seal.KeyGenerator(context);
      const sk = keygen.secretKey();
      made.push(sk);
      const pk = keygen.createPublicKey();
      made.push(pk);
      const gk = wantGalois ? keygen.createGaloisKeysWithSteps(Int32Array.from(rotationSteps(core.preset))) : undefined;
      if (gk) made.push(gk);
      const decryptor = new seal.Decryptor(context, sk);
      made.push(decryptor);
      const plain = new seal.Plaintext();
      made.push(plain);
      sk.delete(); // the Decryptor keeps its own copy; SEAL clears secret-key memory on destruction
      const owner = new OwnerImpl(
        core,
        decryptor,
        plain,
        new PublicKeyImpl(core, pk),
        gk ? new GaloisKeysImpl(core, gk) : undefined,
      );
      return owner;
    } catch (e) {
      freeAll(made);
      throw wrap(e, 'key generation');
    } finally {
      freeAll([keygen]);
    }
  }

  device(publicKey: HePublicKey | Uint8Array): HeDevice {
    const core = this.#alive();
    let owned: PublicKeyImpl | undefined;
    let pk: PublicKeyImpl;
    if (isBytes(publicKey)) {
      owned = this.deserialize(publicKey, 'publicKey') as PublicKeyImpl;
      pk = owned;
    } else if (publicKey instanceof PublicKeyImpl) {
      if (publicKey.disposed || !publicKey.core.alive) throw new HeStateError('"publicKey" was disposed');
      checkSameParams(core, publicKey.core, '"publicKey"');
      pk = publicKey;
    } else {
      throw new InputError(`"publicKey" expected HePublicKey or Uint8Array, got type=${typeof publicKey}`, {
        code: 'INVALID_TYPE',
      });
    }
    const made: { delete(): void }[] = [];
    try {
      const encryptor = new core.seal.Encryptor(core.context, pk.key);
      made.push(encryptor);
      const plain = new core.seal.Plaintext();
      made.push(plain);
      return new DeviceImpl(core, encryptor, plain);
    } catch (e) {
      freeAll(made);
      throw wrap(e, 'creating a device encryptor');
    } finally {
      owned?.dispose();
    }
  }

  aggregator(options?: { galoisKeys?: HeGaloisKeys | Uint8Array }): HeAggregator {
    const core = this.#alive();
    const o = aobject<{ galoisKeys?: HeGaloisKeys | Uint8Array }>(options, 'options');
    let gk: GaloisKeysImpl | undefined;
    let owned = false;
    const given = o?.galoisKeys;
    if (given === undefined) gk = undefined;
    else if (isBytes(given)) {
      gk = this.deserialize(given, 'galoisKeys') as GaloisKeysImpl;
      owned = true;
    } else if (given instanceof GaloisKeysImpl) {
      if (given.disposed || !given.core.alive) throw new HeStateError('"galoisKeys" was disposed');
      checkSameParams(core, given.core, '"galoisKeys"');
      gk = given;
    } else {
      throw new InputError(`"galoisKeys" expected HeGaloisKeys or Uint8Array, got type=${typeof given}`, {
        code: 'INVALID_TYPE',
      });
    }
    try {
      if (gk) {
        for (const step of rotationSteps(core.preset)) {
          if (!gk.keys.hasKey(galoisElement(core.preset, step))) {
            throw new HeStateError(`Galois keys lack the key for rotation step ${step}`, {
              code: 'HE_MISSING_GALOIS_KEYS',
            });
          }
        }
      }
    } catch (e) {
      if (owned) gk?.dispose();
      throw wrap(e, 'checking Galois keys');
    }
    return new AggregatorImpl(core, gk, owned);
  }

  deserialize(bytes: Uint8Array): HeObject;
  deserialize(bytes: Uint8Array, kind: 'ciphertext' | 'aggregate'): HeCiphertext;
  deserialize(bytes: Uint8Array, kind: 'publicKey'): HePublicKey;
  deserialize(bytes: Uint8Array, kind: 'galoisKeys'): HeGaloisKeys;
  deserialize(bytes: Uint8Array, kind?: 'ciphertext' | 'aggregate' | 'publicKey' | 'galoisKeys'): HeObject {
    const core = this.#alive();
    abytes(bytes, undefined, 'bytes');
    if (kind !== undefined) aoneOf(kind, ['ciphertext', 'aggregate', 'publicKey', 'galoisKeys'] as const, 'kind');
    const r = openObject(bytes);
    const k = r.u8();
    const presetCode = r.u8();
    const compression = r.u8();
    const fp = r.bytes(32);
    const names = { [KIND.publicKey]: 'publicKey', [KIND.galoisKeys]: 'galoisKeys', [KIND.ciphertext]: 'ciphertext' };
    const name = names[k as 1 | 2 | 3];
    if (name === undefined) throw new HeFormatError(`unknown HE object kind ${k}`);
    if (kind !== undefined && name !== (kind === 'aggregate' ? 'ciphertext' : kind)) {
      throw new HeFormatError(`expected a ${kind}, got a ${name}`);
    }
    if (compression > 2) throw new HeFormatError(`unknown compression code ${compression}`);
    if (presetCode !== core.preset.code || !sameBytes(fp, core.fingerprint)) {
      const other = presetIds.find((p) => presets[p].code === presetCode) ?? `#${presetCode}`;
      throw new HeParamsError(`${name} was made under parameters ${other}, this context uses ${core.preset.id}`);
    }
    if (name === 'ciphertext') return loadCiphertext(core, r, kind !== 'aggregate');
    const len = r.u32();
    const raw = r.bytes(len);
    r.done();
    if (name === 'publicKey') {
      const body = validateCtStream(raw, core.keyShape, 'public key');
      const key = new core.seal.PublicKey();
      try {
        key.loadFromArray(core.context, body);
      } catch (e) {
        key.delete();
        throw wrap(e, 'loading a validated public key');
      }
      return new PublicKeyImpl(core, key);
    }
    const body = validateGaloisStream(raw, core.galoisShape, 'Galois keys');
    const keys = new core.seal.GaloisKeys();
    try {
      keys.loadFromArray(core.context, body);
    } catch (e) {
      keys.delete();
      throw wrap(e, 'loading validated Galois keys');
    }
    return new GaloisKeysImpl(core, keys);
  }

  dispose(): void {
    const core = this.#core;
    if (!core.alive) return;
    for (const child of [...core.children]) child.dispose();
    core.alive = false;
    freeAll([core.batch, core.ckks, core.evaluator, core.context]);
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}
