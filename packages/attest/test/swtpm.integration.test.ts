/**
 * Real-TPM interop on swtpm: tpm2-tools quotes verified by verifyTpmQuote, and a PrivKit quote checked by
 * tpm2_checkquote. Skips with a named reason when swtpm / tpm2-tools are missing, unless PRIVKIT_REQUIRE_TPM=1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@privkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAttestationKey,
  createNonceRegistry,
  createPcrBank,
  parseAkPublicKey,
  quote,
  verifyTpmQuote,
  type PcrValues,
} from '@privkit/attest';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { freePortPair, tpm2ToolsPcrsFile, waitForPort } from './tpm-helpers.js';

const TOOLS = ['swtpm', 'tpm2_createek', 'tpm2_createak', 'tpm2_quote', 'tpm2_checkquote', 'tpm2_pcrextend', 'tpm2_flushcontext', 'tpm2_readpublic', 'tpm2_pcrread'];
const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const required = process.env.PRIVKIT_REQUIRE_TPM === '1';
const reason = missing.length ? `swtpm/tpm2-tools not installed (missing: ${missing.join(', ')})` : '';

it(`TPM tools are available when PRIVKIT_REQUIRE_TPM=1${required ? '' : ' (not required here)'}`, () => {
  if (required) expect(missing, reason).toEqual([]);
});

describe.skipIf(missing.length > 0)(`swtpm round trip${reason ? ` — skipped: ${reason}` : ''}`, () => {
  let dir = '';
  let swtpm: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv = {};
  const tool = (args: string[]) => {
    const r = spawnSync(args[0]!, args.slice(1), { cwd: dir, env, encoding: 'utf8', timeout: 15_000 });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  };
  const flush = () => {
    tool(['tpm2_flushcontext', '-t']);
    tool(['tpm2_flushcontext', '-s']);
  };

  const stop = async () => {
    if (swtpm && swtpm.exitCode === null && swtpm.signalCode === null) {
      const exited = new Promise((r) => swtpm!.once('exit', r));
      swtpm.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      if (swtpm.exitCode === null && swtpm.signalCode === null) swtpm.kill('SIGKILL');
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'privkit-swtpm-'));
    try {
      const server = await freePortPair();
      const ctrl = server + 1;
      swtpm = spawn(
        'swtpm',
        ['socket', '--tpm2', '--tpmstate', `dir=${dir}`, '--server', `type=tcp,port=${server},bindaddr=127.0.0.1`,
          '--ctrl', `type=tcp,port=${ctrl},bindaddr=127.0.0.1`, '--flags', 'not-need-init,startup-clear'],
        { stdio: 'ignore' },
      );
      env = { ...process.env, TPM2TOOLS_TCTI: `swtpm:host=127.0.0.1,port=${server}` };
      await waitForPort(server, 5000);
      tool(['tpm2_createek', '-c', 'ek.ctx', '-G', 'rsa', '-u', 'ek.pub']);
      flush();
    } catch (e) {
      await stop(); // never leave swtpm running when setup fails
      throw e;
    }
  });

  afterAll(stop);

  const cases = [
    { name: 'ECDSA P-256/SHA-256', G: 'ecc', s: 'ecdsa', g: 'sha256' },
    { name: 'ECDSA P-384/SHA-384 (SHA-384 bank)', G: 'ecc384', s: 'ecdsa', g: 'sha384' },
    { name: 'RSASSA-PKCS1-v1_5/SHA-256', G: 'rsa', s: 'rsassa', g: 'sha256' },
    { name: 'RSA-PSS/SHA-256', G: 'rsa', s: 'rsapss', g: 'sha256' },
  ] as const;
  for (const c of cases) {
    it(`tpm2_quote with a ${c.name} AK verifies with verifyTpmQuote`, () => {
      const p = `${c.G}-${c.s}`;
      const h = c.g === 'sha384' ? sha384 : sha256;
      const hexLen = c.g === 'sha384' ? 96 : 64;
      tool(['tpm2_createak', '-C', 'ek.ctx', '-c', `${p}.ctx`, '-G', c.G, '-g', c.g, '-s', c.s, '-u', `${p}.pub`, '-n', `${p}.name`]);
      flush();
      tool(['tpm2_readpublic', '-c', `${p}.ctx`, '-f', 'pem', '-o', `${p}.pem`]);
      flush();

      // Mirror the extends in a software bank: TPM extend semantics must agree with the real TPM.
      const bank = createPcrBank(c.g);
      const m16 = h(utf8ToBytes(`firmware ${p}`));
      const m23 = h(utf8ToBytes(`application ${p}`));
      const before = tool(['tpm2_pcrread', `${c.g}:16,23`]);
      const cur = [...before.matchAll(new RegExp(`0x([0-9A-F]{${hexLen}})`, 'g'))].map((m) => hexToBytes(m[1]!.toLowerCase()));
      expect(cur).toHaveLength(2);
      const sw = createPcrBank(c.g, { values: bank.readAll().map((v, i) => (i === 16 ? cur[0]! : i === 23 ? cur[1]! : v)) });
      tool(['tpm2_pcrextend', `16:${c.g}=${bytesToHex(m16)}`]);
      tool(['tpm2_pcrextend', `23:${c.g}=${bytesToHex(m23)}`]);
      sw.extend(16, m16);
      sw.extend(23, m23);

      const registry = createNonceRegistry();
      const nonce = registry.issue();
      tool(['tpm2_quote', '-c', `${p}.ctx`, '-l', `${c.g}:16,23`, '-q', bytesToHex(nonce), '-m', 'q.msg', '-s', 'q.sig', '-o', 'q.pcrs', '-g', c.g, '--scheme', c.s]);
      flush();
      const attest = Uint8Array.from(readFileSync(join(dir, 'q.msg')));
      const signature = Uint8Array.from(readFileSync(join(dir, 'q.sig')));
      const akPub = Uint8Array.from(readFileSync(join(dir, `${p}.pub`)));
      const pcrs: PcrValues = sw.pcrValues([16, 23]);

      // Our TPM name computation agrees with the TPM's.
      expect(bytesToHex(parseAkPublicKey(akPub).name!)).toBe(bytesToHex(readFileSync(join(dir, `${p}.name`))));

      expect(registry.accept(nonce)).toBe(true);
      for (const akPublicKey of [akPub, readFileSync(join(dir, `${p}.pem`), 'utf8')]) {
        const r = verifyTpmQuote({ attest, signature, akPublicKey, nonce, pcrs });
        expect(r.failures).toEqual([]);
        expect(r.verified).toBe(true);
      }
      // Replay / wrong nonce / wrong PCRs fail.
      expect(registry.accept(nonce)).toBe(false);
      expect(verifyTpmQuote({ attest, signature, akPublicKey: akPub, nonce: registry.issue(), pcrs }).verified).toBe(false);
      const wrong = createPcrBank(c.g).pcrValues([16, 23]);
      const r2 = verifyTpmQuote({ attest, signature, akPublicKey: akPub, nonce, pcrs: wrong });
      expect(r2.failures.map((f) => f.code)).toEqual(['QUOTE_PCR_DIGEST_MISMATCH']);
    });
  }

  it('a quote over the SHA-1 bank is digested with the signing hash (SHA-256), as real TPMs do', () => {
    tool(['tpm2_createak', '-C', 'ek.ctx', '-c', 'sha1bank.ctx', '-G', 'ecc', '-g', 'sha256', '-s', 'ecdsa', '-u', 'sha1bank.pub']);
    flush();
    tool(['tpm2_pcrextend', `16:sha1=${bytesToHex(new Uint8Array(20).fill(0x11))}`]);
    const out = tool(['tpm2_pcrread', 'sha1:16,23']);
    const vals = [...out.matchAll(/0x([0-9A-F]{40})\b/g)].map((m) => hexToBytes(m[1]!.toLowerCase()));
    expect(vals).toHaveLength(2);
    const nonce = createNonceRegistry().issue();
    tool(['tpm2_quote', '-c', 'sha1bank.ctx', '-l', 'sha1:16,23', '-q', bytesToHex(nonce), '-m', 'q1.msg', '-s', 'q1.sig', '-g', 'sha256']);
    flush();
    const attest = Uint8Array.from(readFileSync(join(dir, 'q1.msg')));
    const signature = Uint8Array.from(readFileSync(join(dir, 'q1.sig')));
    const akPublicKey = Uint8Array.from(readFileSync(join(dir, 'sha1bank.pub')));
    const pcrs: PcrValues = { hash: 'sha1', values: { 16: vals[0]!, 23: vals[1]! } };
    const r = verifyTpmQuote({ attest, signature, akPublicKey, nonce, pcrs });
    expect(r.failures).toEqual([]);
    expect(r.verified).toBe(true);
    expect(r.parsed!.pcrDigest.length).toBe(32);
  });

  it('a PrivKit ECDSA P-256 quote passes tpm2_checkquote (signature, nonce and PCR digest)', () => {
    const ak = createAttestationKey('ecdsa-p256');
    const bank = createPcrBank('sha256');
    bank.measure(16, utf8ToBytes('privkit firmware'));
    const nonce = createNonceRegistry().issue();
    const q = quote({ bank, selection: [16, 23], nonce, key: ak });
    writeFileSync(join(dir, 'pk.pem'), ak.pem);
    writeFileSync(join(dir, 'pk.msg'), q.attest);
    writeFileSync(join(dir, 'pk.sig'), q.signature);
    writeFileSync(join(dir, 'pk.pcrs'), tpm2ToolsPcrsFile(0x000b, [16, 23], [bank.read(16), bank.read(23)]));
    const check = (nonceHex: string, pcrsFile = 'pk.pcrs') =>
      spawnSync('tpm2_checkquote', ['-u', 'pk.pem', '-m', 'pk.msg', '-s', 'pk.sig', '-f', pcrsFile, '-q', nonceHex, '-g', 'sha256'], {
        cwd: dir,
        env,
        encoding: 'utf8',
        timeout: 15_000,
      });
    const ok = check(bytesToHex(nonce));
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    // tpm2_checkquote rejects a wrong nonce and wrong PCR values.
    expect(check(bytesToHex(new Uint8Array(32))).status).not.toBe(0);
    writeFileSync(join(dir, 'bad.pcrs'), tpm2ToolsPcrsFile(0x000b, [16, 23], [new Uint8Array(32), bank.read(23)]));
    expect(check(bytesToHex(nonce), 'bad.pcrs').status).not.toBe(0);
    // tpm2-tools also reads our TPM2B_PUBLIC (TSS format) of the software AK.
    writeFileSync(join(dir, 'pk.tss'), ak.tpm2bPublic);
    const tss = spawnSync('tpm2_checkquote', ['-u', 'pk.tss', '-m', 'pk.msg', '-s', 'pk.sig', '-f', 'pk.pcrs', '-q', bytesToHex(nonce), '-g', 'sha256'], {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(tss.stderr).toBe('');
    expect(tss.status).toBe(0);
  });
});
