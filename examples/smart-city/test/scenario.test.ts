import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSubmission, encodeSubmission } from '../src/block.js';
import { runScenario, type ScenarioReport } from '../src/scenario.js';

// A smaller fleet than the example's default (3 sensors per district instead of 12): same steps, same checks.
const outDir = mkdtempSync(join(tmpdir(), 'privkit-smart-city-'));
let report: ScenarioReport;

beforeAll(async () => {
  report = await runScenario({ sensorsPerDistrict: 3, districts: ['harbour', 'old-town'], epoch: 1000, outDir });
}, 180_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('smart-city scenario (3 sensors per district)', () => {
  it('passes every check of every step', () => {
    const failed = report.steps.flatMap((s) => s.checks.filter((c) => !c.ok).map((c) => `${s.id}: ${c.name} ${c.detail ?? ''}`));
    expect(failed).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.id)).toEqual(['setup', 'upload', 'aggregate', 'ledgers', 'anchor', 'audit', 'qr']);
    expect(report.summary).toContain('ALL CHECKS PASSED');
  });

  it('refuses the bad-firmware sensor with its reason code and decrypts nothing', () => {
    const refused = report.results.submissions.filter((o) => o.kind === 'first' && o.outcome === 'refused-attestation');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ sensorId: 'old-town-s03', attestStatus: 'PCR_MISMATCH', sensorSawStatus: 'PCR_MISMATCH', decrypted: false });
    expect(refused[0]!.failureCodes).toContain('QUOTE_PCR_DIGEST_MISMATCH');
  });

  it('uses both envelope suites and admits every honest sensor once', () => {
    const first = report.results.submissions.filter((o) => o.kind === 'first' && o.outcome === 'stored');
    expect(first).toHaveLength(5);
    expect(new Set(first.map((o) => o.suite))).toEqual(new Set(['SM2-SM3-SM4', 'X25519-SHA256-AES-256-GCM']));
  });

  it('catches the duplicate submission in the same epoch by its key image, and not the next epoch one', () => {
    const dup = report.results.submissions.find((o) => o.kind === 'duplicate')!;
    const first = report.results.submissions.find((o) => o.kind === 'first' && o.sensorId === dup.sensorId)!;
    const next = report.results.submissions.find((o) => o.kind === 'next-epoch')!;
    expect(dup).toMatchObject({ attestStatus: 'ACCEPTED', ringValid: true, outcome: 'refused-duplicate' });
    expect(dup.keyImage).toBe(first.keyImage);
    expect(next).toMatchObject({ sensorId: dup.sensorId, epoch: 1001, outcome: 'stored' });
    expect(next.keyImage).not.toBe(first.keyImage);
    expect(report.results.submissions.find((o) => o.kind === 'replay')!.attestStatus).toBe('NONCE_REPLAYED');
  });

  it('the owner-decrypted HE totals equal the plaintext sums exactly', () => {
    expect(report.results.totals).toHaveLength(2);
    for (const t of report.results.totals) {
      expect(t.exact).toBe(true);
      expect(t.values).toEqual(t.expected);
      expect(t.values.every((v) => v > 0n)).toBe(true);
    }
    expect(report.results.totals.map((t) => t.contributions)).toEqual([3, 2]);
  });

  it('catches the storage provider (wrong bytes for a CID, a dropped block) on Fabric and on the EVM; Protocol II cannot', () => {
    const a = report.results.audit!;
    expect(a.caughtBySampling).toBe(true);
    expect(a.sampledFalsePositives).toEqual([]);
    expect(a.tamperedId).not.toBe(a.droppedId);
    expect([...a.fabricFailed].sort((x, y) => x.id.localeCompare(y.id))).toEqual(
      [{ id: a.tamperedId, reason: 'address-mismatch' }, { id: a.droppedId, reason: 'data-unavailable' }].sort((x, y) => x.id.localeCompare(y.id)),
    );
    expect([...a.ethereumFailed].sort()).toEqual([a.tamperedId, a.droppedId].sort());
    expect(a.addressCheckFailed).toEqual([]);
    expect(report.results.gas!.batches.every((g) => g > 0n)).toBe(true);
  });

  it('hands the data key over as PNG QR codes decoded back from the pixels', () => {
    const q = report.results.qr!;
    expect(q).toMatchObject({ keyCardMatches: true, secretMatches: true, reportDecrypted: true });
    expect(q.files.length).toBeGreaterThanOrEqual(2);
    for (const f of q.files) expect(existsSync(f)).toBe(true);
  });
});

describe('the checks are not vacuous: without the attacks, exactly the "caught" checks fail', () => {
  let quiet: ScenarioReport;
  beforeAll(async () => {
    quiet = await runScenario({
      sensorsPerDistrict: 3,
      districts: ['harbour', 'old-town'],
      epoch: 2000,
      outDir,
      attacks: { firmware: false, duplicate: false, storage: false },
    });
  }, 180_000);

  it('fails the run (main exits 1) and names only the attack checks', () => {
    expect(quiet.ok).toBe(false);
    const failed = quiet.steps.flatMap((s) => s.checks.filter((c) => !c.ok).map((c) => `${s.id}: ${c.name}`));
    expect(failed).toEqual([
      'setup: attack: exactly one sensor boots tampered firmware',
      'upload: the tampered-firmware sensor was refused with PCR_MISMATCH and nothing was decrypted',
      'upload: the duplicate submission in the same epoch was caught by linking key images',
      'audit: the provider\'s misbehaviour was caught by random sampling from IPFS',
      'audit: full audit (Protocol I): exactly the two bad blocks fail on Fabric (address-mismatch: wrong bytes; data-unavailable: digest without data) and on the EVM',
    ]);
    expect(quiet.summary).toContain('FAILED');
    // Everything else still holds: all six sensors admitted, totals exact.
    expect(quiet.results.submissions.filter((o) => o.kind === 'first' && o.outcome === 'stored')).toHaveLength(6);
    expect(quiet.results.totals.every((t) => t.exact)).toBe(true);
  });
});

describe('submission block encoding', () => {
  it('round-trips and rejects truncated or extended blocks', () => {
    const s = { district: 'harbour', epoch: 7, ciphertext: Uint8Array.of(1, 2, 3), signature: Uint8Array.of(9) };
    const b = encodeSubmission(s);
    expect(decodeSubmission(b)).toEqual(s);
    expect(() => decodeSubmission(b.subarray(0, b.length - 1))).toThrow(RangeError);
    expect(() => decodeSubmission(Uint8Array.of(...b, 0))).toThrow(RangeError);
    expect(() => decodeSubmission(Uint8Array.of(0, ...b.subarray(1)))).toThrow(RangeError);
  });
});
