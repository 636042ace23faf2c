/**
 * Channels (PrivySharing separates data types by channel): one service, the city's, writes health data to the
 * `health` channel (City + Hospital) and energy data to the `energy` channel (City + GridCo). Each channel is its
 * own ledger with its own members: the other channel's members see neither records nor anchors, and the same id on
 * two channels names two independent records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hpke } from '@privkit/envelope';
import { createFabricAdapter, createIntegrityService, type LedgerAdapter } from '@privkit/ledger';
import { createFabricTestNetwork, type FabricTestNetwork } from '@privkit/ledger/testing';

const suite = hpke.suite(0x0020, 0x0001, 0x0002);
let net: FabricTestNetwork;
const CITY = 0;
const GRID = 1;
const HOSPITAL = 2;

beforeAll(async () => {
  net = await createFabricTestNetwork({
    orgs: ['CityMSP', 'GridCoMSP', 'HospitalMSP'],
    channels: [
      { name: 'health', orgs: ['CityMSP', 'HospitalMSP'] },
      { name: 'energy', orgs: ['CityMSP', 'GridCoMSP'] },
    ],
  });
}, 60_000);
afterAll(async () => net?.close());

const on = (i: number, channel: string, peer?: string) => createFabricAdapter(net.connect(i, peer ? { channel, peer } : { channel }));

describe('one service writing to two channels with different members', () => {
  it('routes each data type to its channel; members of one channel cannot see the other', async () => {
    // The city's service: one identity, one gateway connection per channel.
    const city = { health: await on(CITY, 'health'), energy: await on(CITY, 'energy') };
    const cityKeys = suite.kem.generateKeyPair();
    const hospitalKeys = suite.kem.generateKeyPair();
    const gridKeys = suite.kem.generateKeyPair();
    const services = { health: createIntegrityService(city.health), energy: createIntegrityService(city.energy) };
    const reading = new TextEncoder().encode('ward 3: 41 patients');
    const meter = new TextEncoder().encode('substation 7: 3.2 MWh');
    await services.health.recordBlock('2026-12/b0', reading, { recipients: [cityKeys.publicKey] });
    await services.energy.recordBlock('2026-12/b0', meter, { recipients: [cityKeys.publicKey] }); // same id, other channel
    const hospital = await on(HOSPITAL, 'health');
    const grid = await on(GRID, 'energy');
    await services.health.share('2026-12/b0', { secretKey: cityKeys.secretKey, recipients: [cityKeys.publicKey, hospitalKeys.publicKey], reader: hospital.identity });
    await services.energy.share('2026-12/b0', { secretKey: cityKeys.secretKey, recipients: [cityKeys.publicKey, gridKeys.publicKey], reader: grid.identity });

    // Each consumer verifies its own channel's block.
    expect((await createIntegrityService(hospital).verifyBlock('2026-12/b0', reading, hospitalKeys.secretKey)).intact).toBe(true);
    expect((await createIntegrityService(grid).verifyBlock('2026-12/b0', meter, gridKeys.secretKey)).intact).toBe(true);
    // The same id is an independent record per channel.
    expect((await city.health.getAnchor('2026-12/b0')).anchor).not.toEqual((await city.energy.getAnchor('2026-12/b0')).anchor);

    // GridCo is not a member of `health`: even through the city's gateway, the channel refuses it (not even anchors).
    const gridOnHealth: LedgerAdapter | unknown = await on(GRID, 'health', 'CityMSP').catch((e: unknown) => e);
    expect(gridOnHealth).toMatchObject({ code: 'LEDGER_ACCESS_DENIED' });
    // …and its own peer has not joined `health` at all.
    await expect(createFabricAdapter(net.connect(GRID, { channel: 'health' }))).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
    // Nothing of `health` is on the `energy` ledger and vice versa (one ledger per channel).
    const healthKeys = net.inspect('health').publicKeys;
    const energyKeys = net.inspect('energy').publicKeys;
    expect(healthKeys.length).toBeGreaterThan(0);
    expect(net.inspect('energy').privateDataHashes.size).toBe(1);
    expect(net.inspect('health').privateData.get('GridCoMSP')!.size).toBe(0);
    expect(net.inspect('energy').privateData.get('HospitalMSP')!.size).toBe(0);
    expect(energyKeys.filter((k) => k.includes('grant') && k.includes('HospitalMSP'))).toEqual([]);
  });
});
