import { createPublicKey, verify } from 'node:crypto';
import { createAttestationKey, parseTpmtSignature } from './src/index.ts';
const ak = createAttestationKey('sm2');
const k = createPublicKey(ak.pem);
console.log(k.asymmetricKeyType, k.export({type:'spki',format:'pem'}) === ak.pem);
const msg = new Uint8Array([1,2,3]);
const s = parseTpmtSignature(ak.sign(msg)) as any;
const der = (b: Uint8Array) => { let i=0; while(i<b.length-1 && b[i]===0) i++; let x=b.subarray(i); if (x[0]&0x80) x=Uint8Array.of(0,...x); return Buffer.concat([Buffer.from([2,x.length]), x]); };
const body = Buffer.concat([der(s.r), der(s.s)]);
const sig = Buffer.concat([Buffer.from([0x30, body.length]), body]);
try { console.log('node sm2 verify', verify('sm3', msg, k, sig)); } catch (e) { console.log('err', (e as Error).message); }
