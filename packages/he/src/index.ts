/**
 * `@privkit/he` — homomorphic aggregation of device readings on Microsoft SEAL (node-seal): BFV with batching for
 * exact integer sums, CKKS for approximate real sums; owner / device / aggregator roles with separate key material;
 * overflow and noise accounting; versioned, compressed serialization. See README.md and FORMAT.md.
 * @module
 */
export {
  createAggregationContext,
  type AggregationContext,
  type AggregationContextOptions,
  type BfvAggregate,
  type CkksAggregate,
  type HeAccumulator,
  type HeAggregate,
  type HeAggregator,
  type HeCiphertext,
  type HeCompression,
  type HeDevice,
  type HeGaloisKeys,
  type HeObject,
  type HeOwner,
  type HePublicKey,
  type Readings,
  type SerializeOptions,
  type DecryptOptions,
} from './aggregation.js';
export { presets, presetIds, type HePreset, type HePresetId } from './presets.js';
export {
  HeFormatError,
  HeNoiseError,
  HeOverflowError,
  HeParamsError,
  HeSealError,
  HeStateError,
  type HeErrorCode,
  type HeErrorOptions,
} from './errors.js';
