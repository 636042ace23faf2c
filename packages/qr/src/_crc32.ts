/**
 * CRC-32 (ISO-HDLC / IEEE 802.3: reflected polynomial 0xEDB88320, initial and final xor 0xFFFFFFFF), the checksum
 * of Blockchain Commons bytewords (BCR-2020-012 §"Checksum") and of fountain-coded messages (BCR-2020-005).
 * @module
 */

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 of `data` as an unsigned 32-bit number. */
export function _crc32(data: Uint8Array): number {
  const t = crcTable();
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The 4 big-endian bytes of an unsigned 32-bit number. */
export function _u32be(v: number): Uint8Array {
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}
