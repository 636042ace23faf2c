/**
 * Envelopes: 1 MiB seal+open (AES-256-GCM) vs raw node:crypto; SM2 encrypt+decrypt 1 KiB vs sm-crypto-v2;
 * a 100-recipient envelope (seal time, header bytes per recipient). Same run.
 */
import { createCipheriv, createDecipheriv, diffieHellman, generateKeyPairSync, randomBytes } from 'node:crypto';
import { sm2 as smv2 } from 'sm-crypto-v2';
import { hpke, open, seal, sm2Decrypt, sm2Encrypt } from '@privkit/envelope';
import { crossValidate, measure, ratio, table, target, type Row } from '../lib.js';

export const title = 'Envelopes — 1 MiB AES-256-GCM, SM2 encryption, 100 recipients';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export async function run(): Promise<{ markdown: string; data: unknown }> {
  const out: string[] = [];
  const rows: Row[] = [];
  // 1 MiB envelope vs raw aes-256-gcm
  const MiB = new Uint8Array(1 << 20).map((_, i) => i * 13);
  const kem = hpke.suite(0x20, 1, 2).kem;
  const kp = kem.generateKeyPair();
  const env = () => open(seal(MiB, [kp.publicKey], { suite: 'X25519-SHA256-AES-256-GCM' }), kp.secretKey);
  const kpP = hpke.suite(0x10, 1, 2).kem.generateKeyPair();
  const envP = () => open(seal(MiB, [kpP.publicKey], { suite: 'P256-SHA256-AES-256-GCM' }), kpP.secretKey);
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const raw = () => {
    const c = createCipheriv('aes-256-gcm', key, iv);
    const ct = Buffer.concat([c.update(MiB), c.final()]);
    const tag = c.getAuthTag();
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAuthTag(tag);
    return new Uint8Array(Buffer.concat([d.update(ct), d.final()]));
  };
  // The floor for any X25519 KEM on top of that AES work: raw + the three native X25519 operations an
  // encapsulation and a decapsulation cannot avoid (ephemeral keygen, DH on each side) — no KDF, no key wrap, no header.
  const recipient = generateKeyPairSync('x25519');
  const floor = () => {
    const e = generateKeyPairSync('x25519');
    const a = diffieHellman({ privateKey: e.privateKey, publicKey: recipient.publicKey });
    const b = diffieHellman({ privateKey: recipient.privateKey, publicKey: e.publicKey });
    if (a[0] !== b[0]) throw new Error('DH mismatch');
    return raw();
  };
  crossValidate('1 MiB', { pt: MiB, envelope: env(), envelopeP256: envP(), raw: raw(), floor: floor() });
  const r1 = await measure('1 MiB', [
    { name: 'privkit seal+open 1 MiB (X25519, AES-256-GCM)', fn: env },
    { name: 'privkit seal+open 1 MiB (P-256, AES-256-GCM)', fn: envP },
    { name: 'raw node:crypto aes-256-gcm enc+dec 1 MiB', fn: raw },
    { name: 'floor: raw + native X25519 keygen + 2 DH (no KDF, wrap or header)', fn: floor },
  ], { time: 1000, warmupTime: 200 });
  rows.push(...r1);
  out.push('### 1 MiB envelope vs raw AES-256-GCM\n', table(r1, 1 << 20), '', target('envelope (X25519) seal+open vs raw node:crypto aes-256-gcm', ratio(r1, r1[0]!.name, r1[2]!.name), 0.85), target('envelope (P-256) seal+open vs raw node:crypto aes-256-gcm', ratio(r1, r1[1]!.name, r1[2]!.name), 0.85), '', 'The envelope operation includes the KEM (one encapsulation, one decapsulation) on top of the same AES-256-GCM work.', `The floor row is what any X25519-based envelope must at least add to the raw AES work (three native X25519 scalar multiplications): even with zero cost for everything else (HKDF key schedule, DEK wrapping, header, key ids) the best attainable ratio in this run is ${ratio(r1, r1[3]!.name, r1[2]!.name).toFixed(2)}×; the envelope's own overhead above that floor is ${((r1[0]!.medianMs - r1[3]!.medianMs) * 1000).toFixed(0)} µs per seal+open.`, '');

  // SM2 encryption 1 KiB
  const kpHex = smv2.generateKeyPairHex();
  const sk = Uint8Array.from(Buffer.from(kpHex.privateKey, 'hex'));
  const pk = Uint8Array.from(Buffer.from(kpHex.publicKey, 'hex'));
  const KiB = new Uint8Array(1024).map((_, i) => i);
  const ours = () => sm2Decrypt(sm2Encrypt(KiB, pk), sk);
  const theirs = () => Uint8Array.from(smv2.doDecrypt(smv2.doEncrypt(KiB, kpHex.publicKey, 1), kpHex.privateKey, 1, { output: 'array' }));
  crossValidate('sm2', {
    pt: KiB,
    ours: ours(),
    theirs: theirs(),
    oursOpensTheirs: sm2Decrypt(Uint8Array.from(Buffer.from(smv2.doEncrypt(KiB, kpHex.publicKey, 1), 'hex')), sk, { prefix: false }),
    theirsOpensOurs: Uint8Array.from(smv2.doDecrypt(hex(sm2Encrypt(KiB, pk, { prefix: false })), kpHex.privateKey, 1, { output: 'array' })),
  });
  const r2 = await measure('sm2', [
    { name: 'privkit sm2Encrypt+sm2Decrypt 1 KiB', fn: ours },
    { name: 'sm-crypto-v2 doEncrypt+doDecrypt 1 KiB', fn: theirs },
  ], { time: 1000, warmupTime: 200 });
  rows.push(...r2);
  out.push('### SM2 public-key encryption (C1C3C2), 1 KiB\n', 'sm-crypto-v2 is called as documented (hex public key, cipherMode 1, no `precomputePublicKey`).\n', table(r2), '', target('SM2 encrypt+decrypt vs sm-crypto-v2', ratio(r2, r2[0]!.name, r2[1]!.name), 2), '');

  // 100 recipients
  const recips = Array.from({ length: 100 }, () => kem.generateKeyPair());
  const pks = recips.map((r) => r.publicKey);
  const small = new Uint8Array(1024);
  const e100 = seal(small, pks);
  crossValidate('100', { pt: small, first: open(e100, recips[0]!.secretKey), last: open(e100, recips[99]!.secretKey) });
  const r3 = await measure('100 recipients', [
    { name: 'seal 1 KiB to 100 X25519 recipients', fn: () => seal(small, pks) },
    { name: 'open as the 100th recipient', fn: () => open(e100, recips[99]!.secretKey) },
  ], { time: 1000, warmupTime: 200 });
  rows.push(...r3);
  const headerBytes = e100.length - (small.length + 16);
  out.push(
    '### Envelope to 100 recipients (X25519-SHA256-AES-256-GCM)\n',
    table(r3),
    '',
    `- envelope size ${e100.length} B for a 1 KiB payload: header ${headerBytes} B = 15 B fixed + ${((headerBytes - 15) / 100).toFixed(0)} B per recipient (8 B key id + 32 B enc + 48 B wrapped key)`,
    `- seal time per recipient: ${((r3[0]!.medianMs * 1000) / 100).toFixed(0)} µs`,
    '',
    'Ratios are medians from the same run on a machine shared with other jobs.',
  );
  return { markdown: out.join('\n'), data: { rows, headerBytes, perRecipient: (headerBytes - 15) / 100 } };
}
