import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { concatBytes, isPrivkitError, sm3, utf8ToBytes } from '@privkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEventLog, createPcrBank, extend, pcrResetLocality, PcrError, replayEventLog } from '@privkit/attest';
import { arbPcrBankWithLog } from '@privkit/attest/testing';

describe('PCR banks', () => {
  it('starts with PC Client initial values (17–22 all ones, others zero)', () => {
    for (const alg of ['sha256', 'sha384', 'sm3'] as const) {
      const bank = createPcrBank(alg);
      const len = { sha256: 32, sha384: 48, sm3: 32 }[alg];
      expect(bank.digestLength).toBe(len);
      bank.readAll().forEach((v, i) => expect(v).toEqual(new Uint8Array(len).fill(i >= 17 && i <= 22 ? 0xff : 0)));
    }
  });

  it('extends with TPM semantics PCR = H(PCR ‖ digest) for each hash', () => {
    const cases = [
      ['sha256', sha256],
      ['sha384', sha384],
      ['sm3', (m: Uint8Array) => sm3(m)],
    ] as const;
    for (const [alg, h] of cases) {
      const bank = createPcrBank(alg);
      const d = h(utf8ToBytes('measurement'));
      bank.extend(16, d);
      expect(bank.read(16)).toEqual(h(concatBytes(new Uint8Array(d.length), d)));
      extend(bank, 16, d);
      expect(bank.read(16)).toEqual(h(concatBytes(h(concatBytes(new Uint8Array(d.length), d)), d)));
    }
  });

  it('known answer: SHA-256 PCR 16 after extending 32 × 0xaa (as swtpm computes it)', () => {
    const bank = createPcrBank('sha256');
    bank.extend(16, new Uint8Array(32).fill(0xaa));
    // tpm2_pcrextend 16:sha256=aaaa…aa on a fresh swtpm reads 0x9EF814B4…56ED
    expect(Buffer.from(bank.read(16)).toString('hex')).toBe('9ef814b42fa0be12d197c44d3e8e03441a4b1118237658368ba1351090e556ed');
  });

  it('enforces digest length, index range and read-only SHA-1 banks', () => {
    const bank = createPcrBank('sha256');
    expect(() => bank.extend(16, new Uint8Array(31))).toThrow(/expected Uint8Array of length 32/);
    expect(() => bank.extend(24, new Uint8Array(32))).toThrow(/"index"/);
    expect(() => bank.read(-1)).toThrow();
    expect(() => createPcrBank('sha1')).toThrow(/required/);
    const sha1 = createPcrBank('sha1', { values: Array.from({ length: 24 }, () => new Uint8Array(20)) });
    expect(sha1.writable).toBe(false);
    try {
      sha1.extend(0, new Uint8Array(20));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PcrError);
      expect(isPrivkitError(e, 'PCR_READ_ONLY')).toBe(true);
    }
  });

  it('reset rules: 16 and 23 any locality, 21–22 locality ≥ 2, 17–20 locality 4, 0–15 never', () => {
    expect(pcrResetLocality(16)).toBe(0);
    expect(pcrResetLocality(23)).toBe(0);
    expect(pcrResetLocality(21)).toBe(2);
    expect(pcrResetLocality(17)).toBe(4);
    expect(pcrResetLocality(0)).toBeUndefined();
    const bank = createPcrBank('sha256');
    bank.measure(16, utf8ToBytes('x'));
    bank.reset(16);
    expect(bank.read(16)).toEqual(new Uint8Array(32));
    for (const [i, loc] of [[0, 4], [15, 4], [17, 3], [21, 1]] as const) {
      try {
        bank.reset(i, loc);
        expect.unreachable();
      } catch (e) {
        expect(isPrivkitError(e, 'PCR_RESET_FORBIDDEN')).toBe(true);
      }
    }
    bank.reset(17, 4);
    expect(bank.read(17)).toEqual(new Uint8Array(32));
    bank.reset(22, 2);
  });

  it('event log replays to the bank (property), including resets', () => {
    fc.assert(
      fc.property(arbPcrBankWithLog(), fc.boolean(), ({ bank }, withReset) => {
        if (withReset) {
          bank.reset(23);
          bank.measure(23, utf8ToBytes('after reset'));
        }
        expect(replayEventLog(bank.alg, bank.eventLog())).toEqual(bank.readAll());
        checkEventLog(bank.eventLog(), bank.pcrValues([0, 16, 23]));
      }),
      { numRuns: 40 },
    );
  });

  it('attack: a forged event log hides bad events behind a fake reset of PCR 0–15 — replay refuses the reset', () => {
    // The device booted an evil bootloader; the forged log lists the signed one, a "reset", then the evil one, so
    // without the reset rules it replays to the quoted value while showing the good event first.
    const real = createPcrBank('sha256');
    real.measure(4, utf8ToBytes('evil bootloader'));
    const quoted = real.pcrValues([4]);
    const good = createPcrBank('sha256');
    good.measure(4, utf8ToBytes('signed bootloader'));
    const forged = [
      ...good.eventLog(),
      { kind: 'reset' as const, index: 4, digest: new Uint8Array(0), eventType: 'reset', eventData: new Uint8Array(0) },
      ...real.eventLog(),
    ];
    for (const f of [() => replayEventLog('sha256', forged), () => checkEventLog(forged, quoted)]) {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(PcrError);
        expect(isPrivkitError(e, 'PCR_RESET_FORBIDDEN')).toBe(true);
      }
    }
    // The same for every PCR 0–15 and for a DRTM PCR claimed at a locality that may not reset it.
    for (const [index, locality] of [[0, 0], [7, 4], [15, 3], [17, 0], [17, 3], [21, 1]] as const) {
      const ev = { kind: 'reset' as const, index, digest: new Uint8Array(0), eventType: 'reset', eventData: new Uint8Array(0), locality };
      expect(() => replayEventLog('sha256', [ev], undefined, { maxResetLocality: 4 })).toThrow(PcrError);
    }
  });

  it('replay follows bank.reset: 16/23 from any locality; 17–22 only up to maxResetLocality (default 0)', () => {
    const bank = createPcrBank('sha256');
    bank.measure(17, utf8ToBytes('drtm'));
    bank.reset(17, 4);
    bank.measure(17, utf8ToBytes('mle'));
    bank.reset(16);
    const log = bank.eventLog();
    expect(log.find((e) => e.kind === 'reset' && e.index === 17)!.locality).toBe(4);
    // A DRTM reset is a claim of locality 4: refused unless the verifier accepts such logs.
    expect(() => replayEventLog('sha256', log)).toThrow(PcrError);
    expect(replayEventLog('sha256', log, undefined, { maxResetLocality: 4 })).toEqual(bank.readAll());
    checkEventLog(log, bank.pcrValues([16, 17]), undefined, { maxResetLocality: 4 });
  });

  it('a tampered event log does not replay', () => {
    const bank = createPcrBank('sha256');
    bank.measure(4, utf8ToBytes('bootloader'), { eventType: 'EV_EFI_BOOT_SERVICES_APPLICATION' });
    bank.measure(4, utf8ToBytes('kernel'));
    const log = bank.eventLog();
    const swapped = [log[1]!, log[0]!];
    expect(() => checkEventLog(swapped, bank.pcrValues([4]))).toThrow(PcrError);
    const dropped = log.slice(1);
    try {
      checkEventLog(dropped, bank.pcrValues([4]));
      expect.unreachable();
    } catch (e) {
      expect(isPrivkitError(e, 'PCR_LOG_MISMATCH')).toBe(true);
    }
    expect(log[0]!.eventType).toBe('EV_EFI_BOOT_SERVICES_APPLICATION');
  });

  it('the bank and its outputs are immutable from outside', () => {
    const bank = createPcrBank('sha256');
    expect(Object.isFrozen(bank)).toBe(true);
    bank.read(0).fill(1);
    expect(bank.read(0)).toEqual(new Uint8Array(32));
    const v = bank.pcrValues([0]);
    expect(Object.isFrozen(v)).toBe(true);
  });
});
