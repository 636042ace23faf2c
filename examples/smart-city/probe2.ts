import { createAggregationContext } from '@privkit/he';
import { keygen, sign, verify, createRingContext } from '@privkit/ring-sig';
const t = () => performance.now();
let t0 = t();
const ctx = await createAggregationContext({ maxAbsReading: 10000 });
const owner = ctx.keygen();
const dev = ctx.device(owner.publicKey.serialize());
for (let i = 0; i < 3; i++) { t0 = t(); const b = dev.encrypt([1, 2, 3]).serialize(); console.log('enc', t() - t0, b.length); }
for (let i = 0; i < 2; i++) { t0 = t(); const b = dev.encrypt([1, 2, 3]).serialize({compression:'none'}); console.log('enc none', t() - t0, b.length); }
const ks = Array.from({ length: 24 }, () => keygen());
const ring = ks.map((k) => k.publicKey);
const rc = createRingContext(ring, { precompute: false });
for (let i = 0; i < 3; i++) { t0 = t(); const s = sign(new Uint8Array(32), rc, ks[i]!.secretKey, { scope: 'e1' }); console.log('sign', t() - t0); t0 = t(); verify(s, new Uint8Array(32), rc, { scope: 'e1' }); console.log('verify', t() - t0); }
for (let i = 0; i < 2; i++) { t0 = t(); const s = sign(new Uint8Array(32), rc, ks[i]!.secretKey, { scope: 'e1', scheme: 'blsag' }); console.log('sign blsag', t() - t0); t0 = t(); verify(s, new Uint8Array(32), rc, { scope: 'e1' }); console.log('verify', t() - t0); }
const rc2 = createRingContext(ring, { precompute: true });
for (let i = 0; i < 3; i++) { const s = sign(new Uint8Array(32), rc2, ks[i]!.secretKey, { scope: 'e1' }); t0 = t(); verify(s, new Uint8Array(32), rc2, { scope: 'e1' }); console.log('verify pre', t() - t0); }
ctx.dispose();
