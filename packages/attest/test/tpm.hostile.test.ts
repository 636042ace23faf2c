/**
 * Hostile TPM responses and hostile arguments: responses recorded from swtpm are replayed truncated, bit-flipped,
 * extended and with lying size fields through every command parser — each gives a typed PrivKit error or a
 * well-formed answer, never a crash. Public functions of `@privkit/attest/tpm` get core's hostile table. Response
 * code names are checked against tpm2_rc_decode (tpm2-tools' independent decoder) for their kind and position.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { isPrivkitError, randomBytes } from '@privkit/core';
import { assertHostileSweep, hostileBytes, hostileNumbers, hostileValues } from '@privkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAttestationKey, quote, verifyQuote } from '@privkit/attest';
import { kdfa, kdfe, makeCredential, openTpm, tpmRcName, type TpmClient } from '@privkit/attest/tpm';
import * as cmd from '../src/tpm/commands.js';
import { TPM_RH } from '../src/tpm/_marshal.js';
import { openTcpTransport } from '../src/tpm/tcpTransport.js';
import type { TpmTransport } from '../src/tpm/_transport.js';
import { akTemplate, ekTemplate, srkTemplate } from '../src/tpm/templates.js';
import { missingTpmTools, startSwtpm, type Swtpm } from './tpm-helpers.js';

function typedOrOk(fn: () => unknown, what: string): void {
  try {
    fn();
  } catch (e) {
    if (!isPrivkitError(e)) throw new Error(`${what}: threw a non-PrivKit error: ${String(e)}`);
  }
}
function typed(fn: () => unknown, what: string): void {
  try {
    fn();
  } catch (e) {
    if (!isPrivkitError(e)) throw new Error(`${what}: threw a non-PrivKit error: ${String(e)}`);
    return;
  }
  throw new Error(`${what}: did not throw`);
}

/** Replays recorded responses in order, with response `k` replaced. */
function replay(responses: readonly Uint8Array[], k: number, mutated: Uint8Array): TpmTransport {
  let i = 0;
  return {
    transmit: () => {
      const r = i === k ? mutated : responses[i];
      i++;
      // Past the recording (the client asked again, e.g. for PCRs a mutated answer left out): a TPM failure.
      if (!r) return Uint8Array.of(0x80, 0x01, 0, 0, 0, 10, 0, 0, 0x01, 0x01);
      return Uint8Array.from(r);
    },
    close: () => {},
    closed: false,
  };
}

function mutations(r: Uint8Array, rnd: () => number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let n = 0; n < r.length; n++) out.push(r.slice(0, n)); // every truncation
  const positions = r.length <= 400 ? r.map((_, i) => i) : Array.from({ length: 400 }, () => Math.floor(rnd() * r.length));
  for (const p of positions) {
    for (const x of [0xff, 0x01, 0x80]) {
      const m = Uint8Array.from(r);
      m[p]! ^= x;
      out.push(m);
    }
  }
  out.push(Uint8Array.of(...r, 0), Uint8Array.of(...r, ...new Uint8Array(300)));
  // responseSize lies (bytes 2..5).
  for (const size of [0, 9, 10, r.length - 1, r.length + 1, 0xffffffff]) {
    const m = Uint8Array.from(r);
    new DataView(m.buffer).setUint32(2, size >>> 0);
    out.push(m);
  }
  return out;
}

describe.skipIf(missingTpmTools.length > 0)('hostile TPM responses (recorded from swtpm, mutated)', () => {
  let sw: Swtpm;
  const ops: { name: string; run: (t: TpmTransport) => unknown; responses: Uint8Array[] }[] = [];

  beforeAll(async () => {
    sw = await startSwtpm();
    const real = openTcpTransport({ host: '127.0.0.1', port: sw.port, flavour: 'swtpm', timeoutMs: 20_000, powerOn: false });
    let log: Uint8Array[] = [];
    const rec: TpmTransport = {
      transmit: (c) => {
        const r = real.transmit(c);
        log.push(r);
        return r;
      },
      close: () => real.close(),
      get closed() {
        return real.closed;
      },
    };
    const record = (name: string, run: (t: TpmTransport) => unknown) => {
      log = [];
      run(rec);
      ops.push({ name, run, responses: log });
    };
    record('Startup', (t) => cmd.startup(t));
    record('GetCapability(pcrs)', (t) => cmd.getCapability(t, 'pcrs', 0, 1));
    record('GetCapability(properties)', (t) => cmd.getCapability(t, 'properties', 0x100, 8));
    record('GetCapability(handles)', (t) => cmd.getCapability(t, 'handles', 0x80000000, 8));
    record('GetRandom', (t) => cmd.getRandom(t, 48));
    record('PCR_Read(24 PCRs)', (t) => cmd.pcrRead(t, 'sha256', 0x000b, Array.from({ length: 24 }, (_, i) => i)));
    record('PCR_Extend', (t) => cmd.pcrExtend(t, 16, 0x000b, new Uint8Array(32)));
    const srk = cmd.createPrimary(rec, TPM_RH.OWNER, srkTemplate());
    record('CreatePrimary(SRK)', (t) => cmd.flushContext(t, cmd.createPrimary(t, TPM_RH.OWNER, srkTemplate()).handle));
    record('Create+Load(AK)', (t) => {
      const c = cmd.create(t, srk.handle, akTemplate('ecc'));
      cmd.flushContext(t, cmd.load(t, srk.handle, c.priv, c.publicArea).handle);
    });
    const created = cmd.create(rec, srk.handle, akTemplate('ecc'));
    const ak = cmd.load(rec, srk.handle, created.priv, created.publicArea);
    const ek = cmd.createPrimary(rec, TPM_RH.ENDORSEMENT, ekTemplate('ecc'));
    const cred = makeCredential({ ekPublic: ek.publicArea, akName: ak.name, credential: randomBytes(32) });
    record('ReadPublic', (t) => cmd.readPublic(t, ak.handle));
    record('Quote', (t) => cmd.quote(t, ak.handle, new Uint8Array(32).fill(9), 0x000b, [0, 16]));
    record('PolicySecret+ActivateCredential', (t) => {
      const s = cmd.startPolicySession(t, new Uint8Array(32).fill(1));
      cmd.policySecret(t, TPM_RH.ENDORSEMENT, s);
      return cmd.activateCredential(t, ak.handle, ek.handle, { handle: s, attributes: 0 }, cred.credentialBlob, cred.secret);
    });
    record('NV_ReadPublic(error)', (t) => {
      try {
        cmd.nvReadPublic(t, 0x01c00002);
      } catch {
        // recorded: an error response
      }
    });
    for (const h of [ak.handle, ek.handle, srk.handle]) cmd.flushContext(rec, h);
    real.close();
  }, 60_000);
  afterAll(async () => {
    await sw?.stop();
  });

  it('every recorded response replays to the same result', () => {
    expect(ops.length).toBe(13);
    for (const op of ops) expect(() => op.run(replay(op.responses, -1, new Uint8Array(0))), op.name).not.toThrow();
  });

  it('truncated, bit-flipped, extended and size-lying responses give typed errors', () => {
    let n = 0;
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const op of ops) {
      op.responses.forEach((r, k) => {
        for (const m of mutations(r, rnd)) {
          n++;
          typedOrOk(() => op.run(replay(op.responses, k, m)), `${op.name} response ${k}`);
        }
      });
    }
    expect(n).toBeGreaterThan(10_000);
  });

  it('random responses (fast-check) give typed errors', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: ops.length - 1 }), fc.uint8Array({ maxLength: 600 }), (i, bytes) => {
        const op = ops[i]!;
        typedOrOk(() => op.run(replay(op.responses, 0, bytes)), op.name);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('hostile arguments to @privkit/attest/tpm', () => {
  it('openTpm', () => {
    for (const h of hostileValues('object')) typed(() => openTpm(h.value as never), `openTpm(${h.title})`);
    for (const h of hostileNumbers()) typed(() => openTpm({ kind: 'swtpm', host: '127.0.0.1', port: h.value as never }), `port ${h.title}`);
    typed(() => openTpm({ kind: 'nope' } as never), 'kind');
    typed(() => openTpm({ kind: 'device', path: 7 } as never), 'path');
    typed(() => openTpm({ kind: 'swtpm', host: '127.0.0.1', port: 1, timeoutMs: -1 }), 'timeout');
  });

  it('makeCredential, kdfa, kdfe, tpmRcName', () => {
    const ek = ekTemplate('rsa');
    const akName = createAttestationKey().name;
    for (const h of hostileBytes()) {
      typed(() => makeCredential({ ekPublic: h.value as never, akName, credential: new Uint8Array(16) }), `ekPublic ${h.title}`);
      typed(() => makeCredential({ ekPublic: ek, akName: h.value as never, credential: new Uint8Array(16) }), `akName ${h.title}`);
    }
    for (const h of hostileValues('object')) typed(() => makeCredential(h.value as never), `input ${h.title}`);
    typed(() => makeCredential({ ekPublic: ek, akName, credential: new Uint8Array(33) }), 'credential longer than the digest');
    typed(() => makeCredential({ ekPublic: ek, akName, credential: new Uint8Array(0) }), 'empty credential');
    typed(() => makeCredential({ ekPublic: akTemplate('ecc'), akName, credential: new Uint8Array(8) }), 'a signing key is not an EK');
    for (const h of hostileNumbers()) {
      typed(() => kdfa('sha256', new Uint8Array(4), 'X', new Uint8Array(0), new Uint8Array(0), h.value as never), `kdfa bits ${h.title}`);
      typed(() => kdfe('sha256', new Uint8Array(4), 'X', new Uint8Array(0), new Uint8Array(0), h.value as never), `kdfe bits ${h.title}`);
      typed(() => tpmRcName(h.value as never), `tpmRcName ${h.title}`);
    }
  });
});

describe.skipIf(missingTpmTools.length > 0)('hostile arguments to a live client', () => {
  let sw: Swtpm;
  let tpm: TpmClient;
  beforeAll(async () => {
    sw = await startSwtpm();
    tpm = openTpm({ kind: 'swtpm', host: '127.0.0.1', port: sw.port, timeoutMs: 20_000 });
  });
  afterAll(async () => {
    tpm?.close();
    await sw?.stop();
  });
  it('every method rejects hostile arguments with typed errors and stays usable', () => {
    for (const h of hostileNumbers()) {
      typed(() => tpm.getRandom(h.value as never), `getRandom ${h.title}`);
      typed(() => tpm.pcrRead('sha256', [h.value as never]), `pcrRead ${h.title}`);
      typed(() => tpm.pcrExtend(h.value as never, 'sha256', new Uint8Array(32)), `pcrExtend index ${h.title}`);
      typed(() => tpm.flush(h.value as never), `flush ${h.title}`);
      typed(() => tpm.nvReadPublic(h.value as never), `nvReadPublic ${h.title}`);
    }
    for (const h of hostileBytes()) {
      typed(() => tpm.pcrExtend(16, 'sha256', h.value as never), `pcrExtend digest ${h.title}`);
    }
    for (const h of hostileValues('any').filter((x) => x.value !== undefined)) {
      typed(() => tpm.pcrRead(h.value as never, [0]), `pcrRead bank ${h.title}`);
      typed(() => tpm.createAttestationKey({ alg: h.value as never }), `createAttestationKey ${h.title}`);
      typed(() => tpm.quote(h.value as never), `quote ${h.title}`);
      typed(() => tpm.activateCredential(h.value as never), `activateCredential ${h.title}`);
    }
    typed(() => tpm.pcrRead('sha256', []), 'empty selection');
    typed(() => tpm.pcrExtend(16, 'sha256', new Uint8Array(20)), 'digest of the wrong bank');
    // TPM-side refusals are typed too: a PCR that locality 0 may not extend, an unknown handle.
    typed(() => tpm.readPublic(0x80ffffff), 'unknown handle');
    expect(tpm.getRandom(8).length).toBe(8);
  });

  // The generic object sweep of @privkit/core/testing (issue #16) over the client openTpm returns: every method gets
  // every hostile value in one to three positions (every call that passes validation is a real TPM command), and afterwards the
  // client must still answer and every SHA-256 PCR must hold the value it had — no rejected call extended a PCR.
  it('reflective object sweep: the client stays usable and no PCR moves', async () => {
    tpm.close(); // swtpm serves one connection at a time: the seed opens its own
    const pcrs = (t: TpmClient) => t.pcrRead('sha256', Array.from({ length: 24 }, (_, i) => i)).map((d) => Buffer.from(d).toString('hex'));
    let before: string[] = [];
    const r = await assertHostileSweep(
      {},
      {
        minCalled: 0,
        arities: [1, 2, 3],
        seeds: {
          tpmClient: {
            create: () => {
              const t = openTpm({ kind: 'swtpm', host: '127.0.0.1', port: sw.port, timeoutMs: 20_000 });
              before = pcrs(t);
              return t;
            },
            dispose: (t: TpmClient) => t.close(),
            terminal: ['close'],
            check: (t: TpmClient) => {
              if (t.getRandom(8).length !== 8) throw new Error('no random bytes');
              if (pcrs(t).join() !== before.join()) throw new Error('a PCR changed');
            },
          },
        },
      },
    );
    expect(r.called).toEqual(expect.arrayContaining(['tpmClient.pcrExtend', 'tpmClient.quote', 'tpmClient.activateCredential', 'tpmClient.nvRead']));
    tpm = openTpm({ kind: 'swtpm', host: '127.0.0.1', port: sw.port, timeoutMs: 20_000 });
  }, 600_000);

  it('found by the object sweep: ak.tpmQuote(undefined) threw a TypeError; a request that is not an object is refused', () => {
    const ak = tpm.createAttestationKey();
    for (const h of hostileValues('object')) typed(() => ak.tpmQuote!(h.value as never), `tpmQuote(${h.title})`);
    expect(() => ak.tpmQuote!(undefined as never)).toThrow(expect.objectContaining({ code: 'INVALID_TYPE' }));
    expect(ak.tpmQuote!({ bank: 'sha256', selection: [16], extraData: randomBytes(16) }).attest.length).toBeGreaterThan(0);
  });

  // The objects the client returns: its TPM-backed PCR bank and a TPM-resident attestation key. Each seed opens its
  // own connection (closed when the seed is done with the object). The bank's PCRs must not move; the key must still
  // make a quote that verifies with its public key and the PCR values the TPM reports.
  it('reflective object sweep: the TPM-backed PCR bank and attestation key', async () => {
    tpm.close();
    const clientOf = new WeakMap<object, TpmClient>();
    const connect = <T extends object>(make: (t: TpmClient) => T) => () => {
      const t = openTpm({ kind: 'swtpm', host: '127.0.0.1', port: sw.port, timeoutMs: 20_000 });
      const o = make(t);
      clientOf.set(o, t);
      return o;
    };
    const release = (o: object) => clientOf.get(o)?.close();
    let before = '';
    const r = await assertHostileSweep(
      {},
      {
        minCalled: 0,
        arities: [1, 2, 3],
        seeds: {
          tpmPcrBank: {
            create: connect((t) => {
              const bank = t.pcrBank('sha256');
              before = bank.readAll().map((d) => Buffer.from(d).toString('hex')).join();
              return bank;
            }),
            dispose: release,
            check: (bank: ReturnType<TpmClient['pcrBank']>) => {
              if (bank.readAll().map((d) => Buffer.from(d).toString('hex')).join() !== before) throw new Error('a PCR changed');
            },
          },
          tpmAttestationKey: {
            create: connect((t) => t.createAttestationKey()),
            dispose: release,
            check: (ak: ReturnType<TpmClient['createAttestationKey']>) => {
              const t = clientOf.get(ak)!;
              const nonce = randomBytes(16);
              const q = quote({ bank: t.pcrBank('sha256'), selection: [16], nonce, key: ak });
              const values = { hash: 'sha256' as const, values: { 16: t.pcrRead('sha256', [16])[0]! } };
              if (!verifyQuote(q, { publicKey: ak.publicKey, qualifiedSigner: ak.qualifiedName, nonce, expectedPcrs: values }).verified) {
                throw new Error('the key no longer makes a verifiable quote');
              }
            },
          },
        },
      },
    );
    expect(r.called).toEqual(expect.arrayContaining(['tpmPcrBank.extend', 'tpmPcrBank.reset', 'tpmAttestationKey.sign']));
    tpm = openTpm({ kind: 'swtpm', host: '127.0.0.1', port: sw.port, timeoutMs: 20_000 });
  }, 600_000);
});

describe.skipIf(missingTpmTools.length > 0)('tpmRcName agrees with tpm2_rc_decode (tpm2-tools) on kind and position', () => {
  const kind = (name: string): string => {
    const m = name.match(/\((parameter|handle|session) (\d)\)$/);
    if (m) return `${m[1]}(${m[2]})`;
    if (name.startsWith('TPM_RC_WARN') || /^TPM_RC_(CONTEXT_GAP|OBJECT_MEMORY|SESSION_MEMORY|MEMORY|SESSION_HANDLES|OBJECT_HANDLES|LOCALITY|YIELDED|CANCELED|TESTING|REFERENCE_[HS]\d|NV_RATE|LOCKOUT|RETRY|NV_UNAVAILABLE|NOT_USED)$/.test(name)) return 'warn';
    return 'error';
  };
  const codes: number[] = [];
  for (const n of [0x01, 0x04, 0x0b, 0x0e, 0x15, 0x1d, 0x22]) for (const pos of [0x140, 0x240, 0x100, 0x200, 0x900, 0xa00]) codes.push(0x80 | n | pos);
  for (const n of [0x000, 0x001, 0x025, 0x04b, 0x055]) codes.push(0x100 | n);
  for (const n of [0x002, 0x007, 0x021, 0x022]) codes.push(0x900 | n);
  it(`${codes.length} codes`, () => {
    for (const rc of codes) {
      const out = spawnSync('tpm2_rc_decode', [`0x${rc.toString(16)}`], { encoding: 'utf8' }).stdout;
      const m = out.match(/^tpm:(parameter|handle|session)\((\d)\)/);
      const theirs = m ? `${m[1]}(${m[2]})` : out.startsWith('tpm:warn') ? 'warn' : 'error';
      expect(kind(tpmRcName(rc)), `0x${rc.toString(16)}: ${out}`).toBe(theirs);
    }
  });
});
