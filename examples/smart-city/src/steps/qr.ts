/**
 * Step 6: the health department receives the data key of the district report as QR codes. It shows its key card
 * (X25519 public key) as a PNG; the owner scans it, encrypts the data key to that key (envelope-wrapped secret), and
 * hands over a QR PNG; the health department decodes the PNG pixels, opens the secret and decrypts the report.
 * Optionally (`--passphrase`) a passphrase-wrapped copy (Argon2id, ~64 MiB) is produced as a fallback card.
 * @module
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex, equalBytes, getAead, randomBytes, utf8ToBytes, bytesToUtf8 } from '@privkit/core';
import {
  createAssembler,
  decodePng,
  encodeKeyCard,
  encodeSecret,
  openSecret,
  renderPng,
  toQr,
  type Payload,
  type Scan,
} from '@privkit/qr';
import { bytes, ms, type StepHandle } from '../report.js';
import type { World } from './setup.js';
import type { DistrictTotal } from './aggregate.js';
import { READING_NAMES } from './upload.js';

/** Result of the QR step. */
export interface QrResult {
  readonly files: readonly string[];
  readonly keyCardMatches: boolean;
  readonly secretMatches: boolean;
  readonly reportDecrypted: boolean;
  readonly passphraseMatches: boolean | undefined;
}

/** Writes every frame of a payload as PNG files; returns their paths. */
function writeQr(payload: Uint8Array, dir: string, name: string): string[] {
  // Up to version 25 the payloads here fit one symbol (the default, 10, would split a data key into UR frames).
  const frames = toQr(payload, { maxVersion: 25 });
  return frames.map((f, i) => {
    const file = join(dir, frames.length === 1 ? `${name}.png` : `${name}-${i + 1}.png`);
    writeFileSync(file, renderPng(f, { scale: 6 }));
    return file;
  });
}

/** Reads PNG files back to one payload (single symbol, or a multi-part sequence through an assembler). */
function readQr(files: readonly string[]): Payload {
  const scans: Scan[] = files.map((f) => decodePng(readFileSync(f)));
  const first = scans[0];
  if (!first) throw new Error('no QR image');
  if (first.type !== 'part') return first as Payload;
  const asm = createAssembler();
  for (const sc of scans) {
    if (sc.type === 'part') asm.receive(sc);
    if (asm.isComplete()) break;
  }
  return asm.result();
}

/** Runs the QR hand-over. */
export function runQrHandover(world: World, totals: readonly DistrictTotal[], outDir: string, s: StepHandle, options: { passphrase?: boolean } = {}): QrResult {
  mkdirSync(outDir, { recursive: true });
  const health = world.health;
  // The owner publishes the district report encrypted under a fresh data key (AES-256-GCM).
  const dataKey = randomBytes(32);
  const aead = getAead('aes-256-gcm');
  const nonce = randomBytes(aead.nonceLength);
  const aad = utf8ToBytes(`smart-city/report/e${world.epoch}`);
  const report = JSON.stringify({ epoch: world.epoch, totals: totals.map((t) => ({ district: t.district, ...Object.fromEntries(READING_NAMES.map((n, i) => [n, String(t.values[i])])) })) });
  const sealedReport = aead.seal(dataKey, nonce, utf8ToBytes(report), aad);

  // 1. Health department: key card of its X25519 public key, as a PNG.
  let t = performance.now();
  const card = encodeKeyCard({ keyType: 'x25519', publicKey: health.keys.publicKey, label: 'Dept. of Health: data keys', suite: 'X25519-SHA256-AES-256-GCM' });
  const cardFiles = writeQr(card, outDir, 'health-keycard');
  // 2. Owner scans it from the pixels.
  const scanned = readQr(cardFiles);
  const keyCardMatches = scanned.type === 'keyCard' && equalBytes(scanned.publicKey, health.keys.publicKey);
  const cardMs = performance.now() - t;
  s.fact(`key card: ${bytes(card.length)} payload → ${cardFiles.length} PNG (${cardFiles.map((f) => f.split('/').pop()).join(', ')}); fingerprint ${scanned.type === 'keyCard' ? bytesToHex(scanned.fingerprint).slice(0, 16) : '?'}… (${ms(cardMs)})`);
  s.check('the owner read the health department key card back from the PNG pixels', keyCardMatches);

  // 3. Owner: the data key, envelope-wrapped to the scanned key, as a QR PNG.
  t = performance.now();
  const recipient = scanned.type === 'keyCard' ? scanned.publicKey : health.keys.publicKey;
  const wrapped = encodeSecret({ secret: dataKey, recipient: { publicKey: recipient }, kind: 'data-key', label: `report e${world.epoch}` });
  const secretFiles = writeQr(wrapped, outDir, 'health-datakey');
  // 4. Health department: decode the PNG, open the secret with its secret key, decrypt the report.
  const got = readQr(secretFiles);
  let opened: Uint8Array | undefined;
  try {
    opened = got.type === 'envelopeSecret' ? openSecret(got, { secretKey: health.keys.secretKey }) : undefined;
  } catch {
    opened = undefined;
  }
  const secretMatches = opened !== undefined && equalBytes(opened, dataKey);
  let reportDecrypted = false;
  try {
    reportDecrypted = opened !== undefined && bytesToUtf8(aead.open(opened, nonce, sealedReport, aad)) === report;
  } catch {
    reportDecrypted = false;
  }
  s.fact(`envelope-wrapped data key: ${bytes(wrapped.length)} payload → ${secretFiles.length} PNG (${secretFiles.map((f) => f.split('/').pop()).join(', ')}) in ${ms(performance.now() - t)}`);
  s.fact(`encrypted district report: ${bytes(sealedReport.length)} (AES-256-GCM under the data key)`);
  s.check('the data key decoded from the PNG and opened by the health department equals the original', secretMatches);
  s.check('the health department decrypted the district report with it', reportDecrypted);

  // 5. Optional fallback: the same key under a passphrase (Argon2id), e.g. printed for a sealed envelope.
  let passphraseMatches: boolean | undefined;
  const files = [...cardFiles, ...secretFiles];
  if (options.passphrase === true) {
    t = performance.now();
    const passphrase = 'correct horse battery staple — smart city 2026';
    const pw = encodeSecret({ secret: dataKey, passphrase, kind: 'data-key', label: `report e${world.epoch} (passphrase)` });
    const pwFiles = writeQr(pw, outDir, 'health-datakey-passphrase');
    const back = readQr(pwFiles);
    passphraseMatches = back.type === 'passphraseSecret' && equalBytes(openSecret(back, { passphrase }), dataKey);
    files.push(...pwFiles);
    s.fact(`passphrase-wrapped copy (Argon2id m=${back.type === 'passphraseSecret' ? back.kdf.m : '?'} KiB, t=${back.type === 'passphraseSecret' ? back.kdf.t : '?'}): ${bytes(pw.length)} → ${pwFiles.map((f) => f.split('/').pop()).join(', ')} in ${ms(performance.now() - t)}`);
    s.check('the passphrase-wrapped copy decodes from its PNG to the same data key', passphraseMatches);
  }
  return { files, keyCardMatches, secretMatches, reportDecrypted, passphraseMatches };
}
