/**
 * Runs in the browser page: round trips of every portable PrivKit package, each reported separately on
 * `window.__privkit` so the Node side can assert on them.
 */
import { bytesToHex, getAead, randomBytes, sm2, sm3, utf8ToBytes } from '@privkit/core';
import { open, resolveSuite, seal } from '@privkit/envelope';
import * as ringSig from '@privkit/ring-sig';
import { createAttestationKey, createPcrBank, extend, quote, verifyQuote } from '@privkit/attest';
import { createAssembler, decodePayload, decodePng, decodeQrImage, encodeKeyCard, renderPixels, renderSvg, toQr } from '@privkit/qr';
import { createAggregationContext } from '@privkit/he';
import { sealExceptionGuard } from '@privkit/he/testing';

type Result = { name: string; ok: boolean; detail: string };
const results: Result[] = [];

async function check(name: string, f: () => unknown | Promise<unknown>, timeoutMs = 30_000): Promise<void> {
  const t0 = performance.now();
  try {
    const detail = await Promise.race([
      Promise.resolve().then(f),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs)),
    ]);
    results.push({ name, ok: true, detail: `${typeof detail === 'string' ? detail + ', ' : ''}${(performance.now() - t0).toFixed(1)} ms` });
  } catch (e) {
    results.push({ name, ok: false, detail: String((e as Error)?.stack ?? e) });
  }
}

function assert(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Error(`check failed: ${what}`);
}

async function main() {
  await check('core: SM3 (GB/T 32905 "abc" vector)', () => {
    assert(bytesToHex(sm3(utf8ToBytes('abc'))) === '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0', 'sm3("abc")');
  });
  await check('core: AEAD seal/open (aes-256-gcm, chacha20-poly1305, sm4-gcm)', () => {
    for (const id of ['aes-256-gcm', 'chacha20-poly1305', 'sm4-gcm'] as const) {
      const a = getAead(id);
      const key = randomBytes(a.keyLength);
      const nonce = randomBytes(a.nonceLength);
      const ct = a.seal(key, nonce, utf8ToBytes('hello browser'), utf8ToBytes('aad'));
      assert(new TextDecoder().decode(a.open(key, nonce, ct, utf8ToBytes('aad'))) === 'hello browser', id);
    }
  });
  await check('core: SM2 sign/verify', () => {
    const { secretKey, publicKey } = sm2.keygen();
    const sig = sm2.sign(utf8ToBytes('msg'), secretKey);
    assert(sm2.verify(sig, utf8ToBytes('msg'), publicKey), 'sm2 verify');
    assert(!sm2.verify(sig, utf8ToBytes('msh'), publicKey), 'sm2 rejects other message');
  });
  await check('envelope: HPKE X25519 and SM2-SM3-SM4 seal/open', () => {
    for (const suite of ['X25519-SHA256-AES-256-GCM', 'SM2-SM3-SM4'] as const) {
      const kp = resolveSuite(suite).kem.generateKeyPair();
      const env = seal(utf8ToBytes(`reading via ${suite}`), [kp.publicKey], { suite });
      assert(new TextDecoder().decode(open(env, kp.secretKey)) === `reading via ${suite}`, suite);
    }
  });
  await check('ring-sig: CLSAG sign/verify/link over a ring of 8', () => {
    const keys = Array.from({ length: 8 }, () => ringSig.keygen());
    const ring = keys.map((k) => k.publicKey);
    const scope = utf8ToBytes('epoch-1');
    const a = ringSig.sign(utf8ToBytes('m1'), ring, keys[3]!.secretKey, { scope });
    const b = ringSig.sign(utf8ToBytes('m2'), ring, keys[3]!.secretKey, { scope });
    assert(ringSig.verify(ringSig.decode(ringSig.encode(a)), utf8ToBytes('m1'), ring, { scope }), 'verify');
    assert(ringSig.linked(a, b), 'same signer, same scope links');
  });
  await check('attest: PCR extend + P-256 quote + verifyQuote', () => {
    const bank = createPcrBank('sha256');
    extend(bank, 7, sm3(utf8ToBytes('firmware')).slice(0, 32));
    const key = createAttestationKey('ecdsa-p256');
    const nonce = randomBytes(32);
    const q = quote({ bank, selection: [0, 7], nonce, key });
    const r = verifyQuote(q, { publicKey: key.publicKey, nonce, expectedPcrs: { hash: 'sha256', values: { 0: bank.read(0), 7: bank.read(7) } } } as never);
    assert(r.verified, `verified: ${JSON.stringify(r.failures)}`);
  });
  await check('qr: key card → QR SVG → canvas pixels → decodeQrImage', async () => {
    const card = encodeKeyCard({ keyType: 'x25519', publicKey: randomBytes(32), label: 'browser' });
    const frame = toQr(card)[0]!;
    const svg = renderSvg(frame, { scale: 6 });
    const img = new Image();
    img.src = `data:image/svg+xml;base64,${btoa(svg)}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(img, 0, 0);
    const px = g.getImageData(0, 0, canvas.width, canvas.height);
    const scan = decodeQrImage(px.data, px.width, px.height);
    assert(JSON.stringify(scan, (_k, v) => (v instanceof Uint8Array ? bytesToHex(v) : v)) === JSON.stringify(decodePayload(card), (_k, v) => (v instanceof Uint8Array ? bytesToHex(v) : v)), 'decoded card equals encoded card');
    return `${canvas.width}×${canvas.height} px`;
  });
  await check('qr: multi-part frames without Buffer or polyfills → pixels → decodeQrImage → assembler; decodePng is UnsupportedError', () => {
    assert(typeof (globalThis as { Buffer?: unknown }).Buffer === 'undefined' && typeof (globalThis as { process?: unknown }).process === 'undefined', 'no Buffer/process globals');
    const card = encodeKeyCard({ keyType: 'x25519', publicKey: randomBytes(32), label: 'browser multi-part' });
    const frames = toQr(card, { encoding: 'ur', fragmentLength: 20, frames: 40 }); // a long loop: frame 1 is skipped below
    const asm = createAssembler();
    for (const f of frames.slice(1)) {
      const px = renderPixels(f, { scale: 3 });
      const scan = decodeQrImage(px.data, px.width, px.height);
      if (scan.type === 'part') asm.receive(scan);
      if (asm.isComplete()) break;
    }
    assert(bytesToHex(asm.payload()) === bytesToHex(card), 'reassembled payload equals the card');
    let code = '';
    try {
      decodePng(new Uint8Array(64));
    } catch (e) {
      code = (e as { code?: string }).code ?? String(e);
    }
    assert(code === 'UNSUPPORTED', `decodePng: ${code}`);
    return `${frames.length} frames in the loop`;
  });
  // node-seal (SEAL WASM) in the browser: reported, and required by the Node-side test as well.
  await check('he: node-seal WASM in the page — 3 devices encrypt, aggregator sums, owner decrypts exactly', async () => {
    const ctx = await createAggregationContext({ preset: 'bfv-4096', maxAbsReading: 1000 });
    try {
      const owner = ctx.keygen();
      // browsers have no node:zlib: @privkit/he refuses compressed SEAL streams there rather than let SEAL inflate them
      const device = ctx.device(owner.publicKey.serialize({ compression: 'none' }));
      const readings = [[1, 2, 3], [10, -20, 30], [100, 200, -300]];
      const cts = readings.map((r) => ctx.deserialize(device.encrypt(r).serialize({ compression: 'none' }), 'ciphertext'));
      const total = owner.decrypt(ctx.aggregator().sum(cts));
      if (total.scheme !== 'bfv') throw new Error('expected a BFV aggregate');
      const got = total.values.slice(0, 3).map(Number);
      assert(JSON.stringify(got) === JSON.stringify([111, 182, -267]), `sum ${JSON.stringify(got)}`);
      // the shadow-stack guard's self-test must pass here too (browsers load the module with instantiateStreaming)
      assert(sealExceptionGuard() === 'active', `SEAL exception guard ${sealExceptionGuard()}`);
      return 'exact BFV sum; SEAL exception guard active';
    } finally {
      ctx.dispose();
    }
  }, 30_000);
  (window as unknown as { __privkit: unknown }).__privkit = { done: true, results };
}

void main();
