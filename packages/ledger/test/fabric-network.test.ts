/**
 * Integration test against a REAL Fabric network (e.g. fabric-samples test-network with this chaincode deployed,
 * see README "Deploying the chaincode"). It runs only when PRIVKIT_FABRIC_CONFIG names a JSON file:
 *   { "endpoint": "localhost:7051", "hostAlias": "peer0.org1.example.com", "tlsCert": "<path to peer TLS CA PEM>",
 *     "channel": "mychannel", "chaincode": "privkit",
 *     "identities": [ { "mspId": "Org1MSP", "cert": "<path>", "key": "<path>" }, { "mspId": "Org2MSP", … } ] }
 * Without it the test is skipped, by design: no Fabric network can run on this CI machine (no Docker engine).
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers } from '@hyperledger/fabric-gateway';
import { describe, it } from 'vitest';
import { createFabricAdapter } from '@privkit/ledger';
import { runLedgerConformance } from '@privkit/ledger/testing';

const configPath = process.env.PRIVKIT_FABRIC_CONFIG;

describe.runIf(configPath)('Fabric back end on a real network (PRIVKIT_FABRIC_CONFIG)', () => {
  it('passes the shared conformance suite', async () => {
    const cfg = JSON.parse(readFileSync(configPath!, 'utf8')) as {
      endpoint: string; hostAlias?: string; tlsCert: string; channel: string; chaincode: string;
      identities: { mspId: string; cert: string; key: string }[];
    };
    const creds = grpc.credentials.createSsl(readFileSync(cfg.tlsCert));
    const closers: (() => void)[] = [];
    try {
      const adapters = await Promise.all(cfg.identities.map((id) => {
        const client = new grpc.Client(cfg.endpoint, creds, cfg.hostAlias ? { 'grpc.ssl_target_name_override': cfg.hostAlias } : {});
        const gateway = connect({
          client,
          identity: { mspId: id.mspId, credentials: readFileSync(id.cert) },
          signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(id.key))),
          hash: hash.sha256,
        });
        closers.push(() => { gateway.close(); client.close(); });
        const network = gateway.getNetwork(cfg.channel);
        return createFabricAdapter({ contract: network.getContract(cfg.chaincode), network });
      }));
      // No time travel on a real network: grant expiry is exercised by the harness and the EVM suites.
      await runLedgerConformance(async () => ({ adapters }), { numRuns: 3, maxCommands: 8 });
    } finally {
      for (const c of closers) c();
    }
  }, 600_000);
});
