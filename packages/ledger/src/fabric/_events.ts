/** Names shared by the registry chaincode and its client adapter. */

/** Default private data collection name (must exist in the chaincode definition's collection config). */
export const PRIVATE_COLLECTION = 'privkitPrivate';

/** Event names the chaincode emits (one per transaction). */
export const FABRIC_EVENTS = Object.freeze({
  put: 'PrivkitRecordPut',
  grant: 'PrivkitGrant',
  revoke: 'PrivkitRevoke',
  delete: 'PrivkitDelete',
} as const);
