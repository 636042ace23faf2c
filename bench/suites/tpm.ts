/**
 * @privkit/attest/tpm (issue 20): on one private swtpm — a quote through our TypeScript client (TPM2_Quote over an
 * open connection) against `tpm2_quote` (one process per quote, as gateways that shell out do; and the same minus
 * the cost of starting a tpm2-tools process), attestation-key creation (TPM2_Create + TPM2_Load + TPM2_ReadPublic),
 * and TPM2_GetRandom throughput. Every quote is verified with verifyTpmQuote before timing. Skipped when swtpm or
 * tpm2-tools are missing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex } from '@privkit/core';
import { verifyTpmQuote } from '../../packages/attest/src/index.node.js';
import { openTpm, type TpmClient } from '../../packages/attest/src/tpm/index.js';
import { missingTpmTools, startSwtpm, type Swtpm } from '../../packages/attest/test/tpm-helpers.js';
import { measure, ratio, table, type Row } from '../lib.js';

export const title = 'TPM client: quotes, key creation and GetRandom on swtpm';

const NONCE = new Uint8Array(32).fill(7);

export async function run(): Promise<{ markdown: string; data: unknown }> {
  if (missingTpmTools.length) return { markdown: `Skipped: ${missingTpmTools.join(', ')} not installed.`, data: { skipped: missingTpmTools } };
  const sw: Swtpm = await startSwtpm();
  let tpm: TpmClient | undefined;
  try {
    const open = () => openTpm({ kind: 'swtpm', host: '127.0.0.1', port: sw.port, timeoutMs: 60_000 });
    // Our client: one connection, one AK (swtpm serves one connection at a time, so tpm2-tools run after it).
    tpm = open();
    const t = tpm;
    const ak = t.createAttestationKey({ alg: 'ecdsa-p256' });
    const ours = () => t.quote({ key: ak, bank: 'sha256', selection: [0, 16], nonce: NONCE });
    const check = (q: { attest: Uint8Array; signature: Uint8Array }, akPublicKey: Uint8Array | string) => {
      if (!verifyTpmQuote({ ...q, akPublicKey, nonce: NONCE }).verified) throw new Error('a benchmarked quote does not verify');
    };
    check(ours(), ak.publicArea);
    const quoteRows = await measure('quote', [{ name: 'PrivKit client: TPM2_Quote, ECDSA P-256, 2 PCRs', fn: ours }], { time: 1500, warmupTime: 200 });
    const akRows = await measure(
      'AK creation',
      [
        {
          name: 'PrivKit client: ECDSA P-256 AK (Create + Load + ReadPublic + FlushContext)',
          fn: () => t.flush(t.createAttestationKey({ alg: 'ecdsa-p256' }).handle),
        },
        {
          name: 'PrivKit client: RSA-2048 AK (Create + Load + ReadPublic + FlushContext)',
          fn: () => t.flush(t.createAttestationKey({ alg: 'rsassa-2048' }).handle),
        },
      ],
      { time: 3000, warmupTime: 0 },
    );
    const randRows = await measure('GetRandom', [{ name: 'PrivKit client: getRandom(4096) (64 TPM2_GetRandom)', fn: () => t.getRandom(4096) }], { time: 1000 });
    t.close();
    tpm = undefined;

    // tpm2-tools: an AK made by tpm2_createak, saved context; one tpm2_quote process per quote.
    sw.tool(['tpm2_createek', '-c', 'ek.ctx', '-G', 'rsa', '-u', 'ek.pub']);
    sw.flush();
    sw.tool(['tpm2_createak', '-C', 'ek.ctx', '-c', 'ak.ctx', '-G', 'ecc', '-g', 'sha256', '-s', 'ecdsa', '-u', 'ak.pub']);
    sw.flush();
    sw.tool(['tpm2_flushcontext', '-s']);
    const toolsQuote = () => {
      sw.tool(['tpm2_quote', '-c', 'ak.ctx', '-l', 'sha256:0,16', '-q', bytesToHex(NONCE), '-m', 'q.msg', '-s', 'q.sig', '-g', 'sha256']);
      sw.flush();
    };
    toolsQuote();
    check({ attest: Uint8Array.from(readFileSync(join(sw.dir, 'q.msg'))), signature: Uint8Array.from(readFileSync(join(sw.dir, 'q.sig'))) }, Uint8Array.from(readFileSync(join(sw.dir, 'ak.pub'))));
    // Process start of the same binaries without TPM work: `tpm2_quote -v` + `tpm2_flushcontext -v`.
    const spawnOnly = () => {
      for (const b of ['tpm2_quote', 'tpm2_flushcontext']) if (spawnSync(b, ['-v'], { env: sw.env }).status !== 0) throw new Error(`${b} -v failed`);
    };
    const toolRows = await measure(
      'quote',
      [
        { name: 'tpm2_quote + tpm2_flushcontext -t (process spawn included)', fn: toolsQuote },
        { name: 'process start only (tpm2_quote -v + tpm2_flushcontext -v)', fn: spawnOnly },
      ],
      { time: 3000, warmupTime: 200 },
    );
    const all: Row[] = [...quoteRows, ...toolRows];
    const ourMs = quoteRows[0]!.medianMs;
    const toolsMs = toolRows[0]!.medianMs;
    const withoutSpawn = toolsMs - toolRows[1]!.medianMs;
    const markdown = [
      'All rows from one run on one private swtpm (swtpm runs on the same 2 shared cores, so TPM-side time is included',
      'and absolute numbers are noisy). Every timed quote was verified with verifyTpmQuote first.',
      '',
      '### Quote (ECDSA P-256 AK, SHA-256 bank, PCRs 0 and 16)',
      '',
      table(all),
      '',
      `- PrivKit client vs tpm2_quote with process spawn: ${ratio(all, all[0]!.name, all[1]!.name).toFixed(1)}× faster ` +
        `(${ourMs.toFixed(2)} ms vs ${toolsMs.toFixed(2)} ms).`,
      `- tpm2_quote without process start (its row minus the process-start row, an estimate): ${withoutSpawn.toFixed(2)} ms, ` +
        `i.e. our client is ${(withoutSpawn / ourMs).toFixed(1)}× that.`,
      '',
      '### Attestation-key creation',
      '',
      table(akRows),
      '',
      '### TPM2_GetRandom throughput',
      '',
      table(randRows, 4096),
    ].join('\n');
    return { markdown, data: { quote: all, ak: akRows, random: randRows, toolsWithoutSpawnMs: withoutSpawn } };
  } finally {
    tpm?.close();
    await sw.stop();
  }
}
