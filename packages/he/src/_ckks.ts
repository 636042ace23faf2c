/**
 * CKKS (Cheon–Kim–Kim–Song, ASIACRYPT 2017): approximate real slots at scale 2^40, one rescale per plaintext
 * weighting, decrypted values with a documented error bound. The {@link Scheme} of the `ckks-*` presets.
 * @module
 */
import { InputError } from '@privkit/core';
import type { Core } from './_core.js';
import type { Scheme } from './_scheme.js';
import { ckksErrorBound } from './_bounds.js';
import { CKKS_MAX_LEVEL, CKKS_MAX_WEIGHT, realValue } from './_values.js';
import { HeNoiseError } from './errors.js';

export const ckks: Scheme = Object.freeze({
  id: 'ckks' as const,
  maxLevel: CKKS_MAX_LEVEL,
  readings(arr, n, total, maxAbs) {
    const out = new Float64Array(total);
    const m = Number(maxAbs);
    for (let i = 0; i < n; i++) {
      const v = realValue(arr[i], `readings[${i}]`);
      if (Math.abs(v) > m) {
        throw new InputError(`"readings[${i}]" expected number in -${m}..${m}, got ${v}`, { code: 'INVALID_VALUE' });
      }
      out[i] = v;
    }
    return out;
  },
  encode(core: Core, data, from, plain) {
    core.ckks!.encode((data as Float64Array).subarray(from, from + core.preset.slotCount), core.scale, plain);
  },
  weight(_preset, weight) {
    if (weight === undefined) return { w: undefined, absW: 1n };
    const v = realValue(weight, 'weight');
    if (Math.abs(v) > CKKS_MAX_WEIGHT) {
      throw new InputError(`"weight" expected number in -${CKKS_MAX_WEIGHT}..${CKKS_MAX_WEIGHT}, got ${v}`, {
        code: 'INVALID_VALUE',
      });
    }
    if (v === 0) return undefined;
    return { w: v, absW: BigInt(Math.ceil(Math.abs(v))) };
  },
  levelAfter: (level, weighted) => (weighted ? level + 1 : level),
  encodeWeight(core, w, level, like, plain) {
    core.ckks!.encode(new Float64Array(core.preset.slotCount).fill(w as number), core.scale, plain);
    if (level > 0) {
      const pid = like.parmsId();
      try {
        core.evaluator.plainModSwitchTo(plain, pid, plain);
      } finally {
        pid.delete();
      }
    }
  },
  weigh(core, src, plain, _w, dest) {
    core.evaluator.multiplyPlain(src, plain, dest);
    core.evaluator.rescaleToNext(dest, dest);
  },
  rotationSteps(preset) {
    const steps: number[] = [];
    for (let s = 1; s <= preset.slotCount / 2; s *= 2) steps.push(s);
    return steps;
  },
  rotate(core, src, step, keys, dest) {
    core.evaluator.rotateVector(src, step, keys, dest);
  },
  noiseBudget: () => undefined,
  decrypt(core, decryptor, plain, ct, bound) {
    const { preset } = core;
    const errorBound = ckksErrorBound(preset, ct);
    const values: number[] = [];
    const limit = Number(bound) + errorBound;
    let outside = false;
    for (const p of ct.parts) {
      decryptor.decrypt(p, plain);
      const slots = core.ckks!.decodeFloat64(plain) as Float64Array;
      for (let i = 0; i < slots.length; i++) if (!(Math.abs(slots[i]!) <= limit)) outside = true;
      const take = Math.min(preset.slotCount, ct.length - values.length);
      for (let i = 0; i < take; i++) values.push(slots[i]!);
    }
    plain.setZero();
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
  },
} satisfies Scheme);
