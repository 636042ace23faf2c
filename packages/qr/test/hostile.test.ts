import { x25519 } from '@noble/curves/ed25519.js';
import { isPrivkitError, randomBytes } from '@privkit/core';
import { bitFlips, hostileValues, truncations, type HostileCase } from '@privkit/core/testing';
import * as Q from '@privkit/qr';
import { describe, expect, it } from 'vitest';

const FAST = { m: 8, t: 1, p: 1 } as const;
const pk = x25519.getPublicKey(randomBytes(32));
const card = Q.encodeKeyCard({ keyType: 'x25519', publicKey: pk, label: 'h' });
const frame = Q.toQr(card)[0]!;
const secretPayload = Q.encodeSecret({ secret: randomBytes(32), passphrase: 'pw', kdf: FAST });
const png = Q.renderPng(frame, { scale: 2 });
const mnemonics = Q.slip39Split(randomBytes(16), { groups: [[2, 3]], iterationExponent: 0 })[0]!.slice(0, 2);

function typed(fn: () => unknown, title: string): void {
  let threw: unknown;
  try {
    fn();
  } catch (e) {
    threw = e;
  }
  expect(threw, `${title}: expected a throw`).toBeDefined();
  expect(isPrivkitError(threw), `${title}: ${String(threw)}`).toBe(true);
}

async function typedAsync(fn: () => Promise<unknown>, title: string): Promise<void> {
  let threw: unknown;
  try {
    await fn();
  } catch (e) {
    threw = e;
  }
  expect(threw, `${title}: expected a rejection`).toBeDefined();
  expect(isPrivkitError(threw), `${title}: ${String(threw)}`).toBe(true);
}

const notUndefined = (hs: readonly HostileCase[]) => hs.filter((h) => h.value !== undefined);

describe('hostile inputs give typed errors', () => {
  it('byte arguments', () => {
    for (const h of hostileValues('bytes')) {
      const v = h.value as never;
      typed(() => Q.base45Encode(v), `base45Encode(${h.title})`);
      typed(() => Q.decodePayload(v), `decodePayload(${h.title})`);
      typed(() => Q.payloadToText(v), `payloadToText(${h.title})`);
      typed(() => Q.toQr(v), `toQr(${h.title})`);
      typed(() => Q.decodePng(v), `decodePng(${h.title})`);
      typed(() => Q.openSecret(v, { passphrase: 'pw' }), `openSecret(${h.title})`);
      typed(() => Q.encodeKeyCard({ keyType: 'x25519', publicKey: v }), `encodeKeyCard.publicKey(${h.title})`);
      typed(() => Q.keyFingerprint('x25519', v), `keyFingerprint(${h.title})`);
      typed(() => Q.encodeSecret({ secret: v, passphrase: 'pw', kdf: FAST }), `encodeSecret.secret(${h.title})`);
      typed(() => Q.decodeQrImage(v, 4, 4), `decodeQrImage(${h.title})`);
      typed(() => Q.slip39Split(v, { groups: [[1, 1]] }), `slip39Split(${h.title})`);
    }
  });
  it('string arguments', () => {
    for (const h of hostileValues('string')) {
      const v = h.value as never;
      typed(() => Q.base45Decode(v), `base45Decode(${h.title})`);
      typed(() => Q.textToPayload(v), `textToPayload(${h.title})`);
      if (h.value !== undefined) {
        typed(() => Q.encodeKeyCard({ keyType: 'x25519', publicKey: pk, label: v }), `label(${h.title})`);
        typed(() => Q.encodeKeyCard({ keyType: 'x25519', publicKey: pk, suite: v }), `suite(${h.title})`);
      }
      typed(() => Q.encodeKeyCard({ keyType: v, publicKey: pk }), `keyType(${h.title})`);
      typed(() => Q.keyFingerprint(v, pk), `keyFingerprint.keyType(${h.title})`);
      if (!(h.value instanceof Uint8Array)) typed(() => Q.decodeQrContent(v), `decodeQrContent(${h.title})`);
      typed(() => Q.encodeSecret({ secret: randomBytes(4), passphrase: v, kdf: FAST }), `passphrase(${h.title})`);
      typed(() => Q.slip39ToQr(v), `slip39ToQr(${h.title})`);
      typed(() => Q.slip39Combine([v]), `slip39Combine([${h.title}])`);
      if (h.value !== undefined && !(h.value instanceof Uint8Array)) typed(() => Q.slip39Split(randomBytes(16), { groups: [[1, 1]], passphrase: v }), `slip39Split.passphrase(${h.title})`);
    }
  });
  it('number arguments', () => {
    for (const h of hostileValues('number')) {
      const v = h.value as never;
      typed(() => Q.decodeQrImage(new Uint8Array(64), v, 4), `decodeQrImage.width(${h.title})`);
      typed(() => Q.decodeQrImage(new Uint8Array(64), 4, v), `decodeQrImage.height(${h.title})`);
      if (h.value !== undefined) {
        typed(() => Q.toQr(card, { maxVersion: v }), `toQr.maxVersion(${h.title})`);
        typed(() => Q.renderPng(frame, { scale: v }), `renderPng.scale(${h.title})`);
        typed(() => Q.renderSvg(frame, { margin: v }), `renderSvg.margin(${h.title})`);
        typed(() => Q.renderTerminal(frame, { margin: v }), `renderTerminal.margin(${h.title})`);
        typed(() => Q.encodeSecret({ secret: randomBytes(4), passphrase: 'x', kdf: { m: v, t: 1, p: 1 } }), `kdf.m(${h.title})`);
        typed(() => Q.decodePng(png, { maxPixels: v }), `decodePng.maxPixels(${h.title})`);
        typed(() => Q.decodeQrImage(new Uint8Array(64), 4, 4, { maxPixels: v }), `decodeQrImage.maxPixels(${h.title})`);
        typed(() => Q.slip39Combine(mnemonics, '', { maxIterationExponent: v }), `slip39Combine.maxIterationExponent(${h.title})`);
        for (const k of ['maxSeqLength', 'maxMessageLength', 'maxSequences'] as const) typed(() => Q.createAssembler({ [k]: v }), `createAssembler.${k}(${h.title})`);
      }
    }
  });
  it('object arguments', async () => {
    for (const h of notUndefined(hostileValues('object'))) {
      const v = h.value as never;
      typed(() => Q.toQr(card, v), `toQr.options(${h.title})`);
      typed(() => Q.renderPng(v), `renderPng.frame(${h.title})`);
      typed(() => Q.renderSvg(v), `renderSvg.frame(${h.title})`);
      typed(() => Q.renderTerminal(v), `renderTerminal.frame(${h.title})`);
      typed(() => Q.renderPixels(frame, v), `renderPixels.options(${h.title})`);
      typed(() => Q.encodeKeyCard(v), `encodeKeyCard(${h.title})`);
      typed(() => Q.encodeSecret(v), `encodeSecret(${h.title})`);
      typed(() => Q.openSecret(secretPayload, v), `openSecret.options(${h.title})`);
      typed(() => Q.createAssembler(v), `createAssembler(${h.title})`);
      typed(() => Q.decodePng(png, v), `decodePng.options(${h.title})`);
      typed(() => Q.decodeQrImage(new Uint8Array(64), 4, 4, v), `decodeQrImage.options(${h.title})`);
      typed(() => Q.slip39Combine(mnemonics, '', v), `slip39Combine.options(${h.title})`);
      typed(() => Q.slip39Split(randomBytes(16), v), `slip39Split.options(${h.title})`);
      typed(() => Q.slip39ToQr('x', v), `slip39ToQr.options(${h.title})`);
      typed(() => Q.createAssembler().receive(v), `receive(${h.title})`);
      await typedAsync(() => Q.splitSecret(randomBytes(8), v), `splitSecret.options(${h.title})`);
    }
    for (const h of hostileValues('any')) {
      await typedAsync(() => Q.combineShares(h.value as never), `combineShares(${h.title})`);
      await typedAsync(() => Q.combineShares([h.value, h.value] as never), `combineShares([${h.title}])`);
      await typedAsync(() => Q.splitSecret(h.value as never, { threshold: 2, shares: 2 }), `splitSecret.secret(${h.title})`);
    }
    typed(() => Q.openSecret({ type: 'passphraseSecret' } as never, { passphrase: 'x' }), 'openSecret(fake object)');
  });
  it('truncated and bit-flipped payloads of every type', async () => {
    const shares = await Q.splitSecret(randomBytes(16), { threshold: 2, shares: 2 });
    for (const p of [card, secretPayload, shares[0]!]) {
      for (const h of [...truncations(p), ...bitFlips(p)]) {
        typed(() => Q.decodePayload(h.value as Uint8Array), `decodePayload(${h.title})`);
        typed(() => Q.toQr(h.value as Uint8Array), `toQr(${h.title})`);
        typed(() => Q.textToPayload(Q.payloadToText(h.value as Uint8Array)) && Q.decodePayload(Q.textToPayload(Q.payloadToText(h.value as Uint8Array))), `text(${h.title})`);
      }
    }
    for (const h of [...truncations(secretPayload), ...bitFlips(secretPayload)]) typed(() => Q.openSecret(h.value as Uint8Array, { passphrase: 'pw' }), `openSecret(${h.title})`);
    for (const h of [...truncations(shares[1]!), ...bitFlips(shares[1]!)]) {
      await typedAsync(() => Q.combineShares([shares[0]!, h.value as Uint8Array]), `combineShares(${h.title})`);
    }
    const png = Q.renderPng(frame, { scale: 2 });
    for (const h of truncations(png)) {
      if (h.title === 'one extra zero byte') continue; // trailing garbage after IEND is legal PNG
      typed(() => Q.decodePng(h.value as Uint8Array), `decodePng(${h.title})`);
    }
  });
});

// The shared reflective sweep of @privkit/core/testing over every export of every production entry point: every
// function (and every function inside an exported bundle) gets every value of the shared table in every position.
// Test entries (`@privkit/qr/testing`) are test infrastructure and are not swept.
import * as entry from '@privkit/qr';
import { assertHostileSweep } from '@privkit/core/testing';

it('reflective hostile sweep over every export of @privkit/qr', () => assertHostileSweep(entry, { minCalled: 10 }), 600_000);

it('forged Uint8Array: frames whose modules lie about being bytes are refused by every renderer', () => {
  for (const h of hostileValues('bytes').filter((x) => /forged|prototype|named "Uint8Array"/.test(x.title))) {
    const forged = { ...frame, modules: h.value };
    for (const render of [Q.renderSvg, Q.renderTerminal, Q.renderPixels] as ((f: unknown) => unknown)[]) {
      let err: unknown;
      try {
        render(forged);
      } catch (e) {
        err = e;
      }
      expect(isPrivkitError(err), `${render.name}(${h.title})`).toBe(true);
    }
  }
});

// The sweep reaches the assembler createAssembler() returns (issue #16): every method gets every hostile value, and
// after each call the assembler must still take the genuine frames of a real sequence in turn and, once complete,
// give back exactly the payload that was sent — a rejected frame changes nothing.
it('reflective hostile sweep over the assembler createAssembler() returns', async () => {
  const frames = Q.toQr(secretPayload, { encoding: 'ur', fragmentLength: 30, frames: 40 }).map((f) => f.content as string);
  const next = new WeakMap<object, number>();
  const r = await assertHostileSweep(
    {},
    {
      minCalled: 0,
      seeds: {
        assembler: {
          create: () => {
            const a = Q.createAssembler({ maxSequences: 2 });
            next.set(a, 0);
            return a;
          },
          check: (a: Q.Assembler) => {
            const i = next.get(a)!;
            next.set(a, i + 1);
            a.receive(frames[i % frames.length]!);
            if (a.isComplete() && !Buffer.from(a.payload()).equals(Buffer.from(secretPayload))) throw new Error('reassembled the wrong payload');
            if (i >= frames.length && !a.isComplete()) throw new Error('a whole genuine sequence did not complete');
          },
        },
      },
    },
  );
  expect(r.called).toEqual(['assembler.receive', 'assembler.progress', 'assembler.isComplete', 'assembler.payload', 'assembler.result']);
}, 600_000);
