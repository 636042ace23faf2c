/**
 * GHASH (NIST SP 800-38D §6.4) with flat `Uint32Array` multiplication tables: for each byte (8-bit window) or nibble
 * (4-bit window) position of the input block, a table of the products of H with every value of that window, so one
 * block costs 16 (or 32) table look-ups of four words and no reductions. The window is chosen from the expected
 * input length (table set-up is 4096 or 512 entries). Same segment semantics as `@noble/ciphers`' GHASH: every
 * `update()` is zero-padded to a 16-byte boundary. Table look-ups are indexed by secret-dependent data, so this is
 * not constant-time against cache-timing attackers (like every table-driven GHASH in JavaScript).
 * @module
 */

/** Incremental GHASH over 16-byte-padded segments. @internal */
export class _Ghash {
  private readonly t: Int32Array;
  private readonly w8: boolean;
  private y0 = 0;
  private y1 = 0;
  private y2 = 0;
  private y3 = 0;

  /**
   * @param h - the 16-byte hash subkey H
   * @param expectedLength - total bytes that will be hashed (chooses 4- or 8-bit windows)
   */
  constructor(h: Uint8Array, expectedLength = 0) {
    this.w8 = expectedLength >= 4096;
    const W = this.w8 ? 8 : 4;
    const windows = 128 / W;
    const size = 1 << W;
    const t = new Int32Array(windows * size * 4);
    // P_k = H · x^k for k = 0..127 (bit-reflected GCM convention: x^1 is a right shift with reduction by 0xe1).
    let v0 = ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
    let v1 = ((h[4]! << 24) | (h[5]! << 16) | (h[6]! << 8) | h[7]!) >>> 0;
    let v2 = ((h[8]! << 24) | (h[9]! << 16) | (h[10]! << 8) | h[11]!) >>> 0;
    let v3 = ((h[12]! << 24) | (h[13]! << 16) | (h[14]! << 8) | h[15]!) >>> 0;
    for (let w = 0; w < windows; w++) {
      const base = w * size * 4;
      // single-bit entries: the window's most significant bit is the lowest power of x
      for (let j = 0; j < W; j++) {
        const o = base + (1 << (W - 1 - j)) * 4;
        t[o] = v0;
        t[o + 1] = v1;
        t[o + 2] = v2;
        t[o + 3] = v3;
        const carry = v3 & 1;
        v3 = ((v3 >>> 1) | (v2 << 31)) >>> 0;
        v2 = ((v2 >>> 1) | (v1 << 31)) >>> 0;
        v1 = ((v1 >>> 1) | (v0 << 31)) >>> 0;
        v0 = ((v0 >>> 1) ^ (carry ? 0xe1000000 : 0)) >>> 0;
      }
      // every other entry is the XOR of its lowest set bit's entry and the rest (linearity)
      for (let b = 3; b < size; b++) {
        const low = b & -b;
        if (low === b) continue;
        const o = base + b * 4;
        const a = base + low * 4;
        const r = base + (b ^ low) * 4;
        t[o] = t[a]! ^ t[r]!;
        t[o + 1] = t[a + 1]! ^ t[r + 1]!;
        t[o + 2] = t[a + 2]! ^ t[r + 2]!;
        t[o + 3] = t[a + 3]! ^ t[r + 3]!;
      }
    }
    this.t = t;
  }

  private block(z0: number, z1: number, z2: number, z3: number): void {
    const t = this.t;
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    let r3 = 0;
    if (this.w8) {
      // 16 byte windows, table i at offset i * 1024
      for (let wi = 0; wi < 4; wi++) {
        const z = wi === 0 ? z0 : wi === 1 ? z1 : wi === 2 ? z2 : z3;
        const base = wi * 4096;
        let o = base + ((z >>> 24) << 2);
        r0 ^= t[o]!;
        r1 ^= t[o + 1]!;
        r2 ^= t[o + 2]!;
        r3 ^= t[o + 3]!;
        o = base + 1024 + (((z >>> 16) & 255) << 2);
        r0 ^= t[o]!;
        r1 ^= t[o + 1]!;
        r2 ^= t[o + 2]!;
        r3 ^= t[o + 3]!;
        o = base + 2048 + (((z >>> 8) & 255) << 2);
        r0 ^= t[o]!;
        r1 ^= t[o + 1]!;
        r2 ^= t[o + 2]!;
        r3 ^= t[o + 3]!;
        o = base + 3072 + ((z & 255) << 2);
        r0 ^= t[o]!;
        r1 ^= t[o + 1]!;
        r2 ^= t[o + 2]!;
        r3 ^= t[o + 3]!;
      }
    } else {
      // 32 nibble windows, table i at offset i * 64
      for (let wi = 0; wi < 4; wi++) {
        const z = wi === 0 ? z0 : wi === 1 ? z1 : wi === 2 ? z2 : z3;
        const base = wi * 512;
        for (let n = 0; n < 8; n++) {
          const o = base + n * 64 + (((z >>> (28 - 4 * n)) & 15) << 2);
          r0 ^= t[o]!;
          r1 ^= t[o + 1]!;
          r2 ^= t[o + 2]!;
          r3 ^= t[o + 3]!;
        }
      }
    }
    this.y0 = r0;
    this.y1 = r1;
    this.y2 = r2;
    this.y3 = r3;
  }

  /** Absorbs `data`, zero-padded to a multiple of 16 bytes. */
  update(data: Uint8Array): this {
    const n = data.length;
    const full = n - (n % 16);
    let o = 0;
    if (this.w8) {
      // hot path inlined for 8-bit windows
      const t = this.t;
      let y0 = this.y0;
      let y1 = this.y1;
      let y2 = this.y2;
      let y3 = this.y3;
      for (; o < full; o += 16) {
        const z0 = y0 ^ ((data[o]! << 24) | (data[o + 1]! << 16) | (data[o + 2]! << 8) | data[o + 3]!);
        const z1 = y1 ^ ((data[o + 4]! << 24) | (data[o + 5]! << 16) | (data[o + 6]! << 8) | data[o + 7]!);
        const z2 = y2 ^ ((data[o + 8]! << 24) | (data[o + 9]! << 16) | (data[o + 10]! << 8) | data[o + 11]!);
        const z3 = y3 ^ ((data[o + 12]! << 24) | (data[o + 13]! << 16) | (data[o + 14]! << 8) | data[o + 15]!);
        let i = (z0 >>> 24) << 2;
        let r0 = t[i]!;
        let r1 = t[i + 1]!;
        let r2 = t[i + 2]!;
        let r3 = t[i + 3]!;
        i = 1024 + (((z0 >>> 16) & 255) << 2);
        r0 ^= t[i]!; r1 ^= t[i + 1]!; r2 ^= t[i + 2]!; r3 ^= t[i + 3]!;
        i = 2048 + (((z0 >>> 8) & 255) << 2);
        r0 ^= t[i]!; r1 ^= t[i + 1]!; r2 ^= t[i + 2]!; r3 ^= t[i + 3]!;
        i = 3072 + ((z0 & 255) << 2);
        r0 ^= t[i]!; r1 ^= t[i + 1]!; r2 ^= t[i + 2]!; r3 ^= t[i + 3]!;
        i = 4096 + ((z1 >>> 24) << 2);
        r0 ^= t[i]!; r1 ^= t[i + 1]!; r2 ^= t[i + 2]!; r3 ^= t[i + 3]!;
        i = 5120 + (((z1 >>> 16) & 255) << 2);
        r0 ^= t[i]!; r1 ^= t[i + 1]!; r2 ^= t[i + 2]!; r3 ^= t[i + 3]!;
        i = 6144 + (((z1 >>> 8) & 255) << 2);
        r0 ^= t[i]!; r1 ^= t[i + 1]!; r2 ^= t[i + 2]!; r3 ^= t[i + 3]!;
        i = 7168 + ((z1 & 255) << 2);
        r0 ^= t[i]!; r1 ^= t[i + 1]!; r2 ^= t[i + 2]!; r3 ^= t[i + 3]!;
        i = 8192 + ((z2 >>> 24) << 2);
        r0 ^= t[i]!; r1 ^= t[i + 1]!; r2 ^= t[i + 2]!; r3 ^= t[i + 3]!;
        i = 9216 + (((z2 >>> 16) & 255) << 2);
        r0 ^= t[i]!; r1 ^= t[i + 1]!; r2 ^= t[i + 2]!; r3 ^= t[i + 3]!;
        i = 10240 + (((z2 >>> 8) & 255) << 2);
        r0 ^= t[i]!; r1 ^= t[i + 1]!; r2 ^= t[i + 2]!; r3 ^= t[i + 3]!;
        i = 11264 + ((z2 & 255) << 2);
        r0 ^= t[i]!; r1 ^= t[i + 1]!; r2 ^= t[i + 2]!; r3 ^= t[i + 3]!;
        i = 12288 + ((z3 >>> 24) << 2);
        r0 ^= t[i]!; r1 ^= t[i + 1]!; r2 ^= t[i + 2]!; r3 ^= t[i + 3]!;
        i = 13312 + (((z3 >>> 16) & 255) << 2);
        r0 ^= t[i]!; r1 ^= t[i + 1]!; r2 ^= t[i + 2]!; r3 ^= t[i + 3]!;
        i = 14336 + (((z3 >>> 8) & 255) << 2);
        r0 ^= t[i]!; r1 ^= t[i + 1]!; r2 ^= t[i + 2]!; r3 ^= t[i + 3]!;
        i = 15360 + ((z3 & 255) << 2);
        r0 ^= t[i]!; r1 ^= t[i + 1]!; r2 ^= t[i + 2]!; r3 ^= t[i + 3]!;
        y0 = r0;
        y1 = r1;
        y2 = r2;
        y3 = r3;
      }
      this.y0 = y0;
      this.y1 = y1;
      this.y2 = y2;
      this.y3 = y3;
    } else {
      for (; o < full; o += 16) {
        this.block(
          this.y0 ^ ((data[o]! << 24) | (data[o + 1]! << 16) | (data[o + 2]! << 8) | data[o + 3]!),
          this.y1 ^ ((data[o + 4]! << 24) | (data[o + 5]! << 16) | (data[o + 6]! << 8) | data[o + 7]!),
          this.y2 ^ ((data[o + 8]! << 24) | (data[o + 9]! << 16) | (data[o + 10]! << 8) | data[o + 11]!),
          this.y3 ^ ((data[o + 12]! << 24) | (data[o + 13]! << 16) | (data[o + 14]! << 8) | data[o + 15]!),
        );
      }
    }
    if (o < n) {
      const last = new Uint8Array(16);
      last.set(data.subarray(o));
      this.block(
        this.y0 ^ ((last[0]! << 24) | (last[1]! << 16) | (last[2]! << 8) | last[3]!),
        this.y1 ^ ((last[4]! << 24) | (last[5]! << 16) | (last[6]! << 8) | last[7]!),
        this.y2 ^ ((last[8]! << 24) | (last[9]! << 16) | (last[10]! << 8) | last[11]!),
        this.y3 ^ ((last[12]! << 24) | (last[13]! << 16) | (last[14]! << 8) | last[15]!),
      );
      last.fill(0);
    }
    return this;
  }

  /** Returns the 16-byte GHASH value and wipes the tables. */
  digest(): Uint8Array {
    const out = new Uint8Array(16);
    const v = new DataView(out.buffer);
    v.setUint32(0, this.y0 >>> 0, false);
    v.setUint32(4, this.y1 >>> 0, false);
    v.setUint32(8, this.y2 >>> 0, false);
    v.setUint32(12, this.y3 >>> 0, false);
    this.t.fill(0);
    this.y0 = this.y1 = this.y2 = this.y3 = 0;
    return out;
  }
}
