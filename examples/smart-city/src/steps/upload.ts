/**
 * Step 2: sensors submit one block per epoch through the attested upload protocol. Each block carries the BFV
 * ciphertext of the sensor's readings and a linkable ring signature over the registered sensors, scoped to the
 * epoch. The gateway verifies the quote (PCRs, nonce, payload binding), opens the envelope, verifies the ring
 * signature and refuses a second key image in the same epoch.
 * @module
 */
import { bytesToHex, randomBytes } from '@privkit/core';
import { createAttestedUpload, verifyUploadResponse, type ReceiveResult, type UploadStatus } from '@privkit/attest';
import { createRingContext, encode, keyImage, linked, sign, type RingContext } from '@privkit/ring-sig';
import { decodeSubmission, encodeSubmission, ringScope, submissionMessage, type Submission } from '../block.js';
import { bytes, ms, type StepHandle } from '../report.js';
import { PCR_SELECTION, SM_SUITE, type Gateway, type Sensor, type World } from './setup.js';

/** Names of the readings each sensor reports per epoch (one BFV slot each). */
export const READING_NAMES = Object.freeze(['vehicles counted', 'energy used (kWh)', 'PM2.5 (0.1 µg/m³)'] as const);
const READING_RANGES = [4_000, 9_000, 800] as const;

/** What happened to one submission. */
export interface SubmissionOutcome {
  readonly sensorId: string;
  readonly district: string;
  readonly epoch: number;
  readonly kind: 'first' | 'duplicate' | 'next-epoch' | 'replay';
  readonly suite: string;
  readonly readings: readonly number[];
  readonly uploadBytes: number;
  /** Status returned by the gateway's attested-upload receiver. */
  readonly attestStatus: UploadStatus;
  /** Status the sensor read from the signed response (verified against the gateway's key). */
  readonly sensorSawStatus: UploadStatus | 'INVALID_RESPONSE';
  readonly failureCodes: readonly string[];
  /** Whether anything was decrypted by the gateway. */
  readonly decrypted: boolean;
  readonly ringValid: boolean | undefined;
  readonly keyImage: string | undefined;
  /** The ring signature the gateway received (when the upload was opened). */
  readonly signature: Uint8Array | undefined;
  readonly outcome: 'stored' | 'refused-attestation' | 'refused-duplicate' | 'refused-ring';
  readonly blockId: string | undefined;
}

/** A stored block. */
export interface StoredBlock {
  readonly id: string;
  readonly district: string;
  readonly block: Uint8Array;
}

/** Result of the upload step. */
export interface UploadResult {
  readonly outcomes: readonly SubmissionOutcome[];
  /** Blocks accepted for the main epoch, per district (these are aggregated and anchored). */
  readonly blocks: ReadonlyMap<string, readonly StoredBlock[]>;
  /** Blocks accepted for the next epoch. */
  readonly nextEpochBlocks: readonly StoredBlock[];
  /** The sensor that tried to submit twice. */
  readonly duplicateSensorId: string;
}

function randomReadings(): number[] {
  const r = randomBytes(4 * READING_RANGES.length);
  const dv = new DataView(r.buffer, r.byteOffset, r.byteLength);
  return READING_RANGES.map((max, i) => dv.getUint32(4 * i) % (max + 1));
}

/** Runs the submissions of the main epoch, a duplicate, a replay and a next-epoch submission. */
export function runUploads(world: World, s: StepHandle, options: { duplicate?: boolean } = {}): UploadResult {
  // Gateway state: one ring context (decoded members and hash points cached; no fixed-base tables: building them
  // costs more than they save for two dozen verifications per epoch) and the key images seen per epoch.
  let ringContext: RingContext | undefined;
  const seen = new Map<number, Map<string, Uint8Array>>();
  const outcomes: SubmissionOutcome[] = [];
  const blocks = new Map<string, StoredBlock[]>(world.districts.map((d) => [d, []]));
  const nextEpochBlocks: StoredBlock[] = [];
  const timing = { he: 0, sign: 0, upload: 0, receive: 0, ring: 0, n: 0 };
  const sizes = { ct: 0, sig: 0, upload: 0 };
  const firstSigs = new Map<string, Uint8Array>();
  const acceptedUploads = new Map<string, { upload: Uint8Array; gateway: Gateway }>();

  const submit = (sensor: Sensor, epoch: number, kind: SubmissionOutcome['kind'], replayOf?: { upload: Uint8Array; gateway: Gateway }) => {
    const gateway = sensor.suite === SM_SUITE ? world.transport.gateways.sm : world.transport.gateways.hpke;
    const readings = replayOf ? [] : randomReadings();
    let upload: Uint8Array;
    let sigBytes: Uint8Array | undefined;
    if (replayOf) {
      upload = replayOf.upload;
    } else {
      // Device: encrypt the readings under the owner's HE public key (bytes), sign the block in the ring.
      let t = performance.now();
      const device = world.deviceHe.device(world.transport.hePublicKey);
      const ct = device.encrypt(readings);
      const ctBytes = ct.serialize();
      ct.dispose();
      device.dispose();
      timing.he += performance.now() - t;
      t = performance.now();
      const message = submissionMessage(sensor.district, epoch, ctBytes);
      sigBytes = encode(sign(message, world.ring, sensor.ringKeys.secretKey, { scope: ringScope(epoch) }));
      timing.sign += performance.now() - t;
      const block = encodeSubmission({ district: sensor.district, epoch, ciphertext: ctBytes, signature: sigBytes });
      // Attested upload: challenge from the gateway, envelope to its KEM key, quote over PCRs ‖ nonce ‖ Updata.
      t = performance.now();
      const challenge = gateway.receiver.challenge();
      upload = createAttestedUpload({
        challenge,
        reading: block,
        receiverPublicKey: gateway.kemKeys.publicKey,
        suite: sensor.suite,
        bank: sensor.bank,
        selection: PCR_SELECTION,
        key: sensor.ak,
      });
      timing.upload += performance.now() - t;
      sizes.ct = ctBytes.length;
      sizes.sig = sigBytes.length;
      sizes.upload = Math.max(sizes.upload, upload.length);
      timing.n++;
    }
    let t = performance.now();
    const res: ReceiveResult = gateway.receiver.receive(upload);
    timing.receive += performance.now() - t;
    let sensorSawStatus: SubmissionOutcome['sensorSawStatus'];
    try {
      sensorSawStatus = verifyUploadResponse(res.response, { receiverKey: gateway.signer.publicKey, upload }).status;
    } catch {
      sensorSawStatus = 'INVALID_RESPONSE';
    }
    const base = {
      sensorId: sensor.id,
      district: sensor.district,
      epoch,
      kind,
      suite: sensor.suite,
      readings,
      uploadBytes: upload.length,
      attestStatus: res.status,
      sensorSawStatus,
      failureCodes: res.accepted ? [] : res.failures.map((f) => f.code),
      decrypted: 'reading' in res,
    };
    if (!res.accepted) {
      return outcomes.push({ ...base, ringValid: undefined, keyImage: undefined, signature: undefined, outcome: 'refused-attestation', blockId: undefined });
    }
    if (kind === 'first') acceptedUploads.set(sensor.id, { upload, gateway });
    // Gateway admission: parse the block, verify the ring signature in the epoch's scope, check the key image.
    t = performance.now();
    let sub: Submission;
    try {
      sub = decodeSubmission(res.reading);
    } catch {
      return outcomes.push({ ...base, ringValid: false, keyImage: undefined, signature: undefined, outcome: 'refused-ring', blockId: undefined });
    }
    const message = submissionMessage(sub.district, sub.epoch, sub.ciphertext);
    const ringValid = sub.epoch === epoch && world.districts.includes(sub.district) && (ringContext ??= createRingContext(world.ring, { precompute: false })).verify(sub.signature, message, { scope: ringScope(sub.epoch) });
    timing.ring += performance.now() - t;
    if (!ringValid) return outcomes.push({ ...base, ringValid, keyImage: undefined, signature: sub.signature, outcome: 'refused-ring', blockId: undefined });
    const image = bytesToHex(keyImage(sub.signature));
    let images = seen.get(sub.epoch);
    if (!images) seen.set(sub.epoch, (images = new Map()));
    if (images.has(image)) {
      return outcomes.push({ ...base, ringValid, keyImage: image, signature: sub.signature, outcome: 'refused-duplicate', blockId: undefined });
    }
    images.set(image, sub.signature);
    // The stored block is named by its epoch and key image: pseudonymous, the sensor identity stays at the gateway.
    const id = `smart-city/${sub.district}/e${sub.epoch}/${image.slice(0, 16)}`;
    const stored = { id, district: sub.district, block: res.reading };
    if (sub.epoch === world.epoch) blocks.get(sub.district)!.push(stored);
    else nextEpochBlocks.push(stored);
    if (kind === 'first') firstSigs.set(sensor.id, sub.signature);
    return outcomes.push({ ...base, ringValid, keyImage: image, signature: sub.signature, outcome: 'stored', blockId: id });
  };

  for (const sensor of world.sensors) submit(sensor, world.epoch, 'first');
  const dupSensor = world.sensors[1]!;
  if (options.duplicate !== false) submit(dupSensor, world.epoch, 'duplicate');
  submit(dupSensor, world.epoch, 'replay', acceptedUploads.get(dupSensor.id));
  submit(dupSensor, world.epoch + 1, 'next-epoch');

  // ---- report and checks ----
  const first = outcomes.filter((o) => o.kind === 'first');
  const honest = first.filter((o) => !world.sensors.find((x) => x.id === o.sensorId)!.tamperedFirmware);
  const bad = first.find((o) => world.sensors.find((x) => x.id === o.sensorId)!.tamperedFirmware);
  const dup = outcomes.find((o) => o.kind === 'duplicate');
  const replay = outcomes.find((o) => o.kind === 'replay')!;
  const next = outcomes.find((o) => o.kind === 'next-epoch')!;
  const bySuite = (suite: string) => honest.filter((o) => o.suite === suite && o.outcome === 'stored').length;
  const nSm = bySuite(SM_SUITE);
  const nHpke = bySuite(world.transport.gateways.hpke.suite);
  const avg = (x: number) => ms(x / Math.max(1, timing.n));

  s.fact(`epoch ${world.epoch}: ${first.length} submissions, ${first.filter((o) => o.outcome === 'stored').length} stored (${nSm} via ${SM_SUITE}, ${nHpke} via HPKE)`);
  for (const district of world.districts) {
    const line = first
      .filter((o) => o.district === district)
      .map((o) => `${o.sensorId.slice(district.length + 1)} ${o.outcome === 'stored' ? '✔' : '✘'} ${o.suite === SM_SUITE ? 'SM' : 'HPKE'}`)
      .join(' · ');
    s.fact(`  ${district}: ${line}`);
  }
  s.fact(`block = BFV ciphertext ${bytes(sizes.ct)} + CLSAG ring signature ${bytes(sizes.sig)} (ring of ${world.ring.length}); attested upload ≤ ${bytes(sizes.upload)}`);
  s.fact(`per submission: HE encrypt ${avg(timing.he)}, ring sign ${avg(timing.sign)}, seal + quote ${avg(timing.upload)}, gateway verify quote + open ${avg(timing.receive)}, ring verify ${ms(timing.ring / Math.max(1, outcomes.filter((o) => o.ringValid !== undefined).length))}`);
  if (bad) s.fact(`${bad.sensorId} (tampered firmware PCR 0): ${bad.attestStatus} [${bad.failureCodes.join(', ')}], decrypted: ${bad.decrypted ? 'yes' : 'nothing'}`);
  if (dup) s.fact(`${dup.sensorId} submits again in epoch ${world.epoch}: attestation ${dup.attestStatus}, ring signature ${dup.ringValid ? 'valid' : 'invalid'}, key image ${dup.keyImage?.slice(0, 16)}… already seen → ${dup.outcome}`);
  s.fact(`replayed upload: ${replay.attestStatus}; ${next.sensorId} in epoch ${world.epoch + 1}: ${next.outcome}, key image ${next.keyImage?.slice(0, 16)}…`);

  s.check('every honest sensor was attested, decrypted and admitted', honest.length > 0 && honest.every((o) => o.attestStatus === 'ACCEPTED' && o.outcome === 'stored'), `${honest.length} sensors`);
  s.check(`both envelope suites carried uploads (${SM_SUITE} and HPKE X25519)`, nSm > 0 && nHpke > 0, `${nSm} + ${nHpke}`);
  s.check('every sensor verified the gateway-signed response and read the same status', outcomes.every((o) => o.sensorSawStatus === o.attestStatus));
  s.check(
    'the tampered-firmware sensor was refused with PCR_MISMATCH and nothing was decrypted',
    bad !== undefined && bad.attestStatus === 'PCR_MISMATCH' && bad.failureCodes.includes('QUOTE_PCR_DIGEST_MISMATCH') && !bad.decrypted && bad.outcome === 'refused-attestation',
    bad ? `${bad.attestStatus} [${bad.failureCodes.join(', ')}]` : 'no such upload',
  );
  const dupFirst = firstSigs.get(dupSensor.id);
  const dupLinked = dupFirst !== undefined && dup?.signature !== undefined && linked(dupFirst, dup.signature);
  s.check(
    'the duplicate submission in the same epoch was caught by linking key images',
    dup !== undefined && dup.attestStatus === 'ACCEPTED' && dup.ringValid === true && dup.outcome === 'refused-duplicate' && dupLinked,
    `linked(first, second) = ${dupLinked}`,
  );
  s.check('a replayed upload was refused (nonce accepted once)', replay.attestStatus === 'NONCE_REPLAYED' && !replay.decrypted);
  const nextSig = next.signature;
  const nextLinked = nextSig !== undefined && dupFirst !== undefined && linked(nextSig, dupFirst);
  s.check(
    `the same sensor's submission in epoch ${world.epoch + 1} is accepted and not linked`,
    next.outcome === 'stored' && nextSig !== undefined && !nextLinked && next.keyImage !== outcomes.find((o) => o.kind === 'first' && o.sensorId === dupSensor.id)?.keyImage,
    `linked = ${nextLinked}`,
  );
  return { outcomes, blocks, nextEpochBlocks, duplicateSensorId: dupSensor.id };
}
