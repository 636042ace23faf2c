/**
 * Independent evaluation of Chebyshev polynomials mod p for the tests and the known-answer vectors — deliberately
 * NOT the library's Lucas ladder:
 *
 * - `tQuadratic(n, y, p)`: in the ring F_p[w]/(w² − (y² − 1)) (a field F_{p²} when y² − 1 is a non-residue, F_p × F_p
 *   otherwise), β = y + w satisfies β + β⁻¹ = 2y and β⁻¹ = y − w, so βⁿ = a + b·w gives T_n(y) = (βⁿ + β⁻ⁿ)/2 = a.
 *   Computed by right-to-left square-and-multiply on pairs (a, b). Works for every y, on both the p − 1 and p + 1
 *   sides.
 * - `tFp(n, y, p)`: the F_p* closed form for residue cases: β = y + √(y² − 1) with √a = a^((p+1)/4) (p ≡ 3 mod 4),
 *   T_n(y) = (βⁿ + (β⁻¹)ⁿ)/2 with the inverse by Fermat.
 */

/** a mod m in [0, m). */
export function md(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** Right-to-left square-and-multiply. */
export function powMod(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b = md(b, m);
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

/** T_n(y) mod p through the quadratic ring F_p[w]/(w² − (y² − 1)). */
export function tQuadratic(n: bigint, y: bigint, p: bigint): bigint {
  if (n < 0n) n = -n; // T_{−n} = T_n
  const d = md(y * y - 1n, p);
  let ra = 1n;
  let rb = 0n;
  let ba = md(y, p);
  let bb = 1n;
  while (n > 0n) {
    if (n & 1n) {
      const a = (ra * ba + ((rb * bb) % p) * d) % p;
      const b = (ra * bb + rb * ba) % p;
      ra = a;
      rb = b;
    }
    const a = (ba * ba + ((bb * bb) % p) * d) % p;
    const b = (2n * ba * bb) % p;
    ba = a;
    bb = b;
    n >>= 1n;
  }
  return ra;
}

/** T_n(y) mod p through F_p* (only when y² − 1 is a non-zero square mod p, p ≡ 3 mod 4). */
export function tFp(n: bigint, y: bigint, p: bigint): bigint {
  const d = md(y * y - 1n, p);
  const s = powMod(d, (p + 1n) / 4n, p);
  if ((s * s) % p !== d || d === 0n) throw new Error('tFp: y² − 1 is not a non-zero square');
  const beta = md(y + s, p);
  const betaInv = powMod(beta, p - 2n, p);
  const sum = (powMod(beta, n, p) + powMod(betaInv, n, p)) % p;
  return (sum * ((p + 1n) / 2n)) % p;
}

/** Legendre symbol by Euler's criterion (1, p − 1 → −1, or 0). */
export function legendre(a: bigint, p: bigint): number {
  const r = powMod(a, (p - 1n) / 2n, p);
  return r === 1n ? 1 : r === 0n ? 0 : -1;
}

/** Big-endian fixed-length encoding. */
export function enc(v: bigint, len: number): Uint8Array {
  return new Uint8Array(Buffer.from(v.toString(16).padStart(2 * len, '0'), 'hex'));
}

/** Big-endian decoding. */
export function dec(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString('hex')}`);
}

/**
 * Peer values y that must be rejected, with the reason, for a parameter set (p ≡ 7 mod 8, safe prime):
 * small orders on both sides, order 2q, a large-order element of the p + 1 side, out of range.
 */
export function invalidPeerValues(p: bigint, x: bigint): { y: bigint; reason: string }[] {
  const inv2 = (p + 1n) / 2n;
  const out: { y: bigint; reason: string }[] = [
    { y: 0n, reason: 'zero (β of order 4, p + 1 side)' },
    { y: 1n, reason: 'one (β = 1, identity)' },
    { y: p - 1n, reason: 'p − 1 = −1 (β = −1, order 2)' },
    { y: md(-inv2, p), reason: '−1/2 (β of order 3)' },
    { y: inv2, reason: '1/2 (β of order 6)' },
    { y: md(-x, p), reason: '−x (β = −α, order 2q: outside the order-q subgroup)' },
    { y: p, reason: 'p (not reduced)' },
    { y: p + 1n, reason: 'p + 1 (not reduced)' },
  ];
  // a non-residue for y² − 1: the first t ≥ 2 with (t² − 1 | p) = −1 (p + 1 side, large order)
  for (let t = 2n; ; t++) {
    if (legendre(t * t - 1n, p) === -1) {
      out.push({ y: t, reason: `${t}: y² − 1 is a non-residue (β on the p + 1 side)` });
      break;
    }
  }
  // order 8 on whichever side: β + β⁻¹ = √2 (2 is a square since p ≡ 7 mod 8), y = √2/2
  const r2 = powMod(2n, (p + 1n) / 4n, p);
  out.push({ y: (r2 * inv2) % p, reason: '√2/2 (β of order 8)' });
  return out;
}
