/**
 * Testing a service built on PrivKit with PrivKit's published testing entries: random but valid rings, signers,
 * envelopes and mutated envelopes come from `@privkit/ring-sig/testing` and `@privkit/envelope/testing`; the
 * service's ledger decorator is checked with `runLedgerConformance` from `@privkit/ledger/testing`.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hpke, seal } from '@privkit/envelope';
import { arbMutatedEnvelope } from '@privkit/envelope/testing';
import * as ringSig from '@privkit/ring-sig';
import { arbRing } from '@privkit/ring-sig/testing';
import { createMemoryLedger } from '@privkit/ledger';
import { runLedgerConformance } from '@privkit/ledger/testing';
import { createUploadGateway, withAuditLog } from '../src/service.js';

const kem = hpke.suite(0x0020, 0x0001, 0x0002).kem;

describe('upload gateway (property-based, with PrivKit arbitraries)', () => {
  it('accepts one upload per registered device per epoch and rejects the duplicate', async () => {
    await fc.assert(
      fc.asyncProperty(arbRing({ minSize: 2, maxSize: 6 }), fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), async (rc, reading, ikm) => {
        const gw = kem.deriveKeyPair(ikm);
        const gateway = createUploadGateway({ ledger: createMemoryLedger().as('gw'), ring: rc.ring, epoch: 'e1', secretKey: gw.secretKey });
        const env = seal(reading, [gw.publicKey]);
        const sig = ringSig.encode(ringSig.sign(env, rc.ring, rc.secretKey, { scope: 'e1' }));
        const first = await gateway.submit('u1', env, sig);
        expect(first).toMatchObject({ accepted: true, reading });
        const env2 = seal(reading, [gw.publicKey]);
        const sig2 = ringSig.encode(ringSig.sign(env2, rc.ring, rc.secretKey, { scope: 'e1' }));
        expect(await gateway.submit('u2', env2, sig2)).toEqual({ accepted: false, reason: 'duplicate' });
        expect(gateway.accepted).toBe(1);
      }),
      { numRuns: 15 },
    );
  });

  it('never accepts a mutated envelope, even with a valid ring signature over it', async () => {
    const member = ringSig.keygen();
    const ring = [member.publicKey, ringSig.keygen().publicKey, ringSig.keygen().publicKey];
    await fc.assert(
      fc.asyncProperty(arbMutatedEnvelope({ suiteNames: ['X25519-SHA256-AES-256-GCM'], maxRecipients: 1 }), async (c) => {
        const gateway = createUploadGateway({ ledger: createMemoryLedger().as('gw'), ring, epoch: 'e1', secretKey: c.recipients[0]!.secretKey });
        const sig = ringSig.encode(ringSig.sign(c.mutated, ring, member.secretKey, { scope: 'e1' }));
        const v = await gateway.submit('u', c.mutated, sig);
        // The only acceptable outcome for a mutated envelope is a rejection (`c.mutation` says what changed).
        expect(v.accepted, c.mutation).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it('rejects a signature from outside the ring', async () => {
    const gw = kem.generateKeyPair();
    const ring = [ringSig.keygen().publicKey, ringSig.keygen().publicKey];
    const outsiderRing = [ringSig.keygen(), ringSig.keygen()];
    const gateway = createUploadGateway({ ledger: createMemoryLedger().as('gw'), ring, epoch: 'e1', secretKey: gw.secretKey });
    const env = seal(new Uint8Array([1]), [gw.publicKey]);
    const sig = ringSig.encode(ringSig.sign(env, outsiderRing.map((k) => k.publicKey), outsiderRing[0]!.secretKey, { scope: 'e1' }));
    expect(await gateway.submit('u', env, sig)).toEqual({ accepted: false, reason: 'bad-signature' });
  });
});

describe("the service's ledger decorator conforms to LedgerAdapter", () => {
  it('passes runLedgerConformance', async () => {
    const log: string[] = [];
    await runLedgerConformance(async () => {
      const l = createMemoryLedger();
      return { adapters: ['a', 'b', 'c'].map((n) => withAuditLog(l.as(n), log)), advanceTime: async (s) => l.advanceTime(s) };
    }, { numRuns: 50 });
    expect(log.length).toBeGreaterThan(0);
  });
});
