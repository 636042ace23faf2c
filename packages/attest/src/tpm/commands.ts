/**
 * TPM 2.0 commands (TPM 2.0 Library Part 3), each marshalled per Part 2 and its response parsed strictly: every
 * length is bounded, every count checked against what was asked, and no trailing bytes. Functions take a
 * synchronous transport; sessions are the empty password (TPM_RS_PW) unless a policy session is given.
 * @module
 */
import { concatBytes, u16BE } from '@privkit/core';
import { algToHash, hashFn, hashLen, MAX_DIGEST, Reader, Writer, type TpmHashId } from '../_tpm.js';
import { TpmEncodingError } from '../errors.js';
import { parseTpmtSignature } from '../tpmtSignature.js';
import { MAX_NAME, readSelection, type TpmsPcrSelection } from '../tpmsAttest.js';
import { marshalCommand, parseResponse, PASSWORD_AUTH, TPM_RH, type TpmAuth, type TpmCommand, type TpmResponse } from './_marshal.js';
import type { TpmTransport } from './_transport.js';
import { TpmResponseError } from './errors.js';
import { TPM_RC_INITIALIZE, TPM_RC_RETRYABLE } from './responseCodes.js';

/** Largest TPM2B_PUBLIC / TPM2B_PRIVATE / TPM2B_ATTEST / TPM2B_CREATION_DATA we accept from a TPM. */
const MAX_STRUCT = 1024;
/** Most bytes one TPM2_GetRandom returns (sizeof(TPMU_HA)). */
const MAX_RANDOM_CHUNK = 64;
/** Most list entries we accept in a capability answer. */
const MAX_CAP_ENTRIES = 256;
/** Retries of a command the TPM answers with TPM_RC_RETRY / YIELDED / TESTING. */
const RETRIES = 3;

/** Sends `c` and parses its response; retries a bounded number of times on the retryable warnings. */
export function run(t: TpmTransport, c: TpmCommand, nHandles = 0): TpmResponse {
  const bytes = marshalCommand(c);
  for (let attempt = 0; ; attempt++) {
    try {
      return parseResponse(c, t.transmit(bytes), nHandles);
    } catch (e) {
      if (!(e instanceof TpmResponseError) || !TPM_RC_RETRYABLE.includes(e.rc) || attempt >= RETRIES) throw e;
    }
  }
}

/** TPM2_Startup(TPM_SU_CLEAR) (Part 3 §9.3). Returns false when the TPM was already started (TPM_RC_INITIALIZE). */
export function startup(t: TpmTransport): boolean {
  try {
    run(t, { cc: 'Startup', params: u16BE(0x0000) }).params.end();
    return true;
  } catch (e) {
    if (e instanceof TpmResponseError && e.rc === TPM_RC_INITIALIZE) return false;
    throw e;
  }
}

/** TPM_CAP values this client parses (Part 2 §6.12). */
export const TPM_CAP = Object.freeze({ HANDLES: 0x1, PCRS: 0x5, TPM_PROPERTIES: 0x6 } as const);

/** A parsed TPMS_CAPABILITY_DATA. */
export type TpmCapability =
  | { readonly capability: 'handles'; readonly moreData: boolean; readonly handles: readonly number[] }
  | { readonly capability: 'pcrs'; readonly moreData: boolean; readonly banks: readonly TpmsPcrSelection[] }
  | { readonly capability: 'properties'; readonly moreData: boolean; readonly properties: ReadonlyMap<number, number> };

/** TPM2_GetCapability (Part 3 §30.2) for handles, allocated PCR banks or TPM properties. */
export function getCapability(t: TpmTransport, capability: 'handles' | 'pcrs' | 'properties', property: number, count: number): TpmCapability {
  const cap = capability === 'handles' ? TPM_CAP.HANDLES : capability === 'pcrs' ? TPM_CAP.PCRS : TPM_CAP.TPM_PROPERTIES;
  const p = run(t, { cc: 'GetCapability', params: new Writer().u32(cap).u32(property).u32(count).finish() }).params;
  const more = p.u8('moreData');
  if (more > 1) throw new TpmEncodingError('TPM2_GetCapability: moreData not 0/1');
  if (p.u32('capability') !== cap) throw new TpmEncodingError('TPM2_GetCapability: answered another capability');
  const moreData = more === 1;
  let out: TpmCapability;
  if (cap === TPM_CAP.PCRS) {
    out = { capability: 'pcrs', moreData, banks: Object.freeze(readSelection(p)) };
  } else {
    const n = p.u32('count');
    if (n > MAX_CAP_ENTRIES || n > count) throw new TpmEncodingError(`TPM2_GetCapability: ${n} entries (asked ${count})`);
    if (cap === TPM_CAP.HANDLES) {
      const handles: number[] = [];
      for (let i = 0; i < n; i++) handles.push(p.u32('handle'));
      out = { capability: 'handles', moreData, handles: Object.freeze(handles) };
    } else {
      const properties = new Map<number, number>();
      for (let i = 0; i < n; i++) properties.set(p.u32('property'), p.u32('value'));
      out = { capability: 'properties', moreData, properties };
    }
  }
  p.end();
  return Object.freeze(out);
}

/** TPM2_GetRandom (Part 3 §16.1), repeated until `n` bytes; a TPM answering with no bytes is an error. */
export function getRandom(t: TpmTransport, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let off = 0; off < n; ) {
    const want = Math.min(MAX_RANDOM_CHUNK, n - off);
    const p = run(t, { cc: 'GetRandom', params: u16BE(want) }).params;
    const got = p.tpm2b('randomBytes', want);
    p.end();
    if (got.length === 0) throw new TpmEncodingError('TPM2_GetRandom: empty answer');
    out.set(got, off);
    off += got.length;
  }
  return out;
}

function selectionBytes(hashAlg: number, pcrs: readonly number[]): Uint8Array {
  const bitmap = new Uint8Array(3);
  for (const i of pcrs) bitmap[i >> 3]! |= 1 << (i & 7);
  return new Writer().u32(1).u16(hashAlg).u8(3).bytes(bitmap).finish();
}

/**
 * TPM2_PCR_Read (Part 3 §22.4) of `pcrs` in one bank, repeated while the TPM returns fewer PCRs than asked (it
 * returns at most 8 per call); restarted (boundedly) when pcrUpdateCounter changes between calls, so the values are
 * one consistent snapshot. The answer's selection must be a subset of what is still missing, in the asked bank,
 * with one digest of the bank's length per selected PCR.
 */
export function pcrRead(t: TpmTransport, bank: TpmHashId, hashAlg: number, pcrs: readonly number[]): Map<number, Uint8Array> {
  const len = hashLen(bank);
  for (let attempt = 0; attempt < 4; attempt++) {
    const values = new Map<number, Uint8Array>();
    let counter: number | undefined;
    let consistent = true;
    while (values.size < new Set(pcrs).size) {
      const missing = [...new Set(pcrs)].filter((i) => !values.has(i));
      const p = run(t, { cc: 'PCR_Read', params: selectionBytes(hashAlg, missing) }).params;
      const c = p.u32('pcrUpdateCounter');
      const sel = readSelection(p);
      const n = p.u32('pcrValues.count');
      if (n > 8) throw new TpmEncodingError(`TPM2_PCR_Read: ${n} digests (at most 8)`);
      const digests: Uint8Array[] = [];
      for (let k = 0; k < n; k++) digests.push(p.tpm2b('pcrValues.digest', MAX_DIGEST));
      p.end();
      const got = sel.flatMap((s) => (s.hashAlg === hashAlg ? s.pcrs : []));
      if (sel.some((s) => s.hashAlg !== hashAlg && s.pcrs.length > 0)) throw new TpmEncodingError('TPM2_PCR_Read: answered another bank');
      if (got.length === 0) throw new TpmEncodingError(`TPM2_PCR_Read: the TPM returned no ${bank} PCRs (bank not allocated?)`, { code: 'TPM_UNSUPPORTED_ALG' });
      if (got.length !== n || got.some((i) => !missing.includes(i))) throw new TpmEncodingError('TPM2_PCR_Read: answer does not match the selection');
      if (digests.some((d) => d.length !== len)) throw new TpmEncodingError(`TPM2_PCR_Read: digest length is not ${len}`);
      if (counter !== undefined && c !== counter) consistent = false;
      counter = c;
      got.forEach((i, k) => values.set(i, digests[k]!));
    }
    if (consistent) return values;
  }
  throw new TpmEncodingError('TPM2_PCR_Read: PCRs kept changing while being read');
}

/** TPM2_PCR_Extend (Part 3 §22.2) of one digest into one bank of PCR `index` (empty password). */
export function pcrExtend(t: TpmTransport, index: number, hashAlg: number, digest: Uint8Array): void {
  const params = new Writer().u32(1).u16(hashAlg).bytes(digest).finish();
  run(t, { cc: 'PCR_Extend', handles: [index], auths: [PASSWORD_AUTH], params }).params.end();
}

/** A loaded object: its transient handle, TPMT_PUBLIC and name. */
export interface TpmObject {
  readonly handle: number;
  /** TPMT_PUBLIC as returned by the TPM. */
  readonly publicArea: Uint8Array;
  /** nameAlg ‖ H(TPMT_PUBLIC), checked against the TPM's answer. */
  readonly name: Uint8Array;
}

const EMPTY_SENSITIVE = Uint8Array.of(0, 4, 0, 0, 0, 0); // TPM2B_SENSITIVE_CREATE: empty userAuth and data
const NO_CREATION_PCRS = Uint8Array.of(0, 0, 0, 0); // TPML_PCR_SELECTION count 0

/** name = nameAlg ‖ H_nameAlg(TPMT_PUBLIC); throws when the TPM's name disagrees. */
export function checkedName(publicArea: Uint8Array, tpmName: Uint8Array | undefined, what: string): Uint8Array {
  if (publicArea.length < 4) throw new TpmEncodingError(`${what}: TPMT_PUBLIC too short`);
  const nameAlg = (publicArea[2]! << 8) | publicArea[3]!;
  const h = algToHash(nameAlg);
  if (h === undefined) throw new TpmEncodingError(`${what}: unsupported nameAlg`, { code: 'TPM_UNSUPPORTED_ALG' });
  const name = concatBytes(u16BE(nameAlg), hashFn(h)(publicArea));
  if (tpmName !== undefined && !equal(tpmName, name)) throw new TpmEncodingError(`${what}: the TPM's name does not match the public area`);
  return name;
}
function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function readCreationTail(p: Reader): void {
  p.tpm2b('creationData', MAX_STRUCT);
  p.tpm2b('creationHash', MAX_DIGEST);
  p.u16('creationTicket.tag');
  p.u32('creationTicket.hierarchy');
  p.tpm2b('creationTicket.digest', MAX_DIGEST);
}

/** TPM2_CreatePrimary (Part 3 §24.1) in `hierarchy` from a TPMT_PUBLIC template (empty hierarchy password). */
export function createPrimary(t: TpmTransport, hierarchy: number, template: Uint8Array): TpmObject {
  const params = new Writer().bytes(EMPTY_SENSITIVE).tpm2b(template).tpm2b(new Uint8Array(0)).bytes(NO_CREATION_PCRS).finish();
  const r = run(t, { cc: 'CreatePrimary', handles: [hierarchy], auths: [PASSWORD_AUTH], params }, 1);
  const p = r.params;
  const publicArea = p.tpm2b('outPublic', MAX_STRUCT);
  readCreationTail(p);
  const name = p.tpm2b('name', MAX_NAME);
  p.end();
  return Object.freeze({ handle: r.handles[0]!, publicArea, name: checkedName(publicArea, name, 'TPM2_CreatePrimary') });
}

/** TPM2_Create (Part 3 §12.1) under `parent`: returns the TPM2B_PRIVATE contents and the TPMT_PUBLIC. */
export function create(t: TpmTransport, parent: number, template: Uint8Array, parentAuth: TpmAuth = PASSWORD_AUTH): { priv: Uint8Array; publicArea: Uint8Array } {
  const params = new Writer().bytes(EMPTY_SENSITIVE).tpm2b(template).tpm2b(new Uint8Array(0)).bytes(NO_CREATION_PCRS).finish();
  const p = run(t, { cc: 'Create', handles: [parent], auths: [parentAuth], params }).params;
  const priv = p.tpm2b('outPrivate', MAX_STRUCT);
  const publicArea = p.tpm2b('outPublic', MAX_STRUCT);
  readCreationTail(p);
  p.end();
  return { priv, publicArea };
}

/** TPM2_Load (Part 3 §12.2) of a key created under `parent`. */
export function load(t: TpmTransport, parent: number, priv: Uint8Array, publicArea: Uint8Array, parentAuth: TpmAuth = PASSWORD_AUTH): TpmObject {
  const params = new Writer().tpm2b(priv).tpm2b(publicArea).finish();
  const r = run(t, { cc: 'Load', handles: [parent], auths: [parentAuth], params }, 1);
  const name = r.params.tpm2b('name', MAX_NAME);
  r.params.end();
  return Object.freeze({ handle: r.handles[0]!, publicArea: Uint8Array.from(publicArea), name: checkedName(publicArea, name, 'TPM2_Load') });
}

/** TPM2_ReadPublic (Part 3 §12.4): TPMT_PUBLIC, name (checked) and qualified name. */
export function readPublic(t: TpmTransport, handle: number): TpmObject & { readonly qualifiedName: Uint8Array } {
  const p = run(t, { cc: 'ReadPublic', handles: [handle] }).params;
  const publicArea = p.tpm2b('outPublic', MAX_STRUCT);
  const name = p.tpm2b('name', MAX_NAME);
  const qualifiedName = p.tpm2b('qualifiedName', MAX_NAME);
  p.end();
  return Object.freeze({ handle, publicArea, name: checkedName(publicArea, name, 'TPM2_ReadPublic'), qualifiedName });
}

/**
 * TPM2_Quote (Part 3 §18.4) with the key's own scheme (inScheme = TPM_ALG_NULL) over `pcrs` of one bank. The
 * TPMT_SIGNATURE is parsed (so a malformed one is rejected here) and returned as received.
 */
export function quote(t: TpmTransport, key: number, qualifyingData: Uint8Array, hashAlg: number, pcrs: readonly number[]): { attest: Uint8Array; signature: Uint8Array } {
  const params = new Writer().tpm2b(qualifyingData).u16(0x0010).bytes(selectionBytes(hashAlg, pcrs)).finish();
  const p = run(t, { cc: 'Quote', handles: [key], auths: [PASSWORD_AUTH], params }).params;
  const attest = p.tpm2b('quoted', MAX_STRUCT);
  const signature = p.bytes(p.remaining, 'signature');
  parseTpmtSignature(signature);
  return { attest, signature };
}

/** TPM2_FlushContext (Part 3 §28.4): the handle is a parameter, not a handle-area entry. */
export function flushContext(t: TpmTransport, handle: number): void {
  run(t, { cc: 'FlushContext', params: new Writer().u32(handle).finish() }).params.end();
}

/** TPM2_EvictControl (Part 3 §28.5) by the owner: persists `object` at `persistent`, or evicts a persistent one. */
export function evictControl(t: TpmTransport, object: number, persistent: number): void {
  const r = run(t, { cc: 'EvictControl', handles: [TPM_RH.OWNER, object], auths: [PASSWORD_AUTH], params: new Writer().u32(persistent).finish() });
  r.params.end();
}

/** A parsed TPMS_NV_PUBLIC. */
export interface TpmNvPublic {
  readonly index: number;
  readonly nameAlg: number;
  readonly attributes: number;
  readonly authPolicy: Uint8Array;
  readonly dataSize: number;
  readonly name: Uint8Array;
}

/** TPM2_NV_ReadPublic (Part 3 §31.6); the NV index in the answer must be the one asked, the name must match. */
export function nvReadPublic(t: TpmTransport, index: number): TpmNvPublic {
  const p = run(t, { cc: 'NV_ReadPublic', handles: [index] }).params;
  const nvPublic = p.tpm2b('nvPublic', 2 + 4 + 2 + 4 + 2 + MAX_DIGEST + 2);
  const name = p.tpm2b('nvName', MAX_NAME);
  p.end();
  const r = new Reader(nvPublic, 'TPMS_NV_PUBLIC');
  const got = r.u32('nvIndex');
  const nameAlg = r.u16('nameAlg');
  const attributes = r.u32('attributes');
  const authPolicy = r.tpm2b('authPolicy', MAX_DIGEST);
  const dataSize = r.u16('dataSize');
  r.end();
  if (got !== index) throw new TpmEncodingError('TPM2_NV_ReadPublic: answered another index');
  const h = algToHash(nameAlg);
  if (h === undefined) throw new TpmEncodingError('TPM2_NV_ReadPublic: unsupported nameAlg', { code: 'TPM_UNSUPPORTED_ALG' });
  if (!equal(name, concatBytes(u16BE(nameAlg), hashFn(h)(nvPublic)))) throw new TpmEncodingError('TPM2_NV_ReadPublic: the TPM name does not match');
  return Object.freeze({ index, nameAlg, attributes, authPolicy, dataSize, name });
}

/** TPM2_NV_Read (Part 3 §31.13) of `size` bytes in chunks of ≤ `chunk`, authorised by `authHandle` (empty password). */
export function nvRead(t: TpmTransport, authHandle: number, index: number, size: number, chunk = 512): Uint8Array {
  const out = new Uint8Array(size);
  for (let off = 0; off < size; ) {
    const want = Math.min(chunk, size - off);
    const p = run(t, { cc: 'NV_Read', handles: [authHandle, index], auths: [PASSWORD_AUTH], params: new Writer().u16(want).u16(off).finish() }).params;
    const data = p.tpm2b('data', want);
    p.end();
    if (data.length !== want) throw new TpmEncodingError('TPM2_NV_Read: short answer');
    out.set(data, off);
    off += want;
  }
  return out;
}

/** TPM2_StartAuthSession (Part 3 §11.1): an unbound, unsalted policy session with SHA-256, no parameter encryption. */
export function startPolicySession(t: TpmTransport, nonceCaller: Uint8Array): number {
  const params = new Writer().tpm2b(nonceCaller).tpm2b(new Uint8Array(0)).u8(0x01).u16(0x0010).u16(0x000b).finish();
  const r = run(t, { cc: 'StartAuthSession', handles: [TPM_RH.NULL, TPM_RH.NULL], params }, 1);
  r.params.tpm2b('nonceTPM', MAX_DIGEST);
  r.params.end();
  const h = r.handles[0]!;
  if (h >>> 24 !== 0x03) throw new TpmEncodingError('TPM2_StartAuthSession: not a policy session handle');
  return h;
}

/** TPM2_PolicySecret (Part 3 §23.4) with `authHandle`'s empty password, no expiration, no cpHash/policyRef. */
export function policySecret(t: TpmTransport, authHandle: number, session: number): void {
  const params = new Writer().tpm2b(new Uint8Array(0)).tpm2b(new Uint8Array(0)).tpm2b(new Uint8Array(0)).u32(0).finish();
  const p = run(t, { cc: 'PolicySecret', handles: [authHandle, session], auths: [PASSWORD_AUTH], params }).params;
  p.tpm2b('timeout', MAX_DIGEST);
  p.u16('policyTicket.tag');
  p.u32('policyTicket.hierarchy');
  p.tpm2b('policyTicket.digest', MAX_DIGEST);
  p.end();
}

/**
 * TPM2_ActivateCredential (Part 3 §12.5): `activate` (the AK, ADMIN role, empty password) and `key` (the EK, USER
 * role, authorised by `keyAuth`, e.g. a policy session that ran PolicySecret(TPM_RH_ENDORSEMENT)).
 */
export function activateCredential(t: TpmTransport, activate: number, key: number, keyAuth: TpmAuth, credentialBlob: Uint8Array, secret: Uint8Array): Uint8Array {
  const params = new Writer().tpm2b(credentialBlob).tpm2b(secret).finish();
  const p = run(t, { cc: 'ActivateCredential', handles: [activate, key], auths: [PASSWORD_AUTH, keyAuth], params }).params;
  const certInfo = p.tpm2b('certInfo', MAX_DIGEST);
  p.end();
  return certInfo;
}

export type { TpmAuth } from './_marshal.js';
