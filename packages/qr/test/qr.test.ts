import { x25519 } from '@noble/curves/ed25519.js';
import { p521 } from '@noble/curves/nist.js';
import { randomBytes } from '@privkit/core';
import {
  createAssembler,
  decodePayload,
  decodePng,
  decodeQrContent,
  decodeQrImage,
  ECC_LEVELS,
  encodeKeyCard,
  encodeSecret,
  openSecret,
  combineShares,
  payloadToText,
  QrFrameFormatError,
  QrImageError,
  renderPixels,
  renderPng,
  renderSvg,
  renderTerminal,
  splitSecret,
  toQr,
  type QrFrame,
  type Scan,
} from '@privkit/qr';
import { beforeAll, describe, expect, it } from 'vitest';

const FAST = { m: 8, t: 1, p: 1 } as const;

function rotate90(d: Uint8ClampedArray, w: number, h: number): { data: Uint8ClampedArray; width: number; height: number } {
  const out = new Uint8ClampedArray(d.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const nx = h - 1 - y;
      const ny = x;
      out.set(d.subarray((y * w + x) * 4, (y * w + x) * 4 + 4), (ny * h + nx) * 4);
    }
  return { data: out, width: h, height: w };
}

function scan(f: QrFrame, scale = 4): Scan {
  const px = renderPixels(f, { scale });
  return decodeQrImage(px.data, px.width, px.height);
}

let card: Uint8Array;
let payloadText: string;
let bigCard: Uint8Array;
let secret: Uint8Array;
let secretPayload: Uint8Array;
let shares: Uint8Array[];
let shareSecret: Uint8Array;

beforeAll(async () => {
  card = encodeKeyCard({ keyType: 'x25519', publicKey: x25519.getPublicKey(randomBytes(32)), label: 'gateway-7' });
  payloadText = payloadToText(card, 'uri');
  bigCard = encodeKeyCard({ keyType: 'p521', publicKey: p521.getPublicKey(p521.utils.randomSecretKey(), false), label: 'L'.repeat(64), suite: 'P521-SHA512-AES-256-GCM' });
  secret = randomBytes(32);
  secretPayload = encodeSecret({ secret, passphrase: 'pw', kdf: FAST, kind: 'data-key' });
  shareSecret = randomBytes(32);
  shares = await splitSecret(shareSecret, { threshold: 3, shares: 5, kind: 'seed' });
});

describe('symbol selection', () => {
  it('chooses ECC per payload type (secrets higher)', () => {
    expect(toQr(card)[0]!.ecc).toBe('M');
    expect(toQr(secretPayload)[0]!.ecc).toBe('Q');
    expect(toQr(shares[0]!)[0]!.ecc).toBe('Q');
    expect(ECC_LEVELS).toEqual({ keyCard: 'M', passphraseSecret: 'Q', envelopeSecret: 'Q', share: 'Q' });
  });
  it('meets the size targets: X25519 key card ≤ v4, encrypted 32-byte secret ≤ v6', () => {
    expect(toQr(card)[0]!.version).toBeLessThanOrEqual(4);
    expect(toQr(secretPayload)[0]!.version).toBeLessThanOrEqual(6);
  });
  it('auto picks the smaller of byte mode and base45 alphanumeric mode', () => {
    for (const p of [card, bigCard, secretPayload, shares[0]!]) {
      const auto = toQr(p)[0]!;
      const bin = toQr(p, { encoding: 'binary' })[0]!;
      const b45 = toQr(p, { encoding: 'base45' })[0]!;
      expect(auto.version).toBe(Math.min(bin.version, b45.version));
      expect(auto.size).toBe(17 + 4 * auto.version);
    }
  });
  it('honours explicit ECC and encodings', () => {
    const f = toQr(card, { ecc: 'H', encoding: 'uri' })[0]!;
    expect([f.ecc, f.encoding]).toEqual(['H', 'uri']);
    expect(f.content).toMatch(/^PRIVKIT:/);
  });
  it('data beyond a version-40 symbol: QR_TOO_LARGE in forced single-symbol encodings, multi-part in auto', () => {
    const huge = encodeSecret({ secret: randomBytes(3000), passphrase: 'pw', kdf: FAST });
    for (const encoding of ['binary', 'base45', 'uri'] as const) {
      expect(() => toQr(huge, { encoding }), encoding).toThrow(expect.objectContaining({ name: 'QrImageError', code: 'QR_TOO_LARGE' }));
    }
    const frames = toQr(huge, { frames: 3 });
    expect(frames.map((f) => f.encoding)).toEqual(['ur', 'ur', 'ur']);
  });
  it('without a global Buffer only the PNG helpers fail (UnsupportedError); multi-part frames work', () => {
    const f = toQr(card)[0]!;
    const png = renderPng(f);
    const g = globalThis as { Buffer?: unknown };
    const saved = g.Buffer;
    const errs: unknown[] = [];
    try {
      delete g.Buffer;
      for (const fn of [() => renderPng(f), () => decodePng(png)]) {
        try {
          fn();
          errs.push(undefined);
        } catch (e) {
          errs.push(e);
        }
      }
      expect(decodeQrContent(payloadText)).toEqual(decodePayload(card)); // the rest keeps working
      const asm = createAssembler();
      for (const fr of toQr(bigCard, { encoding: 'ur', fragmentLength: 24 })) {
        asm.receive(fr.content as string);
        if (asm.isComplete()) break;
      }
      expect(asm.payload()).toEqual(bigCard);
    } finally {
      g.Buffer = saved;
    }
    errs.forEach((e, i) => expect(e, `case ${i}: ${String((e as Error)?.stack).slice(0, 600)}`).toMatchObject({ name: 'UnsupportedError', code: 'UNSUPPORTED' }));
  });
  it('rejects non-payloads', () => {
    expect(() => toQr(new Uint8Array(10))).toThrow(expect.objectContaining({ name: 'QrFormatError' }));
  });
});

describe('render → pixels → decode, every payload type', () => {
  const cases = (): [string, Uint8Array][] => [
    ['key card', card],
    ['large key card', bigCard],
    ['passphrase secret', secretPayload],
    ['share', shares[2]!],
  ];
  it('round-trips through every encoding', () => {
    for (const [name, p] of cases())
      for (const encoding of ['auto', 'binary', 'base45', 'uri'] as const) {
        const s = scan(toQr(p, { encoding })[0]!);
        expect(s, `${name}/${encoding}`).toEqual(decodePayload(p));
      }
  });
  it('decodes rotated (90°, 180°, 270°) and scaled images', () => {
    for (const [name, p] of cases()) {
      const f = toQr(p)[0]!;
      for (const scale of [2, 3, 7]) {
        let img = renderPixels(f, { scale }) as { data: Uint8ClampedArray; width: number; height: number };
        for (let r = 0; r < 4; r++) {
          expect(decodeQrImage(img.data, img.width, img.height), `${name} x${scale} ${r * 90}°`).toEqual(decodePayload(p));
          img = rotate90(img.data, img.width, img.height);
        }
      }
    }
  });
  it('decodes non-square canvases and light-on-dark symbols', () => {
    const f = toQr(card)[0]!;
    const px = renderPixels(f, { scale: 3 });
    const w = px.width + 37;
    const data = new Uint8ClampedArray(w * px.height * 4).fill(255);
    for (let y = 0; y < px.height; y++) data.set(px.data.subarray(y * px.width * 4, (y + 1) * px.width * 4), (y * w + 20) * 4);
    expect(decodeQrImage(data, w, px.height)).toEqual(decodePayload(card));
    const inv = renderPixels(f, { scale: 3, dark: '#ffffff', light: '#000000' });
    expect(decodeQrImage(inv.data, inv.width, inv.height)).toEqual(decodePayload(card));
  });
  it('recovered payloads open: the secret and the shares', async () => {
    const s = scan(toQr(secretPayload)[0]!);
    expect(s.type === 'passphraseSecret' && openSecret(s, { passphrase: 'pw' })).toEqual(secret);
    const scanned = [4, 0, 2].map((i) => scan(toQr(shares[i]!)[0]!));
    expect(await combineShares(scanned as never)).toEqual(shareSecret);
  });
  it('PNG helper round-trips', () => {
    for (const [name, p] of cases()) {
      const png = renderPng(toQr(p)[0]!, { scale: 3 });
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(decodePng(png), name).toEqual(decodePayload(p));
    }
  });
  it('SVG draws exactly the dark modules', () => {
    const f = toQr(card)[0]!;
    const svg = renderSvg(f, { scale: 4 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const n = f.size + 8;
    expect(svg).toContain(`viewBox="0 0 ${n} ${n}"`);
    const drawn = new Uint8Array(f.size * f.size);
    for (const m of svg.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
      const [x, y, run] = [Number(m[1]) - 4, Number(m[2]) - 4, Number(m[3])];
      for (let i = 0; i < run; i++) drawn[y * f.size + x + i] = 1;
    }
    expect(drawn).toEqual(f.modules);
  });
  it('terminal half blocks encode exactly the module matrix (and decode back)', () => {
    for (const invert of [false, true]) {
      const f = toQr(shares[0]!)[0]!;
      const margin = 2;
      const text = renderTerminal(f, { margin, invert });
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.slice(0, -1).split('\n');
      const n = f.size + 2 * margin;
      expect(lines).toHaveLength(Math.ceil(n / 2));
      const modules = new Uint8Array(f.size * f.size);
      lines.forEach((line, row) => {
        [...line].forEach((ch, x) => {
          const top = ch === '█' || ch === '▀';
          const bottom = ch === '█' || ch === '▄';
          for (const [y, ink] of [[row * 2, top], [row * 2 + 1, bottom]] as const) {
            const mx = x - margin;
            const my = y - margin;
            if (mx >= 0 && my >= 0 && mx < f.size && my < f.size) modules[my * f.size + mx] = (invert ? ink : !ink) ? 1 : 0;
          }
        });
      });
      expect(modules).toEqual(f.modules);
      const back = renderPixels({ ...f, modules }, { scale: 3 });
      expect(decodeQrImage(back.data, back.width, back.height)).toEqual(decodePayload(shares[0]!));
    }
  });
});

describe('damaged symbols', () => {
  it('light damage within the ECC budget still decodes to the right payload', () => {
    const f = toQr(secretPayload)[0]!;
    const modules = f.modules.slice();
    // flip a small block of data modules in the bottom-right area (away from finder patterns)
    for (let y = f.size - 12; y < f.size - 9; y++) for (let x = f.size - 12; x < f.size - 9; x++) modules[y * f.size + x] = modules[y * f.size + x]! ^ 1;
    const px = renderPixels({ ...f, modules }, { scale: 4 });
    expect(decodeQrImage(px.data, px.width, px.height)).toEqual(decodePayload(secretPayload));
  });
  it('heavy damage: QR_NOT_FOUND, never a wrong payload', () => {
    const f = toQr(card)[0]!;
    const modules = f.modules.slice();
    for (let y = 9; y < f.size - 1; y++) for (let x = 9; x < f.size - 1; x++) modules[y * f.size + x] = modules[y * f.size + x]! ^ ((x * 7 + y * 3) % 2);
    const px = renderPixels({ ...f, modules }, { scale: 4 });
    let result: unknown;
    try {
      result = decodeQrImage(px.data, px.width, px.height);
    } catch (e) {
      result = e;
    }
    if (result instanceof Error) expect(result).toBeInstanceOf(QrImageError);
    else expect(result).toEqual(decodePayload(card));
  });
  it('an image without a symbol: QR_NOT_FOUND', () => {
    const w = 64;
    const data = new Uint8ClampedArray(w * w * 4);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
    expect(() => decodeQrImage(data, w, w)).toThrow(expect.objectContaining({ code: 'QR_NOT_FOUND' }));
    expect(() => decodePng(new Uint8Array([1, 2, 3]))).toThrow(expect.objectContaining({ code: 'QR_IMAGE_INVALID' }));
  });
  it('foreign QR content is a typed format error', () => {
    expect(() => decodeQrContent('HELLO WORLD')).toThrow(expect.objectContaining({ name: 'QrFormatError' }));
    expect(() => decodeQrContent(new Uint8Array([0xff, 0xfe, 0x00]))).toThrow(expect.objectContaining({ name: 'QrFormatError' }));
    expect(() => decodeQrContent('ur:bytes/hdcxlkahssqzwfvs')).toThrow(expect.objectContaining({ code: 'QR_UNKNOWN_TYPE' }));
  });
});

describe('multi-part (fountain-coded UR frames)', () => {
  it('large payloads become multi-part frames automatically', () => {
    const frames = toQr(bigCard, { maxVersion: 3 });
    expect(frames.length).toBeGreaterThan(2);
    expect(frames.every((f) => f.encoding === 'ur' && f.part !== undefined && /^UR:PRIVKIT-QR\//.test(f.content as string))).toBe(true);
    expect(toQr(bigCard).length).toBe(1);
  });
  it('any sufficient subset of frames, shuffled, with frames dropped, reassembles from pixels', () => {
    const frames = toQr(bigCard, { maxVersion: 3, fragmentLength: 24, frames: 40 });
    const n = frames[0]!.part!.seqLength;
    expect(n).toBeGreaterThan(3);
    for (const seed of [1, 2, 3]) {
      // drop two of the plain fragments (so mixed frames must fill in) and about a quarter of the rest, then shuffle
      const kept = frames.filter((_, i) => i !== seed && i !== seed + 2 && (Math.imul(i + 1, 2654435761 * seed) >>> 0) % 4 !== 0);
      expect(kept.length).toBeLessThan(frames.length - 4);
      const order = kept.map((f, i) => ({ f, k: (i * 7919 * seed) % 104729 })).sort((a, b) => a.k - b.k).map((x) => x.f);
      const progress: number[] = [];
      const asm = createAssembler({ onProgress: (p) => progress.push(p.fraction) });
      expect(() => asm.result()).toThrow(expect.objectContaining({ code: 'QR_INCOMPLETE' }));
      for (const f of order) {
        const s = scan(f, 3);
        expect(s.type).toBe('part');
        if (s.type === 'part') asm.receive(s);
        if (asm.isComplete()) break;
      }
      expect(asm.isComplete()).toBe(true);
      expect(asm.payload()).toEqual(bigCard);
      expect(asm.result()).toEqual(decodePayload(bigCard));
      expect(progress.at(-1)).toBe(1);
      expect(progress.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(asm.progress()).toMatchObject({ complete: true, expected: n, fraction: 1 });
      expect(asm.receive(frames[0]!.content as string)).toBe(false);
    }
  });
  it('a Chebyshev-3072 key card (409 bytes) goes multi-part by default and reassembles from pixels', async () => {
    const { chebyshev } = await import('@privkit/core');
    const pkC = chebyshev.keygen('chebyshev-3072').publicKey;
    const big = encodeKeyCard({ keyType: 'chebyshev-3072', publicKey: pkC, label: 'district heating' });
    expect(toQr(big).length).toBeGreaterThan(1);
    const frames = toQr(big, { frames: 60 }); // a long loop of the animation, so dropping frame 1 is always recoverable
    expect(frames.every((f) => f.version <= 10)).toBe(true);
    const asm = createAssembler();
    for (const f of frames.filter((_, i) => i !== 0)) {
      const s = scan(f, 3);
      if (s.type === 'part') asm.receive(s);
      if (asm.isComplete()) break;
    }
    const out = asm.result();
    expect(out.type === 'keyCard' && out.publicKey).toEqual(pkC);
  });
  it('works for every payload type when forced to UR', () => {
    for (const p of [card, secretPayload, shares[1]!]) {
      const frames = toQr(p, { encoding: 'ur', fragmentLength: 16, frames: 80 });
      const asm = createAssembler();
      for (const f of frames.slice().reverse()) {
        asm.receive(f.content as string);
        if (asm.isComplete()) break;
      }
      expect(asm.result()).toEqual(decodePayload(p));
    }
  });
  it('frames from another sequence are a separate candidate (no pinning); corrupt frames: QR_FRAME_INVALID', () => {
    const a = toQr(bigCard, { encoding: 'ur', fragmentLength: 24 });
    const b = toQr(card, { encoding: 'ur', fragmentLength: 24 });
    const asm = createAssembler();
    asm.receive(a[0]!.content as string);
    expect(asm.receive(b[0]!.content as string)).toBe(true);
    const text = a[1]!.content as string;
    const corrupt = text.slice(0, -6) + (text.at(-6) === 'A' ? 'B' : 'A') + text.slice(-5);
    expect(() => asm.receive(corrupt)).toThrow(QrFrameFormatError);
    expect(() => asm.receive('UR:PRIVKIT-QR/1-3/ZZZZ')).toThrow(expect.objectContaining({ code: 'QR_FRAME_INVALID' }));
    expect(() => asm.receive(toQr(card)[0]!.content as string)).toThrow(expect.objectContaining({ code: 'QR_FRAME_INVALID' }));
    expect(() => asm.receive(42 as never)).toThrow(expect.objectContaining({ code: 'QR_FRAME_INVALID' }));
  });
});
