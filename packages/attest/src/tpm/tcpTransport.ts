/**
 * TCP transport to swtpm or the Microsoft / IBM TPM 2.0 simulator. Command port framing (MS simulator protocol,
 * which swtpm also speaks): `TPM_SEND_COMMAND (u32 = 8) ‖ locality (u8) ‖ size (u32) ‖ command`, answered by
 * `size (u32) ‖ response ‖ 0 (u32)`. The platform port (port + 1) of the MS simulator takes `TPM_SIGNAL_POWER_ON (1)`
 * and `TPM_SIGNAL_NV_ON (11)`; swtpm's control port (port + 1) takes `CMD_INIT (2) ‖ flags (u32)`.
 *
 * The sockets live in a worker thread; the calling thread waits for the complete response with `Atomics.wait` and a
 * timeout, so every call is synchronous and bounded. A timeout, a lost connection or a framing error closes the
 * transport (a half-read stream cannot be resynchronised).
 * @module
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { TpmFrameError, TpmTransportError, type TpmFrameErrorCode, type TpmTransportErrorCode } from './errors.js';
import { MAX_TPM_MESSAGE } from './_marshal.js';
import type { TpmTransport } from './_transport.js';
import { TCP_WORKER_SOURCE } from './_tcpWorkerSource.js';

/** Options of {@link openTcpTransport}. */
export interface TcpTransportOptions {
  host: string;
  port: number;
  /** `swtpm` (control port protocol of swtpm) or `mssim` (platform port of the MS simulator). */
  flavour: 'swtpm' | 'mssim';
  /** Per-command timeout in ms. */
  timeoutMs: number;
  /** Power the TPM on through port + 1 before the first command. */
  powerOn: boolean;
}

const CONNECT_TIMEOUT_MS = 10_000;

interface Reply {
  ok: boolean;
  bytes?: Uint8Array;
  code?: TpmTransportErrorCode | TpmFrameErrorCode;
  error?: string;
}

/** Opens the TCP transport (synchronously: connects, and powers on when asked). */
export function openTcpTransport(o: TcpTransportOptions): TpmTransport {
  const sab = new SharedArrayBuffer(4);
  const flag = new Int32Array(sab);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(TCP_WORKER_SOURCE, {
    eval: true,
    workerData: { host: o.host, port: o.port, framing: 'mssim', max: MAX_TPM_MESSAGE, sab, reply: port2 },
    transferList: [port2],
    resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 },
    stdout: true,
    stderr: true,
  });
  worker.unref();
  worker.on('error', () => {}); // reported to the caller as a timeout or lost connection
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    worker.postMessage({ op: 'close' });
    void worker.terminate();
    port1.close();
  };
  const call = (msg: object, what: string, timeoutMs = o.timeoutMs): Uint8Array => {
    if (closed) throw new TpmTransportError('TPM transport is closed', { code: 'TPM_TRANSPORT_CLOSED' });
    Atomics.store(flag, 0, 0);
    worker.postMessage(msg);
    const w = Atomics.wait(flag, 0, 0, timeoutMs);
    const m = receiveMessageOnPort(port1)?.message as Reply | undefined;
    if (w === 'timed-out' && !m) {
      close();
      throw new TpmTransportError(`${what}: no complete response within ${timeoutMs} ms`, { code: 'TPM_TIMEOUT' });
    }
    if (!m || !m.ok) {
      close();
      const message = `${what}: ${m?.error ?? 'no response'}`;
      if (m?.code === 'TPM_FRAME_INVALID') throw new TpmFrameError(message, { code: 'TPM_FRAME_INVALID' });
      throw new TpmTransportError(message, { code: m?.code ?? 'TPM_CONNECTION' });
    }
    return m.bytes ?? new Uint8Array(0);
  };
  // The first wait also covers the worker's start-up, which is not the TPM's time: at least 10 s.
  call({ op: 'connect' }, `connect ${o.host}:${o.port}`, Math.max(o.timeoutMs, CONNECT_TIMEOUT_MS));
  if (o.powerOn) {
    // MS simulator: TPM_SIGNAL_POWER_ON then TPM_SIGNAL_NV_ON, each acknowledged by a u32 0.
    // swtpm: CMD_INIT with flags 0, answered by a u32 TPM_RESULT (0 = success).
    const words = o.flavour === 'mssim' ? [[1], [11]] : [[2, 0]];
    const ack = call({ op: 'control', port: o.port + 1, words }, `power on via port ${o.port + 1}`);
    if (ack.length !== 4 * words.length || ack.some((b) => b !== 0)) {
      close();
      throw new TpmFrameError('power on was not acknowledged', { code: 'TPM_FRAME_INVALID' });
    }
  }
  return {
    transmit(command: Uint8Array): Uint8Array {
      return call({ op: 'command', bytes: command, locality: 0 }, 'TPM command');
    },
    close,
    get closed() {
      return closed;
    },
  };
}
