/**
 * Issue 16 items 1–2: what the key commitment (FORMAT.md §3.1, version 2) costs per seal and per open, and what a
 * header that names one recipient in 200 slots costs that recipient. The suite only uses the public API, so the
 * same file measures the version-1 sources (before) and the version-2 sources (after).
 */
import { hpke, open, seal } from '@privkit/envelope';
import { crossValidate, measure, table, type Row } from '../lib.js';

export const title = 'Envelope key commitment and duplicate key ids — seal/open cost (issue 16)';

export async function run(): Promise<{ markdown: string; data: unknown }> {
  const kem = hpke.suite(0x20, 1, 2).kem;
  const kp = kem.generateKeyPair();
  const other = kem.generateKeyPair();
  const suite = 'X25519-SHA256-AES-256-GCM' as const;
  const sizes = [16, 1024, 1 << 20];
  const rows: Row[] = [];
  const out: string[] = [];
  const contenders = sizes.flatMap((n) => {
    const pt = new Uint8Array(n).map((_, i) => i * 13);
    const env = seal(pt, [kp.publicKey, other.publicKey], { suite });
    crossValidate(`${n} B`, { pt, opened: open(env, kp.secretKey) });
    const label = n >= 1 << 20 ? `${n >> 20} MiB` : n >= 1024 ? `${n >> 10} KiB` : `${n} B`;
    return [
      { name: `seal ${label}, 2 recipients`, fn: () => seal(pt, [kp.publicKey, other.publicKey], { suite }) },
      { name: `open ${label} (first recipient)`, fn: () => open(env, kp.secretKey) },
    ];
  });
  const r1 = await measure('seal/open', contenders, { time: 1000, warmupTime: 200 });
  rows.push(...r1);
  out.push('### Seal and open, X25519-SHA256-AES-256-GCM, 2 recipients\n', table(r1), '');

  // A hostile header: the recipient's slot copied into 200 slots (n rewritten), the rest of the envelope unchanged.
  const one = seal(new Uint8Array(1024), [kp.publicKey], { suite });
  const slotLen = 8 + 32 + 32 + 16;
  const n = 200;
  const hostile = new Uint8Array(one.length + (n - 1) * slotLen);
  hostile.set(one.subarray(0, 15));
  hostile[13] = n >>> 8;
  hostile[14] = n & 0xff;
  for (let i = 0; i < n; i++) hostile.set(one.subarray(15, 15 + slotLen), 15 + i * slotLen);
  hostile.set(one.subarray(15 + slotLen), 15 + n * slotLen);
  const tryHostile = () => {
    try {
      open(hostile, kp.secretKey);
      return 'opened';
    } catch (e) {
      return (e as { code?: string }).code ?? 'other';
    }
  };
  crossValidate('hostile', { a: tryHostile(), b: 'ENVELOPE_AUTH_FAILED' });
  const r2 = await measure('duplicate key ids', [
    { name: 'open a 1 KiB envelope, 1 slot', fn: () => open(one, kp.secretKey) },
    { name: `open the same with its slot repeated in ${n} slots (refused)`, fn: tryHostile },
  ], { time: 1000, warmupTime: 200 });
  rows.push(...r2);
  out.push(`### A header naming the recipient in ${n} slots\n`, table(r2), '');
  return { markdown: out.join('\n'), data: { rows } };
}
