/**
 * A minimal self-signed X.509 v1 certificate (ECDSA P-256 / SHA-256) for the Fabric test harness's identities.
 * Test infrastructure only: no extensions, no CA hierarchy.
 * @module
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const oid = (dotted: string) => {
  const p = dotted.split('.').map(Number);
  const out = [40 * p[0]! + p[1]!];
  for (const v of p.slice(2)) {
    const stack = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) stack.unshift(0x80 | (x & 0x7f));
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
};
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const utcTime = (d: Date) => tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'));
const name = (org: string, cn: string) =>
  seq(tlv(0x31, seq(oid('2.5.4.10'), utf8(org))), tlv(0x31, seq(oid('2.5.4.3'), utf8(cn))));

/** A generated identity: PEM certificate and its private key. */
export interface TestCertificate {
  certificate: string;
  privateKey: KeyObject;
}

/** Generates a P-256 key and a self-signed certificate for `O=org, CN=cn`. */
export function selfSignedCertificate(org: string, cn: string, serial: number): TestCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const alg = seq(oid('1.2.840.10045.4.3.2'));
  const now = Date.now();
  const tbs = seq(
    tlv(0x02, Buffer.from([serial & 0x7f || 1])),
    alg,
    name(org, cn),
    seq(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 10 * 365 * 86400_000))),
    name(org, cn),
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, alg, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return { certificate: `-----BEGIN CERTIFICATE-----\n${b64.trim()}\n-----END CERTIFICATE-----\n`, privateKey };
}
