/**
 * Integration test against a REAL Fabric network (e.g. fabric-samples test-network, or a network built from the
 * official sources, with this chaincode deployed: README "Deploying the chaincode"). It runs only when
 * PRIVKIT_FABRIC_CONFIG names a JSON file:
 *   { "channel": "mychannel", "chaincode": "privkit",
 *     "gateways": { "org1": { "endpoint": "localhost:7051", "hostAlias": "peer0.org1.example.com", "tlsCert": "<peer TLS CA PEM>" },
 *                   "org2": { "endpoint": "localhost:9051", … } },
 *     "identities": [ { "mspId": "Org1MSP", "cert": "<path>", "key": "<path>", "gateway": "org1" }, { "mspId": "Org2MSP", …, "gateway": "org2" } ],
 *     "readyTimeoutMs": 120000, "conformanceRuns": 4 }
 * Each identity connects through its own organisation's gateway (`gateway`; a top-level "endpoint"/"hostAlias"/
 * "tlsCert" is the default gateway). Without `tlsCert` the connection is plaintext. The test waits for each gateway to
 * be ready, runs a scenario in which every operation succeeds at least once for every identity (as owner and as a
 * cross-organisation reader), then the shared conformance suite. Without the variable the test is skipped, by
 * design: no Fabric network can run on this CI machine (no Docker engine); the scenario also runs on the harness.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers } from '@hyperledger/fabric-gateway';
import { describe, expect, it } from 'vitest';
import { createFabricAdapter } from '@privkit/ledger';
import { runLedgerConformance } from '@privkit/ledger/testing';
import { runFabricScenario } from './_fabric-scenario.js';

const configPath = process.env.PRIVKIT_FABRIC_CONFIG;

interface GatewayConfig { endpoint: string; hostAlias?: string; tlsCert?: string }
interface NetworkConfig extends Partial<GatewayConfig> {
  channel: string;
  chaincode: string;
  gateways?: Record<string, GatewayConfig>;
  identities: { mspId: string; cert: string; key: string; gateway?: string }[];
  readyTimeoutMs?: number;
  conformanceRuns?: number;
}

describe.runIf(configPath)('Fabric back end on a real network (PRIVKIT_FABRIC_CONFIG)', () => {
  it('every operation succeeds for every identity, then the shared conformance suite passes', async () => {
    const cfg = JSON.parse(readFileSync(configPath!, 'utf8')) as NetworkConfig;
    const closers: (() => void)[] = [];
    try {
      const adapters = await Promise.all(cfg.identities.map((id) => {
        const gw = id.gateway ? cfg.gateways?.[id.gateway] : (cfg as GatewayConfig);
        if (!gw?.endpoint) throw new Error(`no gateway for ${id.mspId}`);
        const creds = gw.tlsCert ? grpc.credentials.createSsl(readFileSync(gw.tlsCert)) : grpc.credentials.createInsecure();
        const client = new grpc.Client(gw.endpoint, creds, gw.hostAlias ? { 'grpc.ssl_target_name_override': gw.hostAlias } : {});
        const gateway = connect({
          client,
          identity: { mspId: id.mspId, credentials: readFileSync(id.cert) },
          signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(id.key))),
          hash: hash.sha256,
        });
        closers.push(() => { gateway.close(); client.close(); });
        const network = gateway.getNetwork(cfg.channel);
        return createFabricAdapter({ contract: network.getContract(cfg.chaincode), network, readyTimeoutMs: cfg.readyTimeoutMs ?? 120_000 });
      }));
      expect(adapters.length).toBeGreaterThanOrEqual(2);
      const ok = await runFabricScenario(adapters, `net-${randomBytes(4).toString('hex')}`);
      for (const op of ['put', 'get', 'getAnchor', 'history', 'grant', 'revoke', 'deleteData', 'subscribe']) expect(ok[op]).toBeGreaterThan(0);
      // No time travel on a real network: grant expiry is exercised by the harness and the EVM suites.
      await runLedgerConformance(async () => ({ adapters }), { numRuns: cfg.conformanceRuns ?? 4, maxCommands: 20 });
    } finally {
      for (const c of closers) c();
    }
  }, 1_800_000);
});
