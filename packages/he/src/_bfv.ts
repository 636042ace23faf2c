/**
 * BFV (Fan–Vercauteren, ePrint 2012/144) with batching (Smart–Vercauteren, ePrint 2011/133): exact integer slots in
 * the centered representation of Z_t. The {@link Scheme} of the `bfv-*` presets.
 * @module
 */
import { InputError } from '@privkit/core';
import type { Core } from './_core.js';
import type { Scheme } from './_scheme.js';
import { abs, intValue } from './_values.js';
import { HeNoiseError, HeOverflowError } from './errors.js';

export const bfv: Scheme = Object.freeze({
  id: 'bfv' as const,
  maxLevel: 0,
  readings(arr, n, total, maxAbs) {
    const out = new BigInt64Array(total);
    for (let i = 0; i < n; i++) {
      const v = intValue(arr[i], `readings[${i}]`);
      if (abs(v) > maxAbs) {
        throw new InputError(`"readings[${i}]" expected integer in -${maxAbs}..${maxAbs}, got ${v}`, {
          code: 'INVALID_VALUE',
        });
      }
      out[i] = v;
    }
    return out;
  },
  encode(core: Core, data, from, plain) {
    core.batch!.encode((data as BigInt64Array).subarray(from, from + core.preset.slotCount), plain);
  },
  weight(preset, weight) {
    if (weight === undefined) return { w: undefined, absW: 1n };
    const v = intValue(weight, 'weight');
    if (abs(v) > preset.maxAbsValue) {
      throw new InputError(`"weight" expected integer in -${preset.maxAbsValue}..${preset.maxAbsValue}, got ${v}`, {
        code: 'INVALID_VALUE',
      });
    }
    if (v === 0n) return undefined;
    return { w: v === 1n ? undefined : v, absW: abs(v) };
  },
  levelAfter: (level) => level,
  encodeWeight(core, w, _level, _like, plain) {
    core.batch!.encode(new BigInt64Array(core.preset.slotCount).fill(abs(w as bigint)), plain);
  },
  weigh(core, src, plain, w, dest) {
    core.evaluator.multiplyPlain(src, plain, dest);
    // multiply by |w| and negate — multiplying by the residue t − |w| would cost ~log2(t) bits of noise
    if ((w as bigint) < 0n) core.evaluator.negate(dest, dest);
  },
  rotationSteps(preset) {
    const steps: number[] = [];
    for (let s = 1; s <= preset.polyModulusDegree / 4; s *= 2) steps.push(s);
    steps.push(0); // column swap
    return steps;
  },
  rotate(core, src, step, keys, dest) {
    if (step === 0) core.evaluator.rotateColumns(src, keys, dest);
    else core.evaluator.rotateRows(src, step, keys, dest);
  },
  noiseBudget(decryptor, parts) {
    return Math.min(...parts.map((p) => decryptor.invariantNoiseBudget(p)));
  },
  decrypt(core, decryptor, plain, ct, bound) {
    const { batch, preset } = core;
    const budget = Math.min(...ct.parts.map((p) => decryptor.invariantNoiseBudget(p)));
    if (!(budget > 0)) {
      throw new HeNoiseError('noise budget exhausted (or not encrypted under this key): refusing to decrypt');
    }
    // every slot of every batch — padding included — must lie within the bound: a device hiding values in padding
    // slots, or any out-of-range contribution large enough to push a slot past the aggregate bound, is refused
    const values: bigint[] = [];
    let outside = false;
    for (const p of ct.parts) {
      decryptor.decrypt(p, plain);
      const slots = batch!.decodeBigInt64(plain) as BigInt64Array;
      for (let i = 0; i < slots.length; i++) if (abs(slots[i]!) > bound) outside = true;
      const take = Math.min(preset.slotCount, ct.length - values.length);
      for (let i = 0; i < take; i++) values.push(slots[i]!);
      slots.fill(0n);
    }
    plain.setZero();
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
  },
} satisfies Scheme);
