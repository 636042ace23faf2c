import * as R from '/work/main/packages/ring-sig/src/index.ts';
const keys = Array.from({ length: 11 }, () => R.keygen());
const ring = keys.map((k) => k.publicKey);
const msg = new TextEncoder().encode('hello');
for (const scheme of ['clsag', 'blsag'] as const) {
  let t = performance.now();
  const sig = R.sign(msg, ring, keys[3]!.secretKey, { scheme, scope: 'e1' });
  console.log(scheme, 'sign ms', (performance.now() - t).toFixed(1));
  t = performance.now();
  console.log('verify', R.verify(sig, msg, ring, { scope: 'e1' }), (performance.now() - t).toFixed(1));
  console.log('wrong scope', R.verify(sig, msg, ring, { scope: 'e2' }), 'wrong msg', R.verify(sig, new Uint8Array(1), ring, { scope: 'e1' }));
  const enc = R.encode(sig); console.log('len', enc.length, R.signatureLength(11));
  console.log('decoded verify', R.verify(R.decode(enc), msg, ring, { scope: 'e1' }), R.verify(enc, msg, ring, { scope: 'e1' }));
  const ctx = R.createRingContext(ring);
  t = performance.now(); console.log('ctx verify1', ctx.verify(sig, msg, { scope: 'e1' }), (performance.now() - t).toFixed(1));
  t = performance.now(); console.log('ctx verify2', ctx.verify(sig, msg, { scope: 'e1' }), (performance.now() - t).toFixed(1));
  t = performance.now(); console.log('ctx verify3', ctx.verify(sig, msg, { scope: 'e1' }), (performance.now() - t).toFixed(1));
  console.log('ki match', Buffer.from(R.keyImage(sig)).toString('hex') === Buffer.from(R.computeKeyImage(keys[3]!.secretKey, { scope: 'e1' })).toString('hex'));
}
// aux
const aux = Array.from({ length: 11 }, () => R.keygen());
const s2 = R.sign(msg, ring, keys[5]!.secretKey, { auxRing: aux.map((a) => a.publicKey), auxSecretKey: aux[5]!.secretKey });
console.log('aux verify', R.verify(s2, msg, ring, { auxRing: aux.map((a) => a.publicKey) }), 'without aux', R.verify(s2, msg, ring), R.encode(s2).length);
