/**
 * Source of the worker thread that owns the TCP sockets of the swtpm / MS simulator transport. It runs as an eval'd
 * CommonJS worker (no file to resolve in source, ESM or CJS builds). Protocol with the main thread: a request
 * `{ op, ... }` by postMessage; the reply `{ ok, bytes?, error?, code? }` on the reply port, then `Atomics.notify`
 * on flag[0]. The main thread waits with `Atomics.wait` and a timeout and reads the reply with
 * `receiveMessageOnPort`. Internal.
 * @module
 */
export const TCP_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const { host, port, framing, max, sab, reply } = workerData;
const flag = new Int32Array(sab);
let sock = null;
let dead = 'not connected';
let pending = null;

function answer(msg) {
  reply.postMessage(msg);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
function fail(code, error) {
  const p = pending;
  pending = null;
  if (p) answer({ ok: false, code, error });
}
function u32(b, o) { return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0; }

function onData(chunk) {
  if (!pending) { dead = 'unsolicited bytes from the TPM'; sock.destroy(); return; }
  pending.chunks.push(chunk);
  pending.len += chunk.length;
  const buf = pending.len > chunk.length ? Buffer.concat(pending.chunks) : chunk;
  pending.chunks = [buf];
  if (framing === 'mssim') {
    if (buf.length < 4) return;
    const size = u32(buf, 0);
    if (size < 10 || size > max) { dead = 'bad frame'; sock.destroy(); return fail('TPM_FRAME_INVALID', 'response size ' + size + ' out of bounds'); }
    if (buf.length < 4 + size + 4) return;
    if (buf.length > 4 + size + 4 || u32(buf, 4 + size) !== 0) { dead = 'bad frame'; sock.destroy(); return fail('TPM_FRAME_INVALID', 'bad acknowledgement after the response'); }
    pending = null;
    answer({ ok: true, bytes: Uint8Array.from(buf.subarray(4, 4 + size)) });
  } else {
    if (buf.length < 6) return;
    const size = u32(buf, 2);
    if (size < 10 || size > max) { dead = 'bad frame'; sock.destroy(); return fail('TPM_FRAME_INVALID', 'response size ' + size + ' out of bounds'); }
    if (buf.length < size) return;
    if (buf.length > size) { dead = 'bad frame'; sock.destroy(); return fail('TPM_FRAME_INVALID', 'bytes after the response'); }
    pending = null;
    answer({ ok: true, bytes: Uint8Array.from(buf) });
  }
}

function connect(m) {
  pending = { chunks: [], len: 0 };
  const s = net.connect({ host, port });
  s.setNoDelay(true);
  s.once('connect', () => { sock = s; dead = null; pending = null; answer({ ok: true }); });
  s.on('data', onData);
  s.on('error', (e) => { dead = String(e && e.message); fail('TPM_CONNECTION', 'connection to ' + host + ':' + port + ' failed: ' + dead); });
  s.on('close', () => { if (!dead) dead = 'connection closed by the TPM'; fail('TPM_CONNECTION', dead); });
}

function command(m) {
  if (dead || !sock) return answer({ ok: false, code: 'TPM_CONNECTION', error: 'connection lost: ' + dead });
  pending = { chunks: [], len: 0 };
  const cmd = Buffer.from(m.bytes);
  if (framing === 'mssim') {
    const h = Buffer.alloc(9);
    h.writeUInt32BE(8, 0); // TPM_SEND_COMMAND
    h[4] = m.locality;
    h.writeUInt32BE(cmd.length, 5);
    sock.write(Buffer.concat([h, cmd]));
  } else sock.write(cmd);
}

/** One request/response on the platform (MS simulator) or control (swtpm) port: u32 words in, n u32 words out. */
function control(m) {
  pending = { chunks: [], len: 0 };
  const s = net.connect({ host, port: m.port });
  let got = Buffer.alloc(0);
  let i = 0;
  const next = () => {
    if (i >= m.words.length) { s.destroy(); pending = null; return answer({ ok: true, bytes: Uint8Array.from(got) }); }
    const b = Buffer.alloc(m.words[i].length * 4);
    m.words[i].forEach((w, k) => b.writeUInt32BE(w >>> 0, 4 * k));
    s.write(b);
  };
  s.once('connect', next);
  s.on('data', (d) => {
    got = Buffer.concat([got, d]);
    if (got.length > 64) { s.destroy(); return fail('TPM_FRAME_INVALID', 'control port answered too much'); }
    if (got.length >= 4 * (i + 1)) { i++; next(); }
  });
  s.on('error', (e) => fail('TPM_CONNECTION', 'control port ' + m.port + ': ' + (e && e.message)));
  s.on('close', () => fail('TPM_CONNECTION', 'control port ' + m.port + ' closed'));
}

parentPort.on('message', (m) => {
  if (m.op === 'connect') connect(m);
  else if (m.op === 'command') command(m);
  else if (m.op === 'control') control(m);
  else if (m.op === 'close') { dead = 'closed'; if (sock) sock.destroy(); parentPort.close(); reply.close(); }
});
`;
