/**
 * @privkit/core — Node entry, selected by the "node" export condition. Same API as the portable entry; the
 * exports named below are replaced by node:crypto-backed implementations.
 * @module
 */
export * from './index.js';
