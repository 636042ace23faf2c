/**
 * `openTpm`: a TPM 2.0 client over swtpm / the MS simulator (TCP) or the kernel (`/dev/tpmrm0`), with TPM-resident
 * attestation keys that have the software key's interface, so `quote()`, `createAttestedUpload()` and the ledger's
 * submitter proofs run unchanged with a key that never leaves the TPM.
 * @module
 */
import { abytes, anumber, aobject, aoneOf, astring, InputError, UnsupportedError } from '@privkit/core';
import { hashFn, hashLen, hashToAlg, MAX_DIGEST, Writer } from '../_tpm.js';
import { parseTpmtPublic, spkiPem, type AkPublicKey } from '../akPublic.js';
import type { AttestationKey, QuoteRequest, TpmAttestationKeyAlg } from '../attestationKey.js';
import { PcrError } from '../errors.js';
import { checkSelection, PCR_BANK_ALGS, type PcrBank, type PcrBankAlg, type PcrEvent, type PcrEventInfo, type PcrValues } from '../pcr.js';
import * as cmd from './commands.js';
import { openDeviceTransport } from './deviceTransport.js';
import { TPM_RH } from './_marshal.js';
import { openTcpTransport } from './tcpTransport.js';
import type { TpmTransport } from './_transport.js';
import { akTemplate, EK_CERT_NV, ekTemplate, srkTemplate, type TpmKeyAlg } from './templates.js';

/** Where the TPM is. */
export type TpmTransportSpec =
  | {
      /** swtpm's TCP server (`swtpm socket --server type=tcp,port=P --ctrl type=tcp,port=P+1`). */
      kind: 'swtpm';
      host: string;
      port: number;
      /** Send CMD_INIT on the control port (port + 1) first — for swtpm started without `--flags not-need-init`. */
      powerOn?: boolean;
      /** Per-command timeout (default 60 000 ms; RSA key generation on hardware TPMs can take many seconds). */
      timeoutMs?: number;
    }
  | {
      /** The Microsoft / IBM TPM 2.0 simulator: powered on and NV-enabled through the platform port (port + 1). */
      kind: 'mssim';
      host: string;
      port: number;
      timeoutMs?: number;
    }
  | {
      /** A kernel TPM device, normally `/dev/tpmrm0` (the kernel resource manager). */
      kind: 'device';
      path: string;
    };

/** Options of {@link openTpm}. */
export interface OpenTpmOptions {
  /** Send TPM2_Startup(CLEAR) (default true; TPM_RC_INITIALIZE — already started — is not an error). */
  startup?: boolean;
}

/** A TPM object the client created or opened (EK, SRK): handle, TPM2B_PUBLIC, name, public key PEM. */
export interface TpmKeyObject {
  readonly handle: number;
  /** TPM2B_PUBLIC: UINT16 size ‖ TPMT_PUBLIC. */
  readonly publicArea: Uint8Array;
  /** nameAlg ‖ H(TPMT_PUBLIC). */
  readonly name: Uint8Array;
  /** SubjectPublicKeyInfo PEM of the public key. */
  readonly publicKeyPem: string;
}

/** A TPM-resident attestation key: the software key's interface plus its TPM handle and public area. */
export interface TpmAttestationKey extends AttestationKey, TpmKeyObject {
  readonly alg: TpmAttestationKeyAlg;
  /** The qualified name (what TPM2_Quote writes as qualifiedSigner). */
  readonly qualifiedName: Uint8Array;
}

/** Input of {@link TpmClient.quote}. */
export interface TpmQuoteInput {
  key: TpmAttestationKey;
  bank: PcrBankAlg;
  selection: readonly number[];
  /** qualifyingData (1..64 bytes): the verifier's nonce. */
  nonce: Uint8Array;
}

/** Input of {@link TpmClient.activateCredential}. */
export interface ActivateCredentialInput {
  /** The AK the credential is bound to (by name). */
  key: TpmKeyObject;
  /** The EK (created by `createEk`). */
  ek: TpmKeyObject;
  /** TPM2B_ID_OBJECT contents (from `makeCredential` or `tpm2_makecredential`). */
  credentialBlob: Uint8Array;
  /** TPM2B_ENCRYPTED_SECRET contents. */
  secret: Uint8Array;
}

/** The TPM client. Every method is synchronous and bounded; TPM errors throw `TpmResponseError`. */
export interface TpmClient {
  /** Flushes the transient objects this client created (not persisted ones) and closes the transport. */
  close(): void;
  /** TPM2_GetRandom, repeated until `n` bytes (1..65536). */
  getRandom(n: number): Uint8Array;
  /** TPM2_PCR_Read: the values of `indexes` in one bank, in the order given. */
  pcrRead(bank: PcrBankAlg, indexes: readonly number[]): Uint8Array[];
  /** TPM2_PCR_Extend of one digest of the bank's hash into PCR `index`. */
  pcrExtend(index: number, bank: PcrBankAlg, digest: Uint8Array): void;
  /** A {@link PcrBank} backed by the TPM's bank (reads and extends go to the TPM) — for `quote()` and the upload. */
  pcrBank(bank: PcrBankAlg): PcrBank;
  /** TPM2_GetCapability: allocated banks, handles in a range, or TPM properties. */
  getCapability(capability: 'handles' | 'pcrs' | 'properties', property: number, count: number): cmd.TpmCapability;
  /** TPM2_CreatePrimary of the EK from the TCG EK Credential Profile template L-1 (`rsa`) or L-2 (`ecc`). */
  createEk(options?: { alg?: TpmKeyAlg }): TpmKeyObject;
  /** The SRK (ECC P-256, TCG Provisioning Guidance template), created once per client. */
  srk(): TpmKeyObject;
  /** TPM2_Create + TPM2_Load of a restricted signing AK under the SRK: ECDSA P-256 (default) or RSASSA 2048. */
  createAttestationKey(options?: { alg?: 'ecdsa-p256' | 'rsassa-2048' }): TpmAttestationKey;
  /** An attestation key already in the TPM (e.g. persisted), by handle (TPM2_ReadPublic). */
  openAttestationKey(handle: number): TpmAttestationKey;
  /** TPM2_Quote with the key's scheme: `{attest, signature}` (TPMS_ATTEST, TPMT_SIGNATURE). */
  quote(input: TpmQuoteInput): { attest: Uint8Array; signature: Uint8Array };
  /** TPM2_ReadPublic. */
  readPublic(handle: number): TpmKeyObject & { readonly qualifiedName: Uint8Array };
  /** TPM2_FlushContext. */
  flush(handle: number): void;
  /** TPM2_EvictControl by the owner: persists a transient object at `persistentHandle` (0x81000000..0x81ffffff). */
  persist(object: TpmKeyObject, persistentHandle: number): void;
  /** TPM2_EvictControl by the owner: removes a persistent object. */
  evict(persistentHandle: number): void;
  /** TPM2_NV_ReadPublic. */
  nvReadPublic(index: number): cmd.TpmNvPublic;
  /** TPM2_NV_Read of a whole NV index (authorised by the index itself, empty password). */
  nvRead(index: number): Uint8Array;
  /** The EK certificate (DER) from its TCG NV index, or `undefined` when the TPM has none. */
  readEkCertificate(alg?: TpmKeyAlg): Uint8Array | undefined;
  /**
   * TPM2_ActivateCredential: recovers the credential a verifier made for (EK, AK name), authorising the EK with a
   * policy session that runs TPM2_PolicySecret(TPM_RH_ENDORSEMENT) (the EK's policy).
   */
  activateCredential(input: ActivateCredentialInput): Uint8Array;
}

function tpm2b(tpmt: Uint8Array): Uint8Array {
  return new Writer().tpm2b(tpmt).finish();
}

function keyObject(o: cmd.TpmObject): TpmKeyObject & { readonly parsed: AkPublicKey } {
  const parsed = parseTpmtPublic(o.publicArea);
  return { handle: o.handle, publicArea: tpm2b(o.publicArea), name: o.name, publicKeyPem: spkiPem(parsed), parsed };
}

function checkHandle(h: unknown, title: string): number {
  return anumber(h, title, 0, 0xffffffff);
}

/**
 * Opens a TPM: `{ kind: 'swtpm', host, port }`, `{ kind: 'mssim', host, port }` or `{ kind: 'device', path }`, then
 * runs TPM2_Startup(CLEAR) (an already started TPM is fine).
 * @param transport - where the TPM is
 * @param options - `{ startup? }`
 * @returns a {@link TpmClient}
 * @throws {InputError} on bad arguments; {TpmTransportError} when the TPM cannot be reached; {TpmResponseError}
 * @example
 * ```ts
 * const tpm = openTpm({ kind: 'device', path: '/dev/tpmrm0' });
 * const ak = tpm.createAttestationKey({ alg: 'ecdsa-p256' });
 * const q = quote({ bank: tpm.pcrBank('sha256'), selection: [0, 7], nonce, key: ak });
 * tpm.close();
 * ```
 */
export function openTpm(transport: TpmTransportSpec, options?: OpenTpmOptions): TpmClient {
  const spec = aobject<TpmTransportSpec>(transport, 'transport', false)!;
  const opts = aobject<OpenTpmOptions>(options, 'options') ?? {};
  aoneOf(spec.kind, ['swtpm', 'mssim', 'device'] as const, 'transport.kind');
  let t: TpmTransport;
  if (spec.kind === 'device') {
    t = openDeviceTransport(astring(spec.path, 'transport.path'));
  } else {
    const host = astring(spec.host, 'transport.host');
    const port = anumber(spec.port, 'transport.port', 1, 65534);
    const timeoutMs = spec.timeoutMs === undefined ? 60_000 : anumber(spec.timeoutMs, 'transport.timeoutMs', 1, 600_000);
    const powerOn = spec.kind === 'mssim' ? true : spec.powerOn === undefined ? false : spec.powerOn === true;
    t = openTcpTransport({ host, port, flavour: spec.kind, timeoutMs, powerOn });
  }
  try {
    if (opts.startup !== false) cmd.startup(t);
  } catch (e) {
    t.close();
    throw e;
  }
  return createClient(t);
}

function createClient(t: TpmTransport): TpmClient {
  const transient = new Set<number>();
  let srk: (TpmKeyObject & { parsed: AkPublicKey }) | undefined;
  const track = <T extends { handle: number }>(o: T): T => {
    transient.add(o.handle);
    return o;
  };
  const bankArg = (bank: unknown): PcrBankAlg => aoneOf(bank as PcrBankAlg, PCR_BANK_ALGS, 'bank');
  const pcrRead = (bank: PcrBankAlg, indexes: readonly number[]): Uint8Array[] => {
    const b = bankArg(bank);
    if (!Array.isArray(indexes) || indexes.length === 0 || indexes.length > 24) throw new InputError('"indexes" expected 1..24 PCR indices', { code: 'INVALID_VALUE' });
    indexes.forEach((i, k) => anumber(i, `indexes[${k}]`, 0, 23));
    const m = cmd.pcrRead(t, b, hashToAlg(b), indexes);
    return indexes.map((i) => Uint8Array.from(m.get(i)!));
  };
  const pcrExtend = (index: number, bank: PcrBankAlg, digest: Uint8Array): void => {
    anumber(index, 'index', 0, 23);
    const b = bankArg(bank);
    abytes(digest, hashLen(b), 'digest');
    cmd.pcrExtend(t, index, hashToAlg(b), digest);
  };
  const tpmQuote = (key: number, request: QuoteRequest) => {
    // `ak.tpmQuote(request)` is public: the request is checked like every argument (undefined once threw a TypeError)
    const req = aobject<QuoteRequest>(request, 'request', false)!;
    const b = bankArg(req.bank);
    const sel = checkSelection(req.selection, 'selection', 1);
    const extraData = abytes(req.extraData, undefined, 'extraData');
    if (extraData.length < 1 || extraData.length > MAX_DIGEST) throw new InputError('"nonce" expected 1..64 bytes', { code: 'INVALID_LENGTH' });
    return cmd.quote(t, key, extraData, hashToAlg(b), sel);
  };
  const toAk = (o: cmd.TpmObject, qualifiedName: Uint8Array): TpmAttestationKey => {
    const k = keyObject(o);
    const p = k.parsed;
    // Only restricted signing keys with a fixed SHA-256 scheme quote through this interface.
    const fixedSign = p.objectAttributes !== undefined && (p.objectAttributes & 0x50002) === 0x50002;
    const alg: TpmAttestationKeyAlg | undefined =
      p.type === 'p256' && p.scheme?.sigAlg === 'ecdsa' ? 'tpm-ecdsa-p256' : p.type === 'rsa' && p.scheme?.sigAlg === 'rsassa' ? 'tpm-rsassa-2048' : undefined;
    if (!fixedSign || alg === undefined || p.scheme?.hashAlg !== hashToAlg('sha256') || (p.type === 'rsa' && p.key.length !== 256)) {
      throw new InputError('the object is not a restricted ECDSA P-256 or RSASSA-2048 SHA-256 signing key', { code: 'INVALID_VALUE' });
    }
    const handle = o.handle;
    return Object.freeze({
      alg,
      hash: 'sha256' as const,
      secretKey: new Uint8Array(0),
      publicKey: p,
      name: k.name,
      qualifiedName,
      tpm2bPublic: k.publicArea,
      publicArea: k.publicArea,
      pem: k.publicKeyPem,
      publicKeyPem: k.publicKeyPem,
      handle,
      sign(): Uint8Array {
        throw new UnsupportedError('a restricted TPM key signs only what the TPM attests: use quote()');
      },
      tpmQuote: (req: QuoteRequest) => tpmQuote(handle, req),
    });
  };
  const getSrk = () => {
    srk ??= track(keyObject(cmd.createPrimary(t, TPM_RH.OWNER, srkTemplate())));
    return srk;
  };
  const client: TpmClient = {
    close() {
      if (t.closed) return;
      for (const h of transient) {
        try {
          cmd.flushContext(t, h);
        } catch {
          // already flushed (e.g. by another tool on a TPM without resource manager) or the transport is gone
        }
        if (t.closed) break;
      }
      transient.clear();
      t.close();
    },
    getRandom(n) {
      anumber(n, 'n', 1, 65536);
      return cmd.getRandom(t, n);
    },
    pcrRead,
    pcrExtend,
    pcrBank(bank) {
      return tpmPcrBank(bankArg(bank), pcrRead, pcrExtend);
    },
    getCapability(capability, property, count) {
      aoneOf(capability, ['handles', 'pcrs', 'properties'] as const, 'capability');
      return cmd.getCapability(t, capability, checkHandle(property, 'property'), anumber(count, 'count', 1, 256));
    },
    createEk(options) {
      const given = aobject<{ alg?: TpmKeyAlg }>(options, 'options')?.alg;
      const alg = given === undefined ? 'rsa' : aoneOf(given, ['rsa', 'ecc'] as const, 'options.alg');
      const { parsed: _p, ...o } = track(keyObject(cmd.createPrimary(t, TPM_RH.ENDORSEMENT, ekTemplate(alg))));
      return Object.freeze(o);
    },
    srk() {
      const { parsed: _p, ...o } = getSrk();
      return Object.freeze(o);
    },
    createAttestationKey(options) {
      const given = aobject<{ alg?: string }>(options, 'options')?.alg;
      const alg = given === undefined ? 'ecdsa-p256' : aoneOf(given, ['ecdsa-p256', 'rsassa-2048'] as const, 'options.alg');
      const parent = getSrk().handle;
      const c = cmd.create(t, parent, akTemplate(alg === 'rsassa-2048' ? 'rsa' : 'ecc'));
      const o = track(cmd.load(t, parent, c.priv, c.publicArea));
      return toAk(o, cmd.readPublic(t, o.handle).qualifiedName);
    },
    openAttestationKey(handle) {
      const o = cmd.readPublic(t, checkHandle(handle, 'handle'));
      return toAk(o, o.qualifiedName);
    },
    quote(input) {
      const i = aobject<TpmQuoteInput>(input, 'input', false)!;
      const key = aobject<TpmAttestationKey>(i.key, 'key', false)!;
      const nonce = abytes(i.nonce, undefined, 'nonce');
      return tpmQuote(checkHandle(key.handle, 'key.handle'), { bank: i.bank, selection: i.selection, extraData: nonce });
    },
    readPublic(handle) {
      const o = cmd.readPublic(t, checkHandle(handle, 'handle'));
      const { parsed: _p, ...k } = keyObject(o);
      return Object.freeze({ ...k, qualifiedName: o.qualifiedName });
    },
    flush(handle) {
      cmd.flushContext(t, checkHandle(handle, 'handle'));
      transient.delete(handle);
    },
    persist(object, persistentHandle) {
      const h = checkHandle(aobject<TpmKeyObject>(object, 'object', false)!.handle, 'object.handle');
      anumber(persistentHandle, 'persistentHandle', 0x81000000, 0x81ffffff);
      cmd.evictControl(t, h, persistentHandle);
    },
    evict(persistentHandle) {
      anumber(persistentHandle, 'persistentHandle', 0x81000000, 0x81ffffff);
      cmd.evictControl(t, persistentHandle, persistentHandle);
    },
    nvReadPublic(index) {
      return cmd.nvReadPublic(t, anumber(index, 'index', 0x01000000, 0x01ffffff));
    },
    nvRead(index) {
      const pub = cmd.nvReadPublic(t, anumber(index, 'index', 0x01000000, 0x01ffffff));
      return cmd.nvRead(t, index, index, pub.dataSize);
    },
    readEkCertificate(alg) {
      const index = EK_CERT_NV[alg === undefined ? 'rsa' : aoneOf(alg, ['rsa', 'ecc'] as const, 'alg')];
      const list = cmd.getCapability(t, 'handles', index, 1);
      if (list.capability !== 'handles' || list.handles[0] !== index) return undefined;
      return client.nvRead(index);
    },
    activateCredential(input) {
      const i = aobject<ActivateCredentialInput>(input, 'input', false)!;
      const ak = checkHandle(aobject<TpmKeyObject>(i.key, 'key', false)!.handle, 'key.handle');
      const ek = checkHandle(aobject<TpmKeyObject>(i.ek, 'ek', false)!.handle, 'ek.handle');
      const blob = abytes(i.credentialBlob, undefined, 'credentialBlob');
      const secret = abytes(i.secret, undefined, 'secret');
      if (blob.length > 2 + MAX_DIGEST + 2 + MAX_DIGEST || secret.length > 512) throw new InputError('credential too large', { code: 'INVALID_LENGTH' });
      const session = cmd.startPolicySession(t, cmd.getRandom(t, 32));
      try {
        cmd.policySecret(t, TPM_RH.ENDORSEMENT, session);
        // continueSession clear: the TPM flushes the session after a successful command.
        return cmd.activateCredential(t, ak, ek, { handle: session, attributes: 0x00 }, blob, secret);
      } catch (e) {
        try {
          if (!t.closed) cmd.flushContext(t, session);
        } catch {
          // the session is gone already
        }
        throw e;
      }
    },
  };
  return Object.freeze(client);
}

/** A PcrBank whose registers are the TPM's: reads go to TPM2_PCR_Read, extends to TPM2_PCR_Extend. */
function tpmPcrBank(
  alg: PcrBankAlg,
  read: (bank: PcrBankAlg, indexes: readonly number[]) => Uint8Array[],
  extend: (index: number, bank: PcrBankAlg, digest: Uint8Array) => void,
): PcrBank {
  const log: PcrEvent[] = [];
  const h = hashFn(alg);
  const bank: PcrBank = {
    alg,
    digestLength: hashLen(alg),
    writable: true,
    read: (index) => read(alg, [anumber(index, 'index', 0, 23)])[0]!,
    readAll: () => read(alg, Array.from({ length: 24 }, (_, i) => i)),
    extend(index, digest, event?: PcrEventInfo) {
      extend(index, alg, digest);
      log.push({ kind: 'extend', index, digest: Uint8Array.from(digest), eventType: event?.eventType ?? '', eventData: Uint8Array.from(event?.eventData ?? []) });
    },
    measure(index, data, event) {
      const d = h(abytes(data, undefined, 'data'));
      bank.extend(index, d, event);
      return d;
    },
    reset() {
      throw new PcrError('TPM2_PCR_Reset is not offered by this client', { code: 'PCR_RESET_FORBIDDEN' });
    },
    pcrValues(selection): PcrValues {
      const sel = checkSelection(selection, 'selection', 1);
      const values = read(alg, sel);
      return { hash: alg, values: Object.fromEntries(sel.map((i, k) => [i, values[k]!])) };
    },
    eventLog: () => log.map((e) => ({ ...e, digest: Uint8Array.from(e.digest), eventData: Uint8Array.from(e.eventData) })),
  };
  return Object.freeze(bank);
}
