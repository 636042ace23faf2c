/**
 * Transport faults: a hostile or broken TPM endpoint (a fake TCP server in a worker thread — the client blocks its
 * own thread while it waits — and a real swtpm killed mid-command) gives typed errors and never hangs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EncodingError, isPrivkitError } from '@privkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { openTpm, TpmFrameError, TpmResponseError, TpmTransportError } from '@privkit/attest/tpm';
import { TpmEncodingError } from '@privkit/attest';
import { freePortPair, missingTpmTools, startSwtpm } from './tpm-helpers.js';

/** A fake TPM on port P (command port, MS-simulator framing) and P+1 (platform port), behaving as `mode` says. */
const FAKE_TPM = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const { mode, port } = workerData;
const signals = [];
const ok = (body) => { const b = Buffer.alloc(10 + body.length); b.writeUInt16BE(0x8001, 0); b.writeUInt32BE(10 + body.length, 2); b.writeUInt32BE(0, 6); body.copy(b, 10); return b; };
const frame = (resp, ack = 0) => { const h = Buffer.alloc(4); h.writeUInt32BE(resp.length); const a = Buffer.alloc(4); a.writeUInt32BE(ack); return Buffer.concat([h, resp, a]); };
const randomAnswer = ok(Buffer.from([0, 4, 1, 2, 3, 4]));
let n = 0;
const cmdServer = net.createServer((s) => {
  s.on('error', () => {});
  let buf = Buffer.alloc(0);
  s.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 9 && buf.length >= 9 + buf.readUInt32BE(5)) {
      const cmd = buf.subarray(9, 9 + buf.readUInt32BE(5));
      buf = buf.subarray(9 + cmd.length);
      const cc = cmd.readUInt32BE(6);
      n++;
      if (cc === 0x144) { s.write(frame(ok(Buffer.alloc(0)))); continue; } // Startup: success
      if (mode === 'silent') continue;
      if (mode === 'close') { s.destroy(); continue; }
      if (mode === 'stall-mid-response') { s.write(frame(randomAnswer).subarray(0, 7)); continue; }
      if (mode === 'short-read') { const f = frame(randomAnswer); s.end(f.subarray(0, 7)); continue; }
      if (mode === 'oversize') { s.write(Buffer.from([0x7f, 0xff, 0xff, 0xff, 0x80, 0x01])); continue; }
      if (mode === 'badack') { s.write(frame(randomAnswer, 5)); continue; }
      if (mode === 'garbage') { s.write(frame(Buffer.from('this is not a TPM response at all'))); continue; }
      if (mode === 'size-field-lie') { const r = Buffer.from(randomAnswer); r.writeUInt32BE(9999, 2); s.write(frame(r)); continue; }
      if (mode === 'trailing-bytes') { s.write(Buffer.concat([frame(randomAnswer), Buffer.from([1, 2, 3])])); continue; }
      if (mode === 'error') { const e = Buffer.alloc(10); e.writeUInt16BE(0x8001, 0); e.writeUInt32BE(10, 2); e.writeUInt32BE(0x98e, 6); s.write(frame(e)); continue; }
      if (mode === 'overlong-random') { s.write(frame(ok(Buffer.concat([Buffer.from([0, 200]), Buffer.alloc(200)])))); continue; }
      if (mode === 'empty-random') { s.write(frame(ok(Buffer.from([0, 0])))); continue; }
      s.write(frame(randomAnswer));
    }
  });
});
const platform = net.createServer((s) => {
  s.on('error', () => {});
  s.on('data', (d) => { for (let i = 0; i + 4 <= d.length; i += 4) { signals.push(d.readUInt32BE(i)); s.write(Buffer.alloc(4)); } });
});
cmdServer.listen(port, '127.0.0.1', () => platform.listen(port + 1, '127.0.0.1', () => parentPort.postMessage({ ready: true })));
parentPort.on('message', (m) => { if (m === 'signals') parentPort.postMessage({ signals, n }); else if (m === 'stop') { cmdServer.close(); platform.close(); process.exit(0); } });
`;

const workers: Worker[] = [];
async function fakeTpm(mode: string): Promise<{ port: number; worker: Worker }> {
  const port = await freePortPair();
  const worker = new Worker(FAKE_TPM, { eval: true, workerData: { mode, port } });
  workers.push(worker);
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { port, worker };
}
afterAll(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
});

function fails(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    expect(isPrivkitError(e), String(e)).toBe(true);
    return e;
  }
  throw new Error('did not throw');
}

describe('TPM transport faults', () => {
  it('connection refused is a TpmTransportError TPM_CONNECTION', async () => {
    const port = await freePortPair();
    const e = fails(() => openTpm({ kind: 'swtpm', host: '127.0.0.1', port, timeoutMs: 2000 }));
    expect(e).toBeInstanceOf(TpmTransportError);
    expect((e as TpmTransportError).code).toBe('TPM_CONNECTION');
  });

  it('a TPM that never answers times out (TPM_TIMEOUT) and the client is closed afterwards', async () => {
    const { port } = await fakeTpm('silent');
    const tpm = openTpm({ kind: 'swtpm', host: '127.0.0.1', port, timeoutMs: 1000 });
    const t0 = Date.now();
    const e = fails(() => tpm.getRandom(4));
    expect(Date.now() - t0).toBeLessThan(10_000); // bounded, not a performance figure
    expect((e as TpmTransportError).code).toBe('TPM_TIMEOUT');
    expect((fails(() => tpm.getRandom(4)) as TpmTransportError).code).toBe('TPM_TRANSPORT_CLOSED');
    tpm.close();
  });

  it('a TPM that stalls mid-response times out (TPM_TIMEOUT), never hangs', async () => {
    const { port } = await fakeTpm('stall-mid-response');
    const tpm = openTpm({ kind: 'swtpm', host: '127.0.0.1', port, timeoutMs: 1000 });
    const e = fails(() => tpm.getRandom(4));
    expect((e as TpmTransportError).code).toBe('TPM_TIMEOUT');
    tpm.close();
  });

  const cases: [string, string, new (...a: never[]) => Error][] = [
    ['close', 'TPM_CONNECTION', TpmTransportError],
    ['short-read', 'TPM_CONNECTION', TpmTransportError],
    ['oversize', 'TPM_FRAME_INVALID', TpmFrameError],
    ['badack', 'TPM_FRAME_INVALID', TpmFrameError],
    ['trailing-bytes', 'TPM_FRAME_INVALID', TpmFrameError],
    ['garbage', 'TPM_MALFORMED', TpmEncodingError],
    ['size-field-lie', 'TPM_MALFORMED', TpmEncodingError],
    ['overlong-random', 'TPM_MALFORMED', TpmEncodingError],
    ['empty-random', 'TPM_MALFORMED', TpmEncodingError],
  ];
  for (const [mode, code, cls] of cases) {
    it(`a ${mode} response gives ${cls.name} ${code}`, async () => {
      const { port } = await fakeTpm(mode);
      const tpm = openTpm({ kind: 'swtpm', host: '127.0.0.1', port, timeoutMs: 3000 });
      const e = fails(() => tpm.getRandom(4));
      expect(e).toBeInstanceOf(cls);
      expect((e as TpmTransportError).code).toBe(code);
      // every malformed answer (framing or structure) is a core EncodingError
      if (code !== 'TPM_CONNECTION') expect(e).toBeInstanceOf(EncodingError);
      tpm.close();
    });
  }

  it('an error response becomes TpmResponseError with the code and its name; the connection stays usable', async () => {
    const { port } = await fakeTpm('error');
    const tpm = openTpm({ kind: 'swtpm', host: '127.0.0.1', port, timeoutMs: 3000 });
    const e = fails(() => tpm.getRandom(4)) as TpmResponseError;
    expect(e).toBeInstanceOf(TpmResponseError);
    expect(e.rc).toBe(0x98e);
    expect(e.rcName).toBe('TPM_RC_AUTH_FAIL (session 1)');
    expect(e.command).toBe('TPM2_GetRandom');
    expect(fails(() => tpm.getRandom(4))).toBeInstanceOf(TpmResponseError);
    tpm.close();
  });

  it('the MS simulator flavour powers on (TPM_SIGNAL_POWER_ON, TPM_SIGNAL_NV_ON) on the platform port before Startup', async () => {
    const { port, worker } = await fakeTpm('normal');
    const tpm = openTpm({ kind: 'mssim', host: '127.0.0.1', port, timeoutMs: 3000 });
    expect(Array.from(tpm.getRandom(4))).toEqual([1, 2, 3, 4]);
    tpm.close();
    worker.postMessage('signals');
    const got = (await new Promise((r) => worker.once('message', r))) as { signals: number[]; n: number };
    expect(got.signals).toEqual([1, 11]);
    expect(got.n).toBe(2); // Startup, GetRandom
  });

  it('a device that answers with garbage (a FIFO echoing the command back) gives a typed error and closes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'privkit-fifo-'));
    try {
      const fifo = join(dir, 'tpm');
      if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo: nothing to test here
      const e = fails(() => openTpm({ kind: 'device', path: fifo }));
      expect(e).toBeInstanceOf(TpmEncodingError);
      expect((e as TpmEncodingError).message).toMatch(/malformed error response/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a device path that does not exist is a TpmTransportError TPM_CONNECTION', () => {
    const e = fails(() => openTpm({ kind: 'device', path: '/nonexistent/tpmrm0' }));
    expect((e as TpmTransportError).code).toBe('TPM_CONNECTION');
  });

  describe.skipIf(missingTpmTools.length > 0)('real swtpm', () => {
    it('swtpm killed mid-command: typed TPM_CONNECTION error, no hang', async () => {
      const sw = await startSwtpm();
      try {
        const tpm = openTpm({ kind: 'swtpm', host: '127.0.0.1', port: sw.port, timeoutMs: 20_000 });
        // A detached killer: this thread is blocked inside TPM commands when it fires.
        spawn('sh', ['-c', `sleep 0.3; kill -9 ${sw.proc.pid}`], { stdio: 'ignore' }).unref();
        let err: unknown;
        const t0 = Date.now();
        while (!err && Date.now() - t0 < 15_000) {
          try {
            const ek = tpm.createEk({ alg: 'rsa' });
            tpm.flush(ek.handle);
          } catch (e) {
            err = e;
          }
        }
        expect(err).toBeInstanceOf(TpmTransportError);
        expect((err as TpmTransportError).code).toBe('TPM_CONNECTION');
        tpm.close();
      } finally {
        await sw.stop();
      }
    });

    it('swtpm that needs CMD_INIT is powered on through its control port', async () => {
      const sw = await startSwtpm({ needInit: true });
      try {
        const tpm = openTpm({ kind: 'swtpm', host: '127.0.0.1', port: sw.port, timeoutMs: 20_000, powerOn: true });
        expect(tpm.getRandom(8).length).toBe(8);
        tpm.close();
      } finally {
        await sw.stop();
      }
    });
  });
});
