/**
 * The smart-city data-sharing scenario: every PrivKit package in one run, on embedded defaults (no services).
 *
 * Organisations: the City Transport Authority (data owner: runs the sensor gateways, holds the HE secret key, writes
 * the integrity records), GridCo Energy (consumer: runs the homomorphic aggregator and audits cloud storage) and the
 * Department of Health (stakeholder: receives a data key as QR codes).
 *
 * 1. setup       keys of the three organisations; sensors with attestation keys, measured firmware, ring keys
 * 2. upload      attested uploads (SM2-SM3-SM4 and HPKE) carrying HE ciphertexts + epoch-scoped ring signatures
 * 3. aggregate   homomorphic district totals, decrypted only by the owner, equal to the plaintext sums
 * 4. ledgers     the embedded EVM (registry contract deployed) and the Fabric test harness
 * 5. anchor      sealed blocks on embedded IPFS; Merkle batches on the EVM, per-block records on Fabric, both with
 *                CIDs and the records gateway's device proof
 * 6. audit       the consumer samples and audits blocks from an IPFS storage provider that serves wrong bytes for one
 *                CID and dropped another block
 * 7. qr          key card and data key as PNG QR codes, decoded back from the pixels
 * @module
 */
import { fileURLToPath } from 'node:url';
import { formatSummary, Reporter, type StepReport } from './report.js';
import { runAggregation, type DistrictTotal } from './steps/aggregate.js';
import { anchorBlocks, auditStorage, startLedgers, type AuditResult, type LedgerBase, type Ledgers } from './steps/ledger.js';
import { runQrHandover, type QrResult } from './steps/qr.js';
import { setupWorld, type World } from './steps/setup.js';
import { runUploads, type SubmissionOutcome } from './steps/upload.js';

/** Options of {@link runScenario}. */
export interface ScenarioOptions {
  /** District names (default `harbour`, `old-town`). */
  districts?: readonly string[];
  /** Sensors per district (default 12; at least 3). */
  sensorsPerDistrict?: number;
  /** The epoch number of the run (default: hours since the Unix epoch). */
  epoch?: number;
  /** Where the QR PNG files go (default `examples/smart-city/out`). */
  outDir?: string;
  /** Also produce the passphrase-wrapped QR copy (Argon2id m = 64 MiB, t = 2: seconds of CPU; default false). */
  passphraseCard?: boolean;
  /**
   * The attacks the run stages (all on by default): a sensor booting tampered firmware, a sensor submitting twice in
   * an epoch, cloud storage altering a block. Turning one off makes the checks that expect it to be caught fail —
   * the test uses this to show the checks are not vacuous.
   */
  attacks?: { firmware?: boolean; duplicate?: boolean; storage?: boolean };
  /** Receives each step's text as it completes (e.g. `console.log`). */
  log?: (text: string) => void;
}

/** The structured result of a run. */
export interface ScenarioReport {
  /** True when every check of every step passed. */
  readonly ok: boolean;
  readonly totalMs: number;
  readonly steps: readonly StepReport[];
  /** The text summary (also passed to `log`). */
  readonly summary: string;
  readonly results: {
    readonly sensors: number;
    readonly submissions: readonly Omit<SubmissionOutcome, 'signature'>[];
    readonly totals: readonly DistrictTotal[];
    readonly audit: AuditResult | undefined;
    readonly qr: QrResult | undefined;
    readonly gas: Ledgers['gas'] | undefined;
  };
}

/** Default output directory of the QR PNG files. */
export const DEFAULT_OUT_DIR = fileURLToPath(new URL('../out', import.meta.url));

/**
 * Runs the whole scenario and returns its report. Never throws for a failed check (see `ok`); a step that throws is
 * recorded as a failed check and ends the run early.
 */
export async function runScenario(options: ScenarioOptions = {}): Promise<ScenarioReport> {
  const districts = options.districts ?? ['harbour', 'old-town'];
  const perDistrict = options.sensorsPerDistrict ?? 12;
  if (!Number.isInteger(perDistrict) || perDistrict < 3) throw new RangeError('sensorsPerDistrict must be an integer ≥ 3');
  if (districts.length < 1) throw new RangeError('at least one district');
  const epoch = options.epoch ?? Math.floor(Date.now() / 3_600_000);
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const attacks = options.attacks ?? {};
  const r = new Reporter(options.log);
  const t0 = performance.now();
  let world: World | undefined;
  let ledgers: LedgerBase | undefined;
  let anchored: Ledgers | undefined;
  let submissions: SubmissionOutcome[] = [];
  let totals: DistrictTotal[] = [];
  let audit: AuditResult | undefined;
  let qr: QrResult | undefined;
  let gas: Ledgers['gas'] | undefined;
  try {
    const w = (world = await r.step('setup', 'Organisations, keys and the sensor fleet', (s) => setupWorld({ districts, sensorsPerDistrict: perDistrict, epoch, tamperFirmware: attacks.firmware !== false }, s)));
    const uploads = await r.step('upload', `Attested uploads with epoch-scoped ring signatures (epoch ${epoch})`, (s) => runUploads(w, s, { duplicate: attacks.duplicate !== false }));
    submissions = [...uploads.outcomes];
    totals = await r.step('aggregate', 'Homomorphic aggregation per district (BFV): only the owner decrypts', (s) => runAggregation(w, uploads, s));
    const l = (ledgers = await r.step('ledgers', 'Ledgers: embedded EVM + Fabric test harness', (s) => startLedgers(s)));
    const a = (anchored = await r.step('anchor', 'Sealed blocks on embedded IPFS; integrity records with CIDs and device proofs on the EVM and Fabric', (s) => anchorBlocks(w, uploads, l, s)));
    gas = a.gas;
    audit = await r.step('audit', 'GridCo audits the IPFS storage provider (wrong bytes for one CID, one block dropped)', (s) => auditStorage(w, a, s, { tamper: attacks.storage !== false }));
    qr = await r.step('qr', 'Data key for the Department of Health as QR PNG files', (s) =>
      runQrHandover(w, totals, outDir, s, options.passphraseCard === undefined ? {} : { passphrase: options.passphraseCard }),
    );
  } catch {
    // Recorded by the reporter as a failed check of the step that threw.
  } finally {
    await ledgers?.fabric.close().catch(() => undefined);
    await anchored?.storage.close().catch(() => undefined);
    world?.deviceHe.dispose();
    world?.transport.heContext.dispose();
  }
  const totalMs = performance.now() - t0;
  const summary = formatSummary(r.steps, totalMs);
  options.log?.(summary);
  return {
    ok: r.ok,
    totalMs,
    steps: r.steps,
    summary,
    results: {
      sensors: world?.sensors.length ?? 0,
      submissions: submissions.map(({ signature: _, ...o }) => o),
      totals,
      audit,
      qr,
      gas,
    },
  };
}
