/**
 * swtpm test harness for the TPM client tests and bench: a private swtpm on two free loopback ports, tpm2-tools
 * against it, and the tpm2-tools pcrs file. Test infrastructure only.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TPM_TOOLS = ['swtpm', 'tpm2_createek', 'tpm2_createak', 'tpm2_quote', 'tpm2_checkquote', 'tpm2_pcrread', 'tpm2_flushcontext', 'tpm2_makecredential', 'tpm2_activatecredential', 'tpm2_startauthsession', 'tpm2_policysecret'];
export const missingTpmTools = TPM_TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);

function listen(port: number): Promise<ReturnType<typeof createServer> | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(undefined));
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

/** Two consecutive free loopback ports. */
export async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const a = await listen(0);
    if (!a) continue;
    const port = (a.address() as { port: number }).port;
    const b = port < 65535 ? await listen(port + 1) : undefined;
    await new Promise((r) => a.close(r));
    if (b) {
      await new Promise((r) => b.close(r));
      return port;
    }
  }
  throw new Error('no two consecutive free ports');
}

/** Resolves once something accepts connections on 127.0.0.1:`port`, or rejects after `ms`. */
export function waitForPort(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => {
        c.destroy();
        resolve();
      });
      c.once('error', () => {
        c.destroy();
        if (Date.now() > deadline) reject(new Error(`swtpm did not listen on ${port}`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

/** A running private swtpm with its state dir, and tpm2-tools bound to it. */
export interface Swtpm {
  readonly port: number;
  readonly dir: string;
  readonly proc: ChildProcess;
  readonly env: NodeJS.ProcessEnv;
  /** Runs a tpm2-tools command in `dir`; throws with stderr on failure. */
  tool(args: string[]): string;
  /** tpm2_flushcontext -t (no resource manager on swtpm). */
  flush(): void;
  stop(): Promise<void>;
}

/** Starts swtpm (`not-need-init,startup-clear` unless `needInit`). */
export async function startSwtpm(options: { needInit?: boolean } = {}): Promise<Swtpm> {
  const dir = mkdtempSync(join(tmpdir(), 'privkit-tpm-'));
  const port = await freePortPair();
  const flags = options.needInit ? [] : ['--flags', 'not-need-init,startup-clear'];
  const proc = spawn(
    'swtpm',
    ['socket', '--tpm2', '--tpmstate', `dir=${dir}`, '--server', `type=tcp,port=${port},bindaddr=127.0.0.1`, '--ctrl', `type=tcp,port=${port + 1},bindaddr=127.0.0.1`, ...flags],
    { stdio: 'ignore' },
  );
  const env = { ...process.env, TPM2TOOLS_TCTI: `swtpm:host=127.0.0.1,port=${port}` };
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, 5000);
  } catch (e) {
    await stop();
    throw e;
  }
  const tool = (args: string[]) => {
    const r = spawnSync(args[0]!, args.slice(1), { cwd: dir, env, encoding: 'utf8', timeout: 20_000 });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  };
  return { port, dir, proc, env, tool, flush: () => void tool(['tpm2_flushcontext', '-t']), stop };
}

/** tpm2-tools' pcrs file (-f of tpm2_checkquote): TPML_PCR_SELECTION and TPML_DIGEST in host (little-endian) order. */
export function tpm2ToolsPcrsFile(hashAlg: number, indices: number[], values: Uint8Array[]): Uint8Array {
  const buf = Buffer.alloc(132 + 4 + 4 + 8 * 66);
  buf.writeUInt32LE(1, 0);
  buf.writeUInt16LE(hashAlg, 4);
  buf.writeUInt8(3, 6);
  for (const i of indices) buf[7 + (i >> 3)]! |= 1 << (i & 7);
  buf.writeUInt32LE(1, 132);
  buf.writeUInt32LE(values.length, 136);
  values.forEach((v, k) => {
    buf.writeUInt16LE(v.length, 140 + 66 * k);
    buf.set(v, 142 + 66 * k);
  });
  return Uint8Array.from(buf);
}
