/**
 * @privkit/core — portable entry (browsers, Deno, Bun, and Node when the "node" condition is not used).
 * @module
 */
export * from './errors.js';
export * from './validate.js';
export * from './bytes.js';
