/**
 * TPM 2.0 command/response framing (TPM 2.0 Library Part 1 §18, Part 3 §5): the command header (tag, size, command
 * code), the handle area, the authorization area (Part 1 §18.6–18.8), and a strict response parser that treats the
 * TPM's bytes as untrusted (size field = received length, bounded TPM2Bs, no trailing bytes). Internal.
 * @module
 */
import { Reader, Writer } from '../_tpm.js';
import { TpmEncodingError } from '../errors.js';
import { TpmResponseError } from './errors.js';
import { tpmRcName } from './responseCodes.js';

/** TPM_ST_NO_SESSIONS / TPM_ST_SESSIONS (Part 2 §6.9). */
export const TPM_ST = Object.freeze({ NO_SESSIONS: 0x8001, SESSIONS: 0x8002 } as const);
/** Largest command or response we send or accept (MAX_COMMAND_SIZE / MAX_RESPONSE_SIZE of PC Client TPMs is 4096). */
export const MAX_TPM_MESSAGE = 8192;
/** Permanent handles (Part 2 §7.4). */
export const TPM_RH = Object.freeze({
  OWNER: 0x40000001,
  NULL: 0x40000007,
  PW: 0x40000009,
  LOCKOUT: 0x4000000a,
  ENDORSEMENT: 0x4000000b,
  PLATFORM: 0x4000000c,
} as const);

/** TPM_CC values of the commands this client sends (Part 2 §6.5.2), with their names. */
export const TPM_CC = Object.freeze({
  EvictControl: 0x120,
  CreatePrimary: 0x131,
  Startup: 0x144,
  ActivateCredential: 0x147,
  NV_Read: 0x14e,
  PolicySecret: 0x151,
  Create: 0x153,
  Load: 0x157,
  Quote: 0x158,
  FlushContext: 0x165,
  NV_ReadPublic: 0x169,
  ReadPublic: 0x173,
  StartAuthSession: 0x176,
  GetCapability: 0x17a,
  GetRandom: 0x17b,
  PCR_Read: 0x17e,
  PCR_Extend: 0x182,
} as const);
/** A command name. */
export type TpmCommandName = keyof typeof TPM_CC;

/** One authorization of the command's authorization area (TPMS_AUTH_COMMAND, Part 2 §10.13.2). */
export interface TpmAuth {
  /** TPM_RS_PW for a password, or a session handle. */
  handle: number;
  nonce?: Uint8Array;
  /** TPMA_SESSION (bit 0 = continueSession). */
  attributes: number;
  /** The password (TPM_RS_PW) or HMAC. */
  hmac?: Uint8Array;
}
const EMPTY = new Uint8Array(0);

/** The empty-password authorization (TPM_RS_PW, continueSession). */
export const PASSWORD_AUTH: TpmAuth = Object.freeze({ handle: TPM_RH.PW, attributes: 0x01 });

/** A command to marshal. */
export interface TpmCommand {
  cc: TpmCommandName;
  handles?: readonly number[];
  /** Authorizations; present → TPM_ST_SESSIONS. */
  auths?: readonly TpmAuth[];
  params?: Uint8Array;
}

/** Marshals a command: tag ‖ commandSize ‖ commandCode ‖ handles ‖ [authorizationSize ‖ auths] ‖ parameters. */
export function marshalCommand(c: TpmCommand): Uint8Array {
  const body = new Writer();
  for (const h of c.handles ?? []) body.u32(h);
  if (c.auths && c.auths.length) {
    const a = new Writer();
    for (const s of c.auths) a.u32(s.handle).tpm2b(s.nonce ?? EMPTY).u8(s.attributes).tpm2b(s.hmac ?? EMPTY);
    const auth = a.finish();
    body.u32(auth.length).bytes(auth);
  }
  body.bytes(c.params ?? EMPTY);
  const b = body.finish();
  const tag = c.auths && c.auths.length ? TPM_ST.SESSIONS : TPM_ST.NO_SESSIONS;
  return new Writer().u16(tag).u32(10 + b.length).u32(TPM_CC[c.cc]).bytes(b).finish();
}

/** A parsed success response: the handle area and a reader over exactly the parameter area. */
export interface TpmResponse {
  handles: number[];
  params: Reader;
}

/**
 * Parses a response to `c`, strictly: the tag matches the command's, responseSize equals the received length, an
 * error code becomes a {@link TpmResponseError}, the parameter area is bounded by parameterSize, and each session's
 * response authorization (TPMS_AUTH_RESPONSE) is consumed with no trailing bytes.
 * @throws {TpmResponseError} on a TPM error code; {TpmEncodingError} on a malformed response
 */
export function parseResponse(c: TpmCommand, bytes: Uint8Array, nHandles = 0): TpmResponse {
  const name = `TPM2_${c.cc}`;
  const r = new Reader(bytes, `${name} response`);
  const tag = r.u16('tag');
  const size = r.u32('responseSize');
  const rc = r.u32('responseCode');
  if (size !== bytes.length) throw new TpmEncodingError(`${name} response: responseSize ${size} but ${bytes.length} bytes received`);
  if (rc !== 0) {
    // Error responses carry no handles, parameters or sessions (Part 1 §18.8): tag NO_SESSIONS and size 10.
    if (tag !== TPM_ST.NO_SESSIONS || size !== 10) throw new TpmEncodingError(`${name} response: malformed error response`);
    throw new TpmResponseError(name, rc, tpmRcName(rc));
  }
  const sessions = c.auths?.length ?? 0;
  if (tag !== (sessions ? TPM_ST.SESSIONS : TPM_ST.NO_SESSIONS)) throw new TpmEncodingError(`${name} response: unexpected tag 0x${tag.toString(16)}`);
  const handles: number[] = [];
  for (let i = 0; i < nHandles; i++) handles.push(r.u32('handle'));
  if (!sessions) return { handles, params: new Reader(r.bytes(r.remaining, 'parameters'), `${name} parameters`) };
  const paramSize = r.u32('parameterSize');
  if (paramSize > r.remaining) throw new TpmEncodingError(`${name} response: parameterSize ${paramSize} exceeds the response`);
  const params = new Reader(r.bytes(paramSize, 'parameters'), `${name} parameters`);
  for (let i = 0; i < sessions; i++) {
    r.tpm2b('nonceTPM', 64);
    r.u8('sessionAttributes');
    r.tpm2b('hmac', 64);
  }
  r.end();
  return { handles, params };
}
