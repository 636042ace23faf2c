/**
 * The synchronous transport contract of the TPM client. Internal.
 *
 * Synchronous on purpose: `quote()`, `createAttestedUpload()` and the software key's `sign()` are synchronous, and a
 * TPM-resident key must fit them unchanged. Each transport bounds the wait (TCP: a timeout; the kernel driver: its
 * own command timeouts) and the response size.
 * @module
 */

/** Sends one command and returns the complete response bytes. */
export interface TpmTransport {
  transmit(command: Uint8Array): Uint8Array;
  close(): void;
  readonly closed: boolean;
}
