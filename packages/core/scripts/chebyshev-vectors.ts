/**
 * Generates the Chebyshev known-answer vectors in `test/vectors/chebyshev/` with the INDEPENDENT closed-form
 * evaluation of `test/chebyshev-closed-form.ts` (quadratic-ring exponentiation, cross-checked against the F_p*
 * formula), never with the library's ladder. Deterministic: secret keys come from SHAKE-256 of fixed labels.
 *
 * Run: `cd packages/core && npx tsx scripts/chebyshev-vectors.ts` (rewrites the JSON files; the README records
 * their sha256).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { shake256 } from '@noble/hashes/sha3.js';
import { CHEBYSHEV_PARAMS, type ChebyshevParamsId } from '../src/chebyshev-params.js';
import { dec, enc, invalidPeerValues, tFp, tQuadratic } from '../test/chebyshev-closed-form.js';

const outDir = new URL('../test/vectors/chebyshev/', import.meta.url);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function secretKey(id: ChebyshevParamsId, label: string): Uint8Array {
  const P = CHEBYSHEV_PARAMS[id];
  const sk = shake256(new TextEncoder().encode(`PrivKit/chebyshev/v1/kat/${id}/${label}`), { dkLen: P.secretKeyLength });
  sk[0] = sk[0]! & ((1 << (P.exponentBits - 8 * (P.secretKeyLength - 1))) - 1);
  return sk;
}

function evalBoth(n: bigint, y: bigint, p: bigint): bigint {
  const a = tQuadratic(n, y, p);
  const b = tFp(n, y, p);
  if (a !== b) throw new Error('closed forms disagree');
  return a;
}

for (const id of ['chebyshev-3072', 'chebyshev-2048'] as const) {
  const P = CHEBYSHEV_PARAMS[id];
  const L = P.publicKeyLength;
  const maxKey = enc((1n << BigInt(P.exponentBits)) - 1n, P.secretKeyLength);
  const keySources: [string, Uint8Array][] = [
    ['n = 1 (T_1(x) = x)', enc(1n, P.secretKeyLength)],
    ['n = 2 (T_2(x) = 2x² − 1)', enc(2n, P.secretKeyLength)],
    ['n = 2^exponentBits − 1 (largest key)', maxKey],
    ...[0, 1, 2, 3].map((i): [string, Uint8Array] => [`SHAKE-256 label key-${i}`, secretKey(id, `key-${i}`)]),
  ];
  const keys = keySources.map(([comment, sk]) => {
    const pk = enc(evalBoth(dec(sk), P.x, P.p), L);
    return { comment, secretKey: hex(sk), publicKey: hex(pk) };
  });
  const infos = ['', '507269764b6974206b6174'];
  const agreements = [0, 1].map((i) => {
    const skA = secretKey(id, `agree-${i}-a`);
    const skB = secretKey(id, `agree-${i}-b`);
    const pkA = evalBoth(dec(skA), P.x, P.p);
    const pkB = evalBoth(dec(skB), P.x, P.p);
    const zA = evalBoth(dec(skA), pkB, P.p);
    const zB = evalBoth(dec(skB), pkA, P.p);
    const zAB = evalBoth(dec(skA) * dec(skB), P.x, P.p);
    if (zA !== zB || zA !== zAB) throw new Error('agreement failed');
    const z = enc(zA, L);
    const info = infos[i]!;
    const salt = new TextEncoder().encode(`PrivKit/chebyshev/v1/${id}/shared-secret`);
    const ss = hkdf(sha256, z, salt, Buffer.from(info, 'hex'), 32);
    return {
      secretKeyA: hex(skA),
      secretKeyB: hex(skB),
      publicKeyA: hex(enc(pkA, L)),
      publicKeyB: hex(enc(pkB, L)),
      sharedValue: hex(z),
      info,
      sharedSecret: hex(ss),
    };
  });
  const invalidPublicKeys = invalidPeerValues(P.p, P.x).map(({ y, reason }) => ({
    publicKey: y < 1n << BigInt(8 * L) ? hex(enc(y, L)) : '',
    reason,
  }));
  const doc = {
    source: 'PrivKit scripts/chebyshev-vectors.ts (independent closed-form evaluation, see README.md)',
    paramsId: id,
    p: P.p.toString(16),
    x: P.x.toString(16),
    exponentBits: P.exponentBits,
    keys,
    agreements,
    invalidPublicKeys,
  };
  const file = new URL(`${id}.json`, outDir);
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  writeFileSync(file, text);
  process.stdout.write(`${id}.json sha256 ${createHash('sha256').update(text).digest('hex')}\n`);
}
