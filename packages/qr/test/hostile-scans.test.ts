/**
 * Issue #16 items 3 and 4: what a hostile scanned image or multi-part frame can cost or claim. Each attack has a test named after it.
 */
import { crc32, deflateSync } from 'node:zlib';
import { randomBytes } from '@privkit/core';
import fc from 'fast-check';
import {
  createAssembler,
  DEFAULT_MAX_MESSAGE_LENGTH,
  DEFAULT_MAX_PIXELS,
  DEFAULT_MAX_SEQ_LENGTH,
  DEFAULT_MAX_SEQUENCES,
  decodePayload,
  decodePng,
  decodeQrContent,
  decodeQrImage,
  encodeKeyCard,
  renderPixels,
  renderPng,
  toQr,
  UR_TYPE,
} from '@privkit/qr';
import { describe, expect, it } from 'vitest';
import { _bytewordsEncode } from '../src/_bytewords.js';
import { _cborArray, _cborBytes, _cborUint } from '../src/_cbor.js';
import { _checkPng } from '../src/_png.js';
import { _urEncode, _urParse } from '../src/_ur.js';

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A greyscale PNG with the given header and image data (the data need not match the header). */
function png(width: number, height: number, bitDepth: number, interlace: 0 | 1, raw: Uint8Array): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([bitDepth, 0, 0, 0, interlace], 8);
  const sig = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}

describe('hostile PNG images (issue #16 item 4)', () => {
  const card = encodeKeyCard({ keyType: 'x25519', publicKey: randomBytes(32), label: 'png' });

  it('PNG pixel bomb: a ~55 KB 16384×16384 1-bit PNG is refused from its header with LimitError', () => {
    const side = 16384;
    const bomb = png(side, side, 1, 0, new Uint8Array((1 + side / 8) * side)); // every row: filter 0 + 2048 zero bytes
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => decodePng(bomb)).toThrow(expect.objectContaining({ name: 'LimitError', code: 'LIMIT_EXCEEDED' }));
  });
  it('PNG deflate bomb: interlaced image data inflating beyond its header is refused with LimitError', () => {
    const bomb = png(1000, 1000, 1, 1, new Uint8Array(50_000_000));
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => decodePng(bomb)).toThrow(expect.objectContaining({ name: 'LimitError', code: 'LIMIT_EXCEEDED' }));
    // image data within the Adam7 bound of the header passes the check (pngjs then decodes it)
    expect(_checkPng(png(1000, 1000, 1, 1, new Uint8Array(125_000 + 4 * 1000)), DEFAULT_MAX_PIXELS)).toMatchObject({ width: 1000, interlaced: true });
  });
  it('malformed headers are QR_IMAGE_INVALID before any decoding', () => {
    const good = renderPng(toQr(card)[0]!);
    const cases: [string, (b: Uint8Array) => void][] = [
      ['zero width', (b) => b.fill(0, 16, 20)],
      ['bit depth 3', (b) => (b[24] = 3)],
      ['colour type 5', (b) => (b[25] = 5)],
      ['interlace method 2', (b) => (b[28] = 2)],
      ['IHDR not first', (b) => b.set([0x49, 0x44, 0x41, 0x54], 12)],
      ['signature', (b) => (b[1] = 0)],
    ];
    for (const [title, mutate] of cases) {
      const b = Uint8Array.from(good);
      mutate(b);
      expect(() => decodePng(b), title).toThrow(expect.objectContaining({ name: 'QrImageFormatError', code: 'QR_IMAGE_INVALID' }));
    }
  });
  it('the pixel budget is an option of decodePng and decodeQrImage (default 2^22)', () => {
    expect(DEFAULT_MAX_PIXELS).toBe(2 ** 22);
    const f = toQr(card)[0]!;
    const file = renderPng(f, { scale: 4 });
    const px = renderPixels(f, { scale: 4 });
    expect(decodePng(file, { maxPixels: px.width * px.height })).toEqual(decodePayload(card));
    expect(() => decodePng(file, { maxPixels: px.width * px.height - 1 })).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    expect(decodeQrImage(px.data, px.width, px.height, { maxPixels: px.width * px.height })).toEqual(decodePayload(card));
    expect(() => decodeQrImage(px.data, px.width, px.height, { maxPixels: 100 })).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    expect(() => decodeQrImage(new Uint8Array(4 * 3000 * 3000), 3000, 3000)).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    for (const o of [{ maxPixels: 0 }, { maxPixels: 2 ** 29 }, { maxPixels: 1.5 }, 'x']) {
      expect(() => decodePng(file, o as never), JSON.stringify(o)).toThrow(expect.objectContaining({ name: 'InputError' }));
    }
  });
});

/** A multi-part frame with the given fields, as a hostile device would display it. */
function forge(p: { seqNum: number; seqLength: number; messageLength: number; checksum: number; fragment: Uint8Array }, pathSeqLength = p.seqLength): string {
  const body = _cborArray([_cborUint(p.seqNum), _cborUint(p.seqLength), _cborUint(p.messageLength), _cborUint(p.checksum), _cborBytes(p.fragment)]);
  return `UR:${UR_TYPE.toUpperCase()}/${p.seqNum}-${pathSeqLength}/${_bytewordsEncode(body).toUpperCase()}`;
}

describe('hostile multi-part frames (issue #16 item 3)', () => {
  const card = encodeKeyCard({ keyType: 'x25519', publicKey: randomBytes(32), label: 'genuine device card' });
  const genuine = toQr(card, { encoding: 'ur', fragmentLength: 16, frames: 40 }).map((f) => f.content as string);
  const feed = (asm: ReturnType<typeof createAssembler>, frames: string[]) => {
    for (const f of frames) {
      asm.receive(f);
      if (asm.isComplete()) break;
    }
  };

  it('multipart seqLength bomb: a 77-character frame declaring seqLength 10,000,000 is refused before the fountain decoder', () => {
    for (const seqLength of [10_000_000, 120_000_000, 2 ** 32 - 1]) {
      const bomb = forge({ seqNum: 1, seqLength, messageLength: seqLength, checksum: 0x12345678, fragment: Uint8Array.of(0) });
      expect(bomb.length).toBeLessThan(90);
      const asm = createAssembler({ maxSeqLength: 65535, maxMessageLength: 2 ** 24 });
      expect(() => asm.receive(bomb)).toThrow(expect.objectContaining({ name: 'QrFrameFormatError', code: 'QR_FRAME_INVALID' }));
      feed(asm, genuine);
      expect(asm.result()).toEqual(decodePayload(card));
    }
  });
  it('multipart size lies: path and body disagree, or message length, fragment length and seqLength disagree', () => {
    const frames = [
      forge({ seqNum: 1, seqLength: 5_000_000, messageLength: 5_000_000, checksum: 1, fragment: Uint8Array.of(1) }, 3), // small path, huge body
      forge({ seqNum: 1, seqLength: 3, messageLength: 60_000_000, checksum: 1, fragment: new Uint8Array(20) }), // huge message
      forge({ seqNum: 1, seqLength: 3, messageLength: 100, checksum: 1, fragment: new Uint8Array(20) }), // 100 bytes are 5 fragments of 20
      forge({ seqNum: 2 ** 32 + 5, seqLength: 3, messageLength: 50, checksum: 1, fragment: new Uint8Array(20) }), // seqNum beyond 32 bits
    ];
    const asm = createAssembler();
    for (const f of frames) expect(() => asm.receive(f), f).toThrow(expect.objectContaining({ code: 'QR_FRAME_INVALID' }));
    expect(asm.progress()).toMatchObject({ received: 0, expected: 0 });
  });
  it('multipart sequence pinning: a hostile frame of another sequence does not claim the assembler', () => {
    const other = encodeKeyCard({ keyType: 'x25519', publicKey: randomBytes(32), label: 'attacker' });
    const hostile = toQr(other, { encoding: 'ur', fragmentLength: 16, frames: 40 }).map((f) => f.content as string);
    const asm = createAssembler();
    expect(asm.receive(hostile[0]!)).toBe(true); // accepted as a candidate, not as the sequence
    feed(asm, genuine);
    expect(asm.result()).toEqual(decodePayload(card));
  });
  it('multipart forged completion: a sequence that completes with a bad CRC or an invalid payload is dropped, the genuine one wins', () => {
    const junk = _urEncode(UR_TYPE, _cborBytes(randomBytes(40)), 16, 10).map((t) => t.toUpperCase()); // valid UR, not a payload
    const params = _urParse(genuine[0]!, { maxMessageLength: 1e6, maxSeqLength: 1000 });
    const p = 'part' in params ? params.part : undefined;
    // frames of a sequence whose declared checksum does not match its message
    const badCrc = Array.from({ length: p!.seqLength }, (_, i) =>
      forge({ seqNum: i + 1, seqLength: p!.seqLength, messageLength: p!.messageLength, checksum: (p!.checksum + 1) >>> 0, fragment: new Uint8Array(p!.fragment.length) }),
    );
    const asm = createAssembler();
    asm.receive(genuine[0]!);
    for (const hostile of [junk, badCrc]) {
      let threw: unknown;
      for (const f of hostile) {
        try {
          asm.receive(f);
        } catch (e) {
          threw = e;
          break;
        }
      }
      expect(threw).toMatchObject({ name: 'QrFrameFormatError', code: 'QR_FRAME_INVALID' });
      expect(asm.isComplete()).toBe(false);
    }
    feed(asm, genuine.slice(1));
    expect(asm.result()).toEqual(decodePayload(card));
  });
  it('multipart contradicting frame: same sequence, different data for a known fragment is QR_FRAME_MISMATCH and changes nothing', () => {
    const u = _urParse(genuine[0]!, { maxMessageLength: 1e6, maxSeqLength: 1000 });
    const p = 'part' in u ? u.part : undefined;
    const liar = forge({ ...p!, fragment: p!.fragment.map((b) => b ^ 1) });
    const asm = createAssembler();
    asm.receive(genuine[0]!);
    const before = asm.progress();
    expect(() => asm.receive(liar)).toThrow(expect.objectContaining({ name: 'QrFrameError', code: 'QR_FRAME_MISMATCH' }));
    expect(asm.progress()).toEqual(before);
    feed(asm, genuine.slice(1));
    expect(asm.result()).toEqual(decodePayload(card));
  });
  it('multipart candidate flood: one new hostile sequence between every genuine frame never evicts the genuine one', () => {
    const asm = createAssembler({ maxSequences: 2 });
    let i = 0;
    for (const f of genuine) {
      asm.receive(f);
      if (asm.isComplete()) break;
      const hostile = _urEncode(UR_TYPE, _cborBytes(randomBytes(60)), 16, 10, 1)[0]!;
      expect(asm.receive(hostile)).toBe(true);
      i++;
    }
    expect(i).toBeGreaterThan(3);
    expect(asm.result()).toEqual(decodePayload(card));
  });
  it('rejects bad assembler options with InputError', () => {
    for (const o of [{ maxSeqLength: 0 }, { maxSeqLength: 70000 }, { maxMessageLength: 2 ** 25 }, { maxSequences: 0 }, { maxSequences: 1.5 }, { onProgress: 3 }]) {
      expect(() => createAssembler(o as never), JSON.stringify(o)).toThrow(expect.objectContaining({ name: 'InputError' }));
    }
    expect([DEFAULT_MAX_SEQ_LENGTH, DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_MAX_SEQUENCES]).toEqual([1024, 65536, 4]);
  });
});

describe('multi-part reassembly properties', () => {
  it('any order, dropped frames and interleaved foreign or junk frames: the genuine payload or incomplete, never another', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.integer({ min: 10, max: 40 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 120 }),
        fc.array(fc.string({ maxLength: 30 }), { maxLength: 10 }),
        (label, fragmentLength, picks, junk) => {
          const card = encodeKeyCard({ keyType: 'x25519', publicKey: randomBytes(32), label: Array.from(label, (b) => String.fromCharCode(97 + (b % 26))).join('') });
          const frames = toQr(card, { encoding: 'ur', fragmentLength, frames: 80 }).map((f) => f.content as string);
          const foreign = _urEncode(UR_TYPE, _cborBytes(randomBytes(50)), fragmentLength, 10, 6);
          const asm = createAssembler({ maxSequences: 3 });
          picks.forEach((p, i) => {
            const f = i % 5 === 4 ? (junk[i % Math.max(1, junk.length)] ?? foreign[p % foreign.length]!) : frames[p % frames.length]!;
            try {
              asm.receive(f);
            } catch (e) {
              expect(['QrFrameError', 'QrFrameFormatError'], String(e)).toContain((e as { name?: string }).name);
            }
          });
          if (asm.isComplete()) expect(asm.payload()).toEqual(card);
          else expect(() => asm.payload()).toThrow(expect.objectContaining({ code: 'QR_INCOMPLETE' }));
        },
      ),
      { numRuns: 60 },
    );
  });
  it('mixed frames only (no plain fragment), more than the stored-mixed cap: still reassembles', () => {
    const card = encodeKeyCard({ keyType: 'x25519', publicKey: randomBytes(32), label: 'mixed only, bounded store' });
    const frames = toQr(card, { encoding: 'ur', fragmentLength: 10, frames: 600 });
    const n = frames[0]!.part!.seqLength;
    const asm = createAssembler();
    let used = 0;
    for (const f of frames.slice(n)) {
      asm.receive(f.content as string);
      used++;
      if (asm.isComplete()) break;
    }
    expect(asm.result()).toEqual(decodePayload(card));
    expect(used).toBeGreaterThanOrEqual(n); // n independent mixtures at the very least
  });
});

describe('UR frame text', () => {
  it('decodeQrContent refuses sequence numbers that are not 32-bit decimal numbers', () => {
    for (const t of ['ur:privkit-qr/99999999999-3/lpad', 'ur:privkit-qr/4294967296-3/lpad', 'ur:privkit-qr/01-3/lpad', `ur:privkit-qr/${'9'.repeat(400)}-1/lpad`]) {
      expect(() => decodeQrContent(t), t).toThrow(expect.objectContaining({ name: 'QrFormatError', code: 'QR_TEXT_INVALID' }));
    }
    expect(decodeQrContent('ur:privkit-qr/4294967295-3/lpad')).toMatchObject({ type: 'part', seqNum: 4294967295, seqLength: 3 });
  });
});
