/**
 * qr-hostile: what a hostile scanned input costs the scanner after issue #16 items 3–5 — a multi-part frame
 * declaring seqLength 10,000,000 (before: 2.8 s and 345 MB), a PNG declaring 16384×16384 pixels (the 1-bit one:
 * 52 s and 1.8 GiB before),
 * a SLIP-0039 share set asking for iteration exponent 15 (about 10 minutes) — next to the genuine operations they
 * imitate: reassembling a Chebyshev-3072 key card from its frames, decoding a card PNG, combining shares at the
 * default-cap exponent 5 and at 0.
 */
import { crc32 } from 'node:zlib';
import { chebyshev } from '@privkit/core';
import { createAssembler, encodeKeyCard, decodePng, renderPng, slip39Combine, slip39Split, toQr } from '@privkit/qr';
import { measure, table } from '../lib.js';

export const title = 'QR against hostile scans (@privkit/qr)';

/**
 * The attack frame (71 characters): part 1 of a sequence declaring 10,000,000 one-byte fragments of a
 * 10,000,000-byte message — a well-formed UR (minimal bytewords, valid CRC-32), so it is the size limit that refuses it.
 */
const BOMB_FRAME = 'ur:privkit-qr/1-10000000/lpadcyaemkmtlacyaemkmtlacybgeehfksfpaemtptisko';

/**
 * A PNG whose IHDR declares 16384×16384 pixels: a genuine card PNG with its header rewritten (CRC recomputed). The
 * 32 KiB all-zero 1-bit PNG of the issue is built in test/hostile-scans.test.ts; both are refused from the header.
 */
function bombPng(genuine: Uint8Array): Uint8Array {
  const png = Buffer.from(genuine);
  png.writeUInt32BE(16384, 16);
  png.writeUInt32BE(16384, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

const refused = (fn: () => unknown, code: string) => () => {
  try {
    fn();
  } catch (e) {
    if ((e as { code?: string }).code === code) return;
    throw e;
  }
  throw new Error(`expected ${code}`);
};

export async function run(): Promise<{ markdown: string; data: unknown }> {
  const frame = BOMB_FRAME;
  const cheb = encodeKeyCard({ keyType: 'chebyshev-3072', publicKey: chebyshev.keygen('chebyshev-3072').publicKey, label: 'gateway-7' });
  const frames = toQr(cheb).map((f) => f.content as string);
  const smallPng = renderPng(toQr(encodeKeyCard({ keyType: 'x25519', publicKey: new Uint8Array(32).fill(9), label: 'gateway-7' }))[0]!, { scale: 4 });
  const png = bombPng(smallPng);
  const secret = new Uint8Array(16).fill(7);
  const shares = (e: number) => slip39Split(secret, { groups: [[2, 3]], iterationExponent: e })[0]!.slice(0, 2);
  const s0 = shares(0);
  const s5 = shares(5);
  const rows = await measure(
    'hostile scans',
    [
      { name: 'assembler: frame declaring seqLength 10,000,000 (refused)', fn: refused(() => createAssembler().receive(frame), 'QR_FRAME_INVALID') },
      {
        name: `assembler: reassemble a Chebyshev-3072 key card (${frames.length} frames)`,
        fn: () => {
          const asm = createAssembler();
          for (const f of frames) if ((asm.receive(f), asm.isComplete())) break;
          return asm.payload();
        },
      },
      { name: `decodePng: ${(png.length / 1024).toFixed(1)} KiB PNG declaring 16384×16384 pixels (refused)`, fn: refused(() => decodePng(png), 'LIMIT_EXCEEDED') },
      { name: `decodePng: X25519 key card PNG (${(smallPng.length / 1024).toFixed(1)} KiB)`, fn: () => decodePng(smallPng) },
      { name: 'slip39Combine 2-of-3, iteration exponent 0', fn: () => slip39Combine(s0) },
      { name: 'slip39Combine 2-of-3, iteration exponent 5 (default cap)', fn: () => slip39Combine(s5) },
      { name: 'slip39Combine 2-of-3, exponent 5 with maxIterationExponent 4 (refused)', fn: refused(() => slip39Combine(s5, '', { maxIterationExponent: 4 }), 'LIMIT_EXCEEDED') },
    ],
    { time: 1500, warmupTime: 200 },
  );
  const markdown = [
    `Attack inputs of issue #16 items 3–5 next to the genuine operations they imitate (before the fix: the seqLength frame cost 2.8 s and 345 MB, the PNG 52 s and 1.8 GiB; SLIP-0039 exponent 15 costs about 10 minutes and is now refused before any PBKDF2 work like the capped row below).`,
    '',
    table(rows),
  ].join('\n');
  return { markdown, data: { rows } };
}
