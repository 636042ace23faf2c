/**
 * Issue #18 item 0 (background #15 item 1): C++ exceptions thrown by SEAL itself. node-seal 6.0.3 was left unusable by
 * ≤ 100–600 caught exceptions, node-seal 7.0.0 by ~4,000 failed loads or ~400 failed `Evaluator.add` calls, because
 * each leaves Emscripten's shadow-stack pointer lower (bench/suites/seal-versions.ts); `src/_seal.ts` reads, releases
 * and puts the pointer back after every SEAL exception it catches. PrivKit validates every stream before SEAL sees it
 * (so these tests call SEAL directly, below that layer): they check the layer under it holds on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivkitError } from '@privkit/core';
import { createAggregationContext, HeSealError, presets, type AggregationContext, type BfvAggregate } from '@privkit/he';
import { sealExceptionGuard, wasmHeapBytes } from '@privkit/he/testing';
import { _buildCore } from '../src/aggregation.js';
import { isCppException, loadSeal, sealMessage, stackRestored, type SealLibrary } from '../src/_seal.js';
import { wrap, type Core } from '../src/_core.js';
import { sealHeader } from './_wire.js';

// above what the 64 KiB shadow stack survives without the restore: 16 B per failed load (~4,096), 192 B per failed add
const EXCEPTIONS = 6000;
const EVAL_EXCEPTIONS = 2000;

describe('SEAL C++ exceptions (node-seal 7)', () => {
  let seal: SealLibrary;
  let core: Core;
  let honest: Uint8Array;
  beforeAll(async () => {
    seal = await loadSeal();
    core = _buildCore(seal, presets['bfv-4096'], 65_535n);
    const ctx = await createAggregationContext();
    const dev = ctx.device(ctx.keygen().publicKey);
    const ct = dev.encrypt([1]) as unknown as { parts: { saveToArray(m: unknown): Uint8Array }[] };
    honest = ct.parts[0]!.saveToArray(seal.ComprModeType.none);
    ctx.dispose();
  });
  afterAll(() => {
    for (const o of [core.batch, core.evaluator, core.context]) o?.delete();
  });

  /** Makes SEAL throw from `stream`, returns what was thrown. */
  function thrownBy(stream: Uint8Array): unknown {
    const ct = new seal.Ciphertext();
    try {
      ct.loadFromArray(core.context, stream);
    } catch (e) {
      return e;
    } finally {
      ct.delete();
    }
    throw new Error('SEAL accepted the stream');
  }

  /** An honest owner → device → aggregator → owner round trip, in a context created now. */
  async function roundTrip(): Promise<void> {
    const ctx: AggregationContext = await createAggregationContext();
    try {
      const owner = ctx.keygen();
      const dev = ctx.device(owner.publicKey.serialize());
      const ups = [
        [5, -7, 65_535],
        [1, 2, -65_535],
      ].map((r) => ctx.deserialize(dev.encrypt(r).serialize(), 'ciphertext'));
      const total = owner.decrypt(ctx.deserialize(ctx.aggregator().sum(ups).serialize(), 'aggregate')) as BfvAggregate;
      expect(total.values).toEqual([6n, -5n, 0n]);
    } finally {
      ctx.dispose();
    }
  }

  it('the shadow-stack self-test passed at load: SEAL exceptions do not eat the stack', () => {
    expect(stackRestored()).toBe(true);
    expect(sealExceptionGuard()).toBe('active');
  });

  it('a SEAL exception is a catchable WebAssembly.Exception; its message is read once and released', () => {
    const e = thrownBy(honest.slice(0, 1000));
    expect(isCppException(e)).toBe(true);
    expect(sealMessage(e)).toBe('std::runtime_error: I/O error: input buffer ended unexpectedly');
    // a second read returns the remembered text and does not release the C++ object twice
    expect(sealMessage(e)).toBe('std::runtime_error: I/O error: input buffer ended unexpectedly');
    expect(sealMessage(thrownBy(sealHeader({ headerSize: 17, size: 16 })))).toBe('std::logic_error: loaded SEALHeader is invalid');
  });

  it('wrap() turns a SEAL exception into HeSealError (HE_SEAL_FAILURE) with the message in details', () => {
    const err = wrap(thrownBy(honest.slice(0, 500)), 'loading');
    expect(err).toBeInstanceOf(HeSealError);
    expect(isPrivkitError(err, 'HE_SEAL_FAILURE')).toBe(true);
    expect((err as HeSealError).details).toMatch(/^std::runtime_error: /);
  });

  it(`SEAL exception accumulation: ${EXCEPTIONS} exceptions of SEAL's own loaders leave SEAL working, heap unchanged`, async () => {
    const kinds = [
      (i: number) => honest.slice(0, 17 + ((i * 7919) % (honest.length - 17))), // truncated
      () => sealHeader({ headerSize: 17, size: 16 }), // the 83-byte upload's SEAL header
      (i: number) => {
        const b = honest.slice();
        b[16 + (i % 32)]! ^= 0x5a; // wrong parms_id
        return b;
      },
      (i: number) => {
        const b = honest.slice();
        new DataView(b.buffer).setBigUint64(16 + 73 + 16 + 8 + 8 * (i % 4096), presets['bfv-4096'].coeffModulus[0]!, true);
        return b; // coefficient = q_0
      },
    ];
    for (let i = 0; i < 100; i++) sealMessage(thrownBy(kinds[i % kinds.length]!(i))); // warm-up
    const heap = wasmHeapBytes();
    for (let i = 0; i < EXCEPTIONS; i++) {
      const e = thrownBy(kinds[i % kinds.length]!(i));
      expect(isCppException(e)).toBe(true);
      sealMessage(e);
    }
    expect(wasmHeapBytes()).toBe(heap);
    await roundTrip();
  });

  it(`SEAL exception accumulation in the evaluator: ${EVAL_EXCEPTIONS} failed Evaluator.add calls (node-seal 6 and 7 unguarded: broken after ≤ 400–600)`, async () => {
    const made: { delete(): void }[] = [];
    const keep = <T extends { delete(): void }>(o: T): T => (made.push(o), o);
    try {
      const kg = keep(new seal.KeyGenerator(core.context));
      const enc = keep(new seal.Encryptor(core.context, keep(kg.createPublicKey())));
      const plain = keep(new seal.Plaintext());
      core.batch!.encode(BigInt64Array.from([1n, 2n]), plain);
      const ct = keep(new seal.Ciphertext());
      enc.encrypt(plain, ct);
      const low = keep(new seal.Ciphertext());
      core.evaluator.cipherModSwitchToNext(ct, low);
      const out = keep(new seal.Ciphertext());
      for (let i = 0; i < EVAL_EXCEPTIONS; i++) {
        try {
          core.evaluator.add(ct, low, out);
          throw new Error('SEAL added ciphertexts of different levels');
        } catch (e) {
          expect(sealMessage(e)).toBe('std::invalid_argument: encrypted1 and encrypted2 parameter mismatch');
        }
      }
    } finally {
      for (const o of made.reverse()) o.delete();
    }
    await roundTrip();
  });
});
