/**
 * Re-derives and checks the Chebyshev key-agreement parameters frozen in `src/chebyshev-params.ts`.
 *
 * Run: `cd packages/core && npx tsx scripts/chebyshev-params.ts` (add `--print` to print the derived constants as
 * TypeScript). Exit code 0 only when every derived value equals the frozen one and every check passes.
 *
 * Derivation (nothing up my sleeve, no free choices left):
 *  1. The prime p is the RFC 3526 MODP prime of the same size, rebuilt from the binary digits of π:
 *     p = 2^L − 2^(L−64) − 1 + 2^64 · (⌊2^(L−130) · π⌋ + c), with (L, c) = (3072, 1690314) for group 15 and
 *     (2048, 124476) for group 14 (RFC 3526 §4 and §3). π is computed here with Machin's formula.
 *  2. α is the first h² mod p ∉ {0, 1, p−1}, where h = OS2IP(SHAKE-256(label ‖ u32be(i), |p| bytes)) mod p for
 *     i = 0, 1, 2, … and label = "PrivKit/chebyshev/v1/<id>/generator" (UTF-8).
 *  3. x = (α + α⁻¹) / 2 mod p, so T_n(x) = (αⁿ + α⁻ⁿ) / 2 mod p.
 *
 * Checks (independent of the library code; used by `test/chebyshev-params.test.ts`):
 *  - p and q = (p − 1)/2 are prime: node:crypto `checkPrimeSync` AND our own Miller–Rabin (random bases from
 *    node:crypto), so p − 1 = 2 · q is the complete factorisation of the order of F_p*;
 *  - p ≡ 7 (mod 8) (so 2 is a square and √a = a^((p+1)/4) for squares a);
 *  - α ≠ 1 and α^q = 1, so α has prime order q (the subgroup of squares of F_p*);
 *  - x = (α + α⁻¹)/2 and x² − 1 is a quadratic residue (Euler's criterion): the F_p* ("p − 1 side") case, with
 *    √(x² − 1) = (α − α⁻¹)/2;
 *  - q does not divide p + 1 (so the order-q subgroup does not also exist on the p + 1 side).
 */
import { checkPrimeSync, randomBytes } from 'node:crypto';
import { shake256 } from '@noble/hashes/sha3.js';
import { CHEBYSHEV_PARAMS } from '../src/chebyshev-params.js';

/** The values the derivation produces for one parameter set. */
export interface DerivedParams {
  id: string;
  p: bigint;
  q: bigint;
  alpha: bigint;
  x: bigint;
  generatorCounter: number;
}

const SPEC = {
  'chebyshev-3072': { bits: 3072, offset: 1690314n },
  'chebyshev-2048': { bits: 2048, offset: 124476n },
} as const;

type Id = keyof typeof SPEC;

function atanInv(x: bigint, scale: bigint): bigint {
  let sum = 0n;
  let term = scale / x;
  let k = 1n;
  let sign = 1n;
  const x2 = x * x;
  while (term !== 0n) {
    sum += sign * (term / k);
    term /= x2;
    k += 2n;
    sign = -sign;
  }
  return sum;
}

/** ⌊2^bits · π⌋ by Machin's formula π = 16·atan(1/5) − 4·atan(1/239), with 64 guard bits. */
export function piFloor(bits: number): bigint {
  const guard = 64n;
  const scale = 1n << (BigInt(bits) + guard);
  return (16n * atanInv(5n, scale) - 4n * atanInv(239n, scale)) >> guard;
}

/** Square-and-multiply modular exponentiation (script-local; not the library's code). */
export function powMod(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  if (b < 0n) b += m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

function bytesToBig(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString('hex')}`);
}

/** Miller–Rabin with `rounds` random bases drawn from node:crypto. */
export function millerRabin(n: bigint, rounds: number): boolean {
  if (n < 4n) return n === 2n || n === 3n;
  if (n % 2n === 0n) return false;
  let d = n - 1n;
  let s = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    s++;
  }
  const len = Math.ceil(n.toString(16).length / 2) + 8;
  for (let i = 0; i < rounds; i++) {
    const a = 2n + (bytesToBig(randomBytes(len)) % (n - 3n));
    let x = powMod(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let j = 1; j < s; j++) {
      x = (x * x) % n;
      if (x === n - 1n) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

/** Derives one parameter set from its documented seed (π and a SHAKE-256 label). */
export function deriveParams(id: Id): DerivedParams {
  const { bits, offset } = SPEC[id];
  const L = BigInt(bits);
  const p = (1n << L) - (1n << (L - 64n)) - 1n + (1n << 64n) * (piFloor(bits - 130) + offset);
  const q = (p - 1n) / 2n;
  const label = new TextEncoder().encode(`PrivKit/chebyshev/v1/${id}/generator`);
  for (let i = 0; i < 1000; i++) {
    const ctr = new Uint8Array([i >>> 24, (i >>> 16) & 255, (i >>> 8) & 255, i & 255]);
    const seed = new Uint8Array(label.length + 4);
    seed.set(label);
    seed.set(ctr, label.length);
    const h = bytesToBig(shake256(seed, { dkLen: bits / 8 })) % p;
    const alpha = (h * h) % p;
    if (alpha === 0n || alpha === 1n || alpha === p - 1n) continue;
    const alphaInv = powMod(alpha, p - 2n, p);
    const x = ((alpha + alphaInv) * ((p + 1n) / 2n)) % p;
    return { id, p, q, alpha, x, generatorCounter: i };
  }
  throw new Error('no generator found');
}

/** One failed or passed check, for the report. */
export interface CheckResult {
  name: string;
  ok: boolean;
}

/**
 * Checks a parameter set (frozen constants or freshly derived ones). `mrRounds` own Miller–Rabin rounds per prime
 * (in addition to node:crypto's `checkPrimeSync`); `primality = false` skips the primality tests (only for the test
 * that shows the other checks catch a corrupted constant).
 */
export function checkParams(
  params: { p: bigint; q: bigint; alpha: bigint; x: bigint; pBits: number },
  mrRounds = 8,
  primality = true,
): CheckResult[] {
  const { p, q, alpha, x } = params;
  const out: CheckResult[] = [];
  const add = (name: string, ok: boolean) => out.push({ name, ok });
  add(`p has ${params.pBits} bits`, p.toString(2).length === params.pBits);
  add('p − 1 = 2 · q', p - 1n === 2n * q);
  add('p ≡ 7 (mod 8)', p % 8n === 7n);
  if (primality) {
    add('p is prime (node:crypto checkPrimeSync)', checkPrimeSync(p));
    add('q is prime (node:crypto checkPrimeSync)', checkPrimeSync(q));
    add(`p is prime (own Miller–Rabin, ${mrRounds} rounds)`, millerRabin(p, mrRounds));
    add(`q is prime (own Miller–Rabin, ${mrRounds} rounds)`, millerRabin(q, mrRounds));
  }
  add('q does not divide p + 1', (p + 1n) % q !== 0n);
  add('1 < α < p − 1', alpha > 1n && alpha < p - 1n);
  add('α^q = 1 (α has prime order q)', powMod(alpha, q, p) === 1n);
  const alphaInv = powMod(alpha, p - 2n, p);
  add('α · α⁻¹ = 1', (alpha * alphaInv) % p === 1n);
  add('2x = α + α⁻¹', (2n * x) % p === (alpha + alphaInv) % p);
  const d = (x * x - 1n) % p;
  add('x² − 1 is a non-zero quadratic residue (F_p* case)', d !== 0n && powMod(d, q, p) === 1n);
  const delta = ((alpha - alphaInv + p) * ((p + 1n) / 2n)) % p;
  add('((α − α⁻¹)/2)² = x² − 1', (delta * delta) % p === d);
  return out;
}

function main(): number {
  const print = process.argv.includes('--print');
  let failures = 0;
  for (const id of Object.keys(SPEC) as Id[]) {
    const t0 = performance.now();
    const d = deriveParams(id);
    if (print) {
      const hex = (v: bigint) => `0x${v.toString(16)}n`;
      process.stdout.write(
        `  '${id}': { p: ${hex(d.p)}, q: ${hex(d.q)}, alpha: ${hex(d.alpha)}, x: ${hex(d.x)}, generatorCounter: ${d.generatorCounter} }\n`,
      );
    }
    const frozen = CHEBYSHEV_PARAMS[id];
    const same =
      frozen.p === d.p && frozen.q === d.q && frozen.alpha === d.alpha && frozen.x === d.x && frozen.generatorCounter === d.generatorCounter;
    const results = [{ name: 'derived values equal the frozen constants', ok: same }, ...checkParams({ ...d, pBits: frozen.pBits }, 16)];
    for (const r of results) {
      process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'} ${id}: ${r.name}\n`);
      if (!r.ok) failures++;
    }
    process.stdout.write(`     ${id}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  process.stdout.write(failures === 0 ? 'all checks passed\n' : `${failures} check(s) FAILED\n`);
  return failures === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) process.exitCode = main();
