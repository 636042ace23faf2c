/** Names shared by the registry chaincode and its client adapter. */

/** Name of the optional explicit collection (`collections_config.json`); by default data parts live in implicit collections. */
export const PRIVATE_COLLECTION = 'privkitPrivate';

/** Event names the chaincode emits (one per transaction). */
export const FABRIC_EVENTS = Object.freeze({
  put: 'PrivkitRecordPut',
  grant: 'PrivkitGrant',
  revoke: 'PrivkitRevoke',
  delete: 'PrivkitDelete',
} as const);

/** Prefix of Fabric's implicit per-organisation collections (`_implicit_org_<MSP id>`), where data parts live. */
export const IMPLICIT_COLLECTION_PREFIX = '_implicit_org_';
