/**
 * Step 1: the three organisations, their keys, and the sensor fleet (attestation keys, measured firmware in PCR
 * banks, ring-signature keys, the owner's HE public key provisioned as bytes).
 * @module
 */
import { bytesToHex, randomBytes, utf8ToBytes } from '@privkit/core';
import { hpke, suites, type KeyPair, type SuiteName } from '@privkit/envelope';
import {
  createAttestationKey,
  createNonceRegistry,
  createPcrBank,
  createUploadReceiver,
  type AttestationKey,
  type PcrBank,
  type PcrBankAlg,
  type PcrValues,
  type SensorRecord,
  type UploadReceiver,
} from '@privkit/attest';
import { keygen as ringKeygen } from '@privkit/ring-sig';
import { createAggregationContext, type AggregationContext, type HeOwner } from '@privkit/he';
import { bytes, type StepHandle } from '../report.js';

/** Envelope suite of the national-standard sensors. */
export const SM_SUITE: SuiteName = 'SM2-SM3-SM4';
/** Envelope suite of the HPKE sensors (RFC 9180 DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM). */
export const HPKE_SUITE: SuiteName = 'X25519-SHA256-AES-256-GCM';
/** PCRs every sensor quotes: 0 = firmware, 7 = secure-boot policy, 16 = sensor application. */
export const PCR_SELECTION = Object.freeze([0, 7, 16] as const);
/** Largest absolute reading a device encrypts (public HE parameter). */
export const MAX_ABS_READING = 65_535;

/** The reference (golden) images the fleet is registered with. */
const GOLDEN = Object.freeze({
  firmware: utf8ToBytes('city-sensor-firmware v4.2.0 build 2026-10-30 sha:9f3c1e'),
  secureBoot: utf8ToBytes('secure-boot: enabled; db=CityPKI-2026; dbx=2026-09'),
  app: utf8ToBytes('reading-agent v1.8.3 (traffic, energy, air quality)'),
});
/** The firmware image of the compromised sensor (one byte patched: a debug backdoor). */
const TAMPERED_FIRMWARE = utf8ToBytes('city-sensor-firmware v4.2.0 build 2026-10-30 sha:9f3c1e+debug-shell');

/** An organisation's X25519 envelope key pair (HPKE KEM keys). */
export type Keys = KeyPair;

/** A simulated sensor. */
export interface Sensor {
  readonly id: string;
  readonly district: string;
  readonly suite: SuiteName;
  readonly ak: AttestationKey;
  readonly bank: PcrBank;
  readonly ringKeys: { secretKey: Uint8Array; publicKey: Uint8Array };
  /** True for the sensor whose firmware PCR does not match the registered value. */
  readonly tamperedFirmware: boolean;
}

/** A receiving gateway of the transport authority for one envelope suite. */
export interface Gateway {
  readonly suite: SuiteName;
  readonly kemKeys: Keys;
  readonly signer: AttestationKey;
  readonly receiver: UploadReceiver;
}

/** Everything set up in step 1. */
export interface World {
  readonly districts: readonly string[];
  readonly epoch: number;
  readonly transport: {
    readonly name: string;
    readonly gateways: { readonly sm: Gateway; readonly hpke: Gateway };
    readonly recordKeys: Keys;
    readonly heContext: AggregationContext;
    readonly heOwner: HeOwner;
    /** The owner's HE public key as it travels to devices. */
    readonly hePublicKey: Uint8Array;
  };
  readonly energy: { readonly name: string; readonly recordKeys: Keys };
  readonly health: { readonly name: string; readonly keys: Keys };
  readonly sensors: readonly Sensor[];
  /** The registered sensors' ring public keys, in registration order (the ring). */
  readonly ring: readonly Uint8Array[];
  /** The device-side HE context (the library instance on the sensors). */
  readonly deviceHe: AggregationContext;
}

const x25519Kem = () => hpke.suite(...suites[HPKE_SUITE]).kem;
const sm2Kem = () => hpke.suite(...suites[SM_SUITE]).kem;

function goldenPcrs(alg: PcrBankAlg): PcrValues {
  const bank = createPcrBank(alg);
  bank.measure(0, GOLDEN.firmware);
  bank.measure(7, GOLDEN.secureBoot);
  bank.measure(16, GOLDEN.app);
  return bank.pcrValues(PCR_SELECTION);
}

/** Options of {@link setupWorld}. */
export interface SetupOptions {
  districts: readonly string[];
  sensorsPerDistrict: number;
  epoch: number;
  /** Boot one sensor with a patched firmware image (default true). */
  tamperFirmware?: boolean;
}

/** The index (within the last district) of the sensor with tampered firmware. */
export function tamperedSensorIndex(perDistrict: number): number {
  return Math.min(2, perDistrict - 1);
}

/** Builds organisations, gateways and the sensor fleet. */
export async function setupWorld(o: SetupOptions, s: StepHandle): Promise<World> {
  const registry = createNonceRegistry();
  const expected = { sha256: goldenPcrs('sha256'), sm3: goldenPcrs('sm3') } as const;
  const registered = new Map<string, SensorRecord>();
  const sensorsLookup = (name: Uint8Array) => registered.get(bytesToHex(name));
  const gateway = (suite: SuiteName, kemKeys: Keys, signer: AttestationKey): Gateway => ({
    suite,
    kemKeys,
    signer,
    receiver: createUploadReceiver({ registry, secretKey: kemKeys.secretKey, signingKey: signer, sensors: sensorsLookup, suites: [suite] }),
  });
  const gateways = {
    sm: gateway(SM_SUITE, sm2Kem().generateKeyPair(), createAttestationKey('sm2')),
    hpke: gateway(HPKE_SUITE, x25519Kem().generateKeyPair(), createAttestationKey('ecdsa-p256')),
  };

  const t0 = performance.now();
  const heContext = await createAggregationContext({ maxAbsReading: MAX_ABS_READING });
  const heOwner = heContext.keygen();
  const hePublicKey = heOwner.publicKey.serialize();
  const deviceHe = await createAggregationContext({ maxAbsReading: MAX_ABS_READING });
  const heMs = performance.now() - t0;

  const sensors: Sensor[] = [];
  const lastDistrict = o.districts[o.districts.length - 1]!;
  for (const district of o.districts) {
    for (let i = 0; i < o.sensorsPerDistrict; i++) {
      const sm = i % 2 === 0;
      const ak = createAttestationKey(sm ? 'sm2' : 'ecdsa-p256');
      const bank = createPcrBank(sm ? 'sm3' : 'sha256');
      const tamperedFirmware = o.tamperFirmware !== false && district === lastDistrict && i === tamperedSensorIndex(o.sensorsPerDistrict);
      bank.measure(0, tamperedFirmware ? TAMPERED_FIRMWARE : GOLDEN.firmware);
      bank.measure(7, GOLDEN.secureBoot);
      bank.measure(16, GOLDEN.app);
      // Registration: the authority records the AK and the PCR values of the *reference* images (not the device's).
      registered.set(bytesToHex(ak.name), { publicKey: ak.publicKey, expectedPcrs: sm ? expected.sm3 : expected.sha256 });
      sensors.push({
        id: `${district}-s${String(i + 1).padStart(2, '0')}`,
        district,
        suite: sm ? SM_SUITE : HPKE_SUITE,
        ak,
        bank,
        ringKeys: ringKeygen(randomBytes(32)),
        tamperedFirmware,
      });
    }
  }
  const world: World = {
    districts: o.districts,
    epoch: o.epoch,
    transport: { name: 'City Transport Authority (data owner)', gateways, recordKeys: x25519Kem().generateKeyPair(), heContext, heOwner, hePublicKey },
    energy: { name: 'GridCo Energy (consumer, runs the aggregator)', recordKeys: x25519Kem().generateKeyPair() },
    health: { name: 'Department of Health (stakeholder)', keys: x25519Kem().generateKeyPair() },
    sensors,
    ring: sensors.map((x) => x.ringKeys.publicKey),
    deviceHe,
  };

  const nSm = sensors.filter((x) => x.suite === SM_SUITE).length;
  s.fact(`${world.transport.name}: gateways for ${SM_SUITE} (SM2 KEM key, SM2 response signer) and ${HPKE_SUITE} (X25519, ECDSA P-256)`);
  s.fact(`${world.energy.name}; ${world.health.name}`);
  s.fact(`${sensors.length} sensors in ${o.districts.length} districts (${o.districts.join(', ')}): ${nSm} national-standard (SM2 AK, SM3 PCR bank), ${sensors.length - nSm} HPKE (ECDSA P-256 AK, SHA-256 PCR bank)`);
  s.fact(`PCRs ${PCR_SELECTION.join(', ')} measured at boot (firmware, secure-boot policy, agent); registered against the reference images`);
  s.fact(`HE (BFV bfv-4096, |reading| ≤ ${MAX_ABS_READING}): owner key pair + device context in ${(heMs / 1000).toFixed(2)} s; public key to devices: ${bytes(hePublicKey.length)}`);
  s.fact(`ring of ${world.ring.length} registered ristretto255 keys (32 B each)`);
  s.check('every sensor has a distinct attestation key and ring key', new Set(sensors.map((x) => bytesToHex(x.ak.name))).size === sensors.length && new Set(world.ring.map(bytesToHex)).size === sensors.length);
  s.check('attack: exactly one sensor boots tampered firmware', sensors.filter((x) => x.tamperedFirmware).length === 1, sensors.find((x) => x.tamperedFirmware)?.id);
  return world;
}
