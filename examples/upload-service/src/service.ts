/**
 * A small service built on PrivKit, the kind a PrivKit user writes: a gateway that accepts anonymous uploads from
 * registered devices. Each upload is an envelope sealed to the gateway plus a linkable ring signature over it
 * (scope = the upload epoch). The gateway accepts an upload only if the signature verifies against the registered
 * ring, no earlier accepted upload in the same epoch carries the same key image (one upload per device per epoch),
 * and the envelope opens; it then anchors SHA-256 of the reading on a ledger and keeps the reading.
 */
import { bytesToHex, getHash, utf8ToBytes } from '@privkit/core';
import { open } from '@privkit/envelope';
import * as ringSig from '@privkit/ring-sig';
import type { LedgerAdapter } from '@privkit/ledger';

export type Verdict =
  | { accepted: true; reading: Uint8Array; version: number }
  | { accepted: false; reason: 'bad-signature' | 'duplicate' | 'undecryptable' };

export interface UploadGateway {
  submit(id: string, envelope: Uint8Array, signature: Uint8Array): Promise<Verdict>;
  readonly accepted: number;
}

export function createUploadGateway(options: {
  ledger: LedgerAdapter;
  ring: readonly Uint8Array[];
  epoch: string;
  secretKey: Uint8Array;
}): UploadGateway {
  const scope = utf8ToBytes(options.epoch);
  const sha256 = getHash('sha256');
  const seen = new Set<string>();
  let accepted = 0;
  return {
    get accepted() {
      return accepted;
    },
    async submit(id, envelope, signature) {
      let sig: ringSig.RingSignature;
      try {
        sig = ringSig.decode(signature);
        if (!ringSig.verify(sig, envelope, options.ring, { scope })) return { accepted: false, reason: 'bad-signature' };
      } catch {
        return { accepted: false, reason: 'bad-signature' };
      }
      const tag = bytesToHex(ringSig.keyImage(sig));
      if (seen.has(tag)) return { accepted: false, reason: 'duplicate' };
      let reading: Uint8Array;
      try {
        reading = open(envelope, options.secretKey);
      } catch {
        return { accepted: false, reason: 'undecryptable' };
      }
      seen.add(tag);
      const { version } = await options.ledger.put(id, { anchor: sha256(reading) });
      accepted++;
      return { accepted: true, reading, version };
    },
  };
}

/**
 * The service's own ledger back end: an adapter decorator that keeps an audit log of every successful write. It
 * must behave exactly like the adapter it wraps — which `runLedgerConformance` checks.
 */
export function withAuditLog(inner: LedgerAdapter, log: string[]): LedgerAdapter {
  const record = async <T>(what: string, p: Promise<T>) => {
    const r = await p;
    log.push(what);
    return r;
  };
  return {
    backend: `${inner.backend}+audit`,
    identity: inner.identity,
    put: (id, input, opts) => record(`put ${id}`, inner.put(id, input, opts)),
    get: (id) => inner.get(id),
    getAnchor: (id) => inner.getAnchor(id),
    history: (id) => inner.history(id),
    grant: (id, reader, expiresAt) => record(`grant ${id} ${reader}`, inner.grant(id, reader, expiresAt)),
    revoke: (id, reader) => record(`revoke ${id} ${reader}`, inner.revoke(id, reader)),
    deleteData: (id) => record(`delete ${id}`, inner.deleteData(id)),
    subscribe: (l) => inner.subscribe(l),
  };
}
