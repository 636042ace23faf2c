/**
 * HPKE single-shot seal+open of 1 KiB (RFC 9180 §6.1), PrivKit vs @hpke/core, same run.
 * @hpke/core is asynchronous (WebCrypto): each of its operations is timed as one awaited promise chain
 * (seal then open); PrivKit's API is synchronous and is timed as plain calls.
 */
import { Aes128Gcm, CipherSuite, DhkemP256HkdfSha256, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { hpke } from '@privkit/envelope';
import { crossValidate, measure, ratio, table, target, type Row } from '../lib.js';

export const title = 'HPKE (RFC 9180) single-shot seal+open, 1 KiB — PrivKit vs @hpke/core';

export async function run(): Promise<{ markdown: string; data: unknown }> {
  const pt = new Uint8Array(1024).map((_, i) => i);
  const info = new TextEncoder().encode('bench');
  const aad = new Uint8Array(0);
  const rows: Row[] = [];
  const lines: string[] = [];
  for (const [label, kemId, theirKem] of [
    ['DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM', 0x20, () => new DhkemX25519HkdfSha256()],
    ['DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM', 0x10, () => new DhkemP256HkdfSha256()],
  ] as const) {
    const s = hpke.suite(kemId, 1, 1);
    const them = new CipherSuite({ kem: theirKem(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });
    const kp = s.kem.generateKeyPair();
    const rPriv = await them.kem.deserializePrivateKey(kp.secretKey);
    const rPub = await them.kem.deserializePublicKey(kp.publicKey);
    const ours = () => {
      const { enc, ct } = hpke.sealBase(s, kp.publicKey, info, aad, pt);
      return hpke.openBase(s, enc, kp.secretKey, info, aad, ct);
    };
    const theirs = async () => {
      const r = await them.seal({ recipientPublicKey: rPub, info }, pt, aad);
      return new Uint8Array(await them.open({ recipientKey: rPriv, enc: r.enc, info }, r.ct, aad));
    };
    // cross-validate: each opens what the other sealed, and both recover the plaintext
    const a = hpke.sealBase(s, kp.publicKey, info, aad, pt);
    const theirsOpensOurs = new Uint8Array(await them.open({ recipientKey: rPriv, enc: a.enc, info }, a.ct, aad));
    const b = await them.seal({ recipientPublicKey: rPub, info }, pt, aad);
    const oursOpensTheirs = hpke.openBase(s, new Uint8Array(b.enc), kp.secretKey, info, aad, new Uint8Array(b.ct));
    crossValidate(label, { pt, ours: ours(), theirs: await theirs(), theirsOpensOurs, oursOpensTheirs });
    const nOurs = `privkit ${kemId === 0x20 ? 'X25519' : 'P-256'}`;
    const nTheirs = `@hpke/core ${kemId === 0x20 ? 'X25519' : 'P-256'} (async)`;
    const r = await measure(label, [
      { name: nOurs, fn: ours },
      { name: nTheirs, fn: theirs },
    ], { time: 800, warmupTime: 200 });
    rows.push(...r);
    lines.push(target(`${label}: PrivKit vs @hpke/core`, ratio(r, nOurs, nTheirs), 5));
  }
  const markdown = [
    'One operation = `sealBase` + `openBase` of 1 KiB with a fresh ephemeral key (two DH on the sender side, one on the',
    'recipient side, the full key schedule, AES-128-GCM). `@hpke/core` 1.9.0 is asynchronous (WebCrypto): its operation is',
    'one awaited `seal` + `open`; PrivKit is synchronous. Outputs were cross-checked both ways before timing. Ratios are',
    'medians from the same run (the machine is shared with other jobs).',
    '',
    table(rows),
    '',
    ...lines,
  ].join('\n');
  return { markdown, data: rows };
}
