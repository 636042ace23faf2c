import { readFileSync } from 'node:fs';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, isPrivkitError, utf8ToBytes } from '@privkit/core';
import { truncations } from '@privkit/core/testing';
import { describe, expect, it } from 'vitest';
import { checkEventLog, parseTcgEventLog, PcrError, replayEventLog, TpmEncodingError, verifyTpmQuote, type PcrValues } from '@privkit/attest';

const gcp = JSON.parse(readFileSync(new URL('./vectors/tpm/go-attestation-windows_gcp_shielded_vm.json', import.meta.url), 'utf8')) as {
  AK: { Public: string };
  Quote: { Nonce: string; Quote: string; Signature: string };
  Log: { Raw: string; PCRs: { Index: number; Digest: string }[] };
};
const b64 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64'));

describe('TCG binary event logs', () => {
  const raw = b64(gcp.Log.Raw);
  const values: Record<number, Uint8Array> = {};
  for (const p of gcp.Log.PCRs) values[p.Index] = b64(p.Digest);
  const quoted: PcrValues = { hash: 'sha1', values };

  it('the real Windows GCP log (legacy SHA-1 format) replays to the 24 PCR values its quote attests', () => {
    const log = parseTcgEventLog(raw);
    expect(log.format).toBe('legacy');
    expect(log.banks).toEqual(['sha1']);
    expect(log.events.length).toBeGreaterThan(10);
    const replayed = replayEventLog('sha1', log.events, log.initial);
    for (let i = 0; i < 24; i++) expect(replayed[i], `PCR ${i}`).toEqual(values[i]);
    checkEventLog(log.events, quoted, log.initial);
    // …and the quote over exactly those values verifies: log → PCRs → quote → AK.
    const r = verifyTpmQuote({
      attest: b64(gcp.Quote.Quote),
      signature: b64(gcp.Quote.Signature),
      akPublicKey: b64(gcp.AK.Public),
      nonce: b64(gcp.Quote.Nonce),
      pcrs: quoted,
      allowedHashes: ['sha1'],
    });
    expect(r.verified).toBe(true);
  });

  it('a tampered log does not replay (digest bit flip, dropped event)', () => {
    const log = parseTcgEventLog(raw);
    const flipped = log.events.map((e, i) => (i === 3 ? { ...e, digest: Uint8Array.from(e.digest, (b, j) => (j === 0 ? b ^ 1 : b)) } : e));
    expect(() => checkEventLog(flipped, quoted, log.initial)).toThrow(PcrError);
    try {
      checkEventLog(log.events.slice(1), quoted, log.initial);
      expect.unreachable();
    } catch (e) {
      expect(isPrivkitError(e, 'PCR_LOG_MISMATCH')).toBe(true);
    }
  });

  it('truncated or extended logs are malformed; a legacy log has no sha256 bank', () => {
    for (const t of truncations(raw)) {
      if (t.title === 'empty') continue;
      expect(() => parseTcgEventLog(t.value as Uint8Array), t.title).toThrow(TpmEncodingError);
    }
    expect(() => parseTcgEventLog(raw, 'sha256')).toThrow(/only sha1/);
    expect(() => parseTcgEventLog('x' as never)).toThrow(/"log"/);
  });

  it('crypto-agile log (Spec ID Event03, SHA-1 + SHA-256, StartupLocality 3) replays per bank', () => {
    const u32 = (v: number) => Uint8Array.of(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24);
    const u16 = (v: number) => Uint8Array.of(v & 255, v >>> 8);
    const specId = concatBytes(utf8ToBytes('Spec ID Event03\0'), u32(0), Uint8Array.of(0, 2, 0, 2), u32(2), u16(4), u16(20), u16(11), u16(32), Uint8Array.of(0));
    const header = concatBytes(u32(0), u32(3), new Uint8Array(20), u32(specId.length), specId);
    const ev2 = (pcr: number, type: number, data: Uint8Array) =>
      concatBytes(u32(pcr), u32(type), u32(2), u16(4), sha1(data), u16(11), sha256(data), u32(data.length), data);
    const locality = concatBytes(u32(0), u32(3), u32(2), u16(4), new Uint8Array(20), u16(11), new Uint8Array(32), u32(17), utf8ToBytes('StartupLocality\0'), Uint8Array.of(3));
    const log = concatBytes(header, locality, ev2(0, 8, utf8ToBytes('crtm')), ev2(7, 0x80000001, utf8ToBytes('secure boot')), ev2(0, 4, new Uint8Array(4)));
    for (const [bank, h, len] of [
      ['sha256', sha256, 32],
      ['sha1', sha1, 20],
    ] as const) {
      const parsed = parseTcgEventLog(log, bank);
      expect(parsed.format).toBe('crypto-agile');
      expect(parsed.banks).toEqual(['sha1', 'sha256']);
      expect(parsed.events.map((e) => e.index)).toEqual([0, 7, 0]);
      let pcr0 = new Uint8Array(len);
      pcr0[len - 1] = 3; // StartupLocality 3
      pcr0 = h(concatBytes(pcr0, h(utf8ToBytes('crtm'))));
      pcr0 = h(concatBytes(pcr0, h(new Uint8Array(4))));
      expect(replayEventLog(bank, parsed.events, parsed.initial)[0]).toEqual(pcr0);
    }
    expect(() => parseTcgEventLog(log, 'sha384')).toThrow(/no sha384/);
    expect(() => parseTcgEventLog(log.subarray(0, log.length - 3), 'sha256')).toThrow(TpmEncodingError);
  });
});
