/**
 * @privkit/storage — content-addressed storage for PrivKit's encrypted blocks behind one small interface
 * ({@link ContentStore}): an embedded IPFS node (Helia), a Kubo node over its RPC API, or a local directory. Every back
 * end returns the CID PrivKit computes itself (the one IPFS gives the same bytes) and re-checks every byte it returns
 * against the CID asked for.
 * @module
 */
export { StorageError, StorageFormatError, type StorageErrorCode, type StorageFormatErrorCode } from './errors.js';
export { DEFAULT_MAX_BYTES, type ContentStore, type GetOptions, type PutOptions } from './_store.js';
export { createDirectoryStorage, type DirectoryStorageOptions } from './directory.js';
export { createIpfsStorage, isLoopbackMultiaddr, type IpfsNetworkOptions, type IpfsStorageOptions, type IpfsStore } from './ipfs.js';
export { createKuboStorage, type KuboStorageOptions } from './kubo.js';
