/**
 * One Ed25519 verification rule for both entries: RFC 8032 §5.1.7 with strict (canonical) encodings, the
 * cofactorless equation [S]B = R + [k]A' (which §5.1.7 permits and OpenSSL — the Node entry — uses), S < L, and
 * small-order public keys refused. The portable entry evaluates the equation here on noble's point arithmetic; the
 * Node entry applies {@link ed25519KeyAcceptable} and then OpenSSL, so both answer the same for every input
 * (packages/attest/test/paths.test.ts "Ed25519: one rule on both entries"). Internal; see docs/ARCHITECTURE.md.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';

type EdPoint = ReturnType<typeof ed25519.Point.fromBytes>;
/** The prime order L of the Ed25519 base point (RFC 8032 §5.1). */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function leToBigint(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

/** The public key as a point when it is a canonical encoding of a point that is not of small order; else undefined. */
function strictKey(publicKey: Uint8Array): EdPoint | undefined {
  if (publicKey.length !== 32) return undefined;
  try {
    const A = ed25519.Point.fromBytes(publicKey, false);
    return A.isSmallOrder() ? undefined : A;
  } catch {
    return undefined;
  }
}

/**
 * True when the signature and key pass the checks OpenSSL does not make on its own: a 64-byte signature with
 * S < L, and a canonical public key that is not of small order.
 */
export function ed25519KeyAcceptable(sig: Uint8Array, publicKey: Uint8Array): boolean {
  if (sig.length !== 64) return false;
  if (leToBigint(sig.subarray(32)) >= L) return false;
  return strictKey(publicKey) !== undefined;
}

/** Strict cofactorless Ed25519 verification (portable). False on any error. */
export function ed25519VerifyStrict(message: Uint8Array, sig: Uint8Array, publicKey: Uint8Array): boolean {
  if (!ed25519KeyAcceptable(sig, publicKey)) return false;
  const A = strictKey(publicKey)!;
  const R = sig.subarray(0, 32);
  const s = leToBigint(sig.subarray(32));
  const k = leToBigint(sha512.create().update(R).update(publicKey).update(message).digest()) % L;
  // R' = [S]B − [k]A; the signature verifies when R' encodes to exactly the R bytes (so R must be canonical).
  const Rp = ed25519.Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k));
  const enc = Rp.toBytes();
  let d = 0;
  for (let i = 0; i < 32; i++) d |= enc[i]! ^ R[i]!;
  return d === 0;
}
