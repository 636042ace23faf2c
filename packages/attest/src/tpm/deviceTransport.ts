/**
 * Kernel transport: `/dev/tpmrm0` (the in-kernel resource manager) or `/dev/tpm0`. One `write` of the command and
 * one `read` of the response, synchronously (the kernel driver applies the TPM's command timeouts; Linux
 * `drivers/char/tpm`). The process needs read/write access to the node (the `tss` group on most distributions).
 * @module
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { TpmFrameError, TpmTransportError } from './errors.js';
import { MAX_TPM_MESSAGE } from './_marshal.js';
import type { TpmTransport } from './_transport.js';

/** Opens a TPM character device. */
export function openDeviceTransport(path: string): TpmTransport {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (e) {
    throw new TpmTransportError(`cannot open ${path}`, { code: 'TPM_CONNECTION', cause: e });
  }
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    closeSync(fd);
  };
  return {
    transmit(command: Uint8Array): Uint8Array {
      if (closed) throw new TpmTransportError('TPM transport is closed', { code: 'TPM_TRANSPORT_CLOSED' });
      const buf = new Uint8Array(MAX_TPM_MESSAGE + 1);
      let n: number;
      try {
        if (writeSync(fd, command) !== command.length) throw new Error('short write');
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        close();
        throw new TpmTransportError(`${path}: I/O error`, { code: 'TPM_CONNECTION', cause: e });
      }
      if (n > MAX_TPM_MESSAGE) {
        close();
        throw new TpmFrameError(`${path}: response larger than ${MAX_TPM_MESSAGE} bytes`, { code: 'TPM_FRAME_INVALID' });
      }
      return buf.slice(0, n);
    },
    close,
    get closed() {
      return closed;
    },
  };
}
