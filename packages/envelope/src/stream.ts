/**
 * Streaming envelopes (FORMAT.md §4): the envelope header, then the payload as STREAM chunked AEAD
 * (Hoang, Reyhanitabar, Rogaway, Vizár, "Online Authenticated-Encryption and its Nonce-Reuse
 * Misuse-Resistance", CRYPTO 2015, §7): nonce = prefix ‖ counter ‖ last-flag, so truncation, reordering,
 * duplication and extension are all detected. Constant memory (one chunk buffered each way).
 * @module
 */
import { abytes, anumber, aobject, LimitError, randomBytes, UnsupportedError } from '@privkit/core';
import { commitKeys, contextHash } from './_commit.js';
import { beginSeal, KIND_STREAM, LEGACY_VERSION_CODE, maxHeaderLength, parseHeader, readOpenOptions, readSealOptions, unwrapPayloadKey, wrapSlots, type OpenOptions, type Parsed, type SealOptions, type SuiteResolver } from './_header.js';
import { concat } from './_labeled.js';
import { OpenError } from './errors.js';
import type * as hpke from './hpke.js';

/** Default plaintext bytes per chunk (64 KiB). */
export const DEFAULT_CHUNK_SIZE = 65536;
/** Smallest allowed chunk size. */
export const MIN_CHUNK_SIZE = 64;
/** Largest allowed chunk size (16 MiB). */
export const MAX_CHUNK_SIZE = 1 << 24;
/** Most chunks in one stream (32-bit counter). */
export const MAX_CHUNKS = 2 ** 32;
const PREFIX_LEN = 7;
const EXTRA_LEN = 4 + PREFIX_LEN;

/** Options of {@link createSealer}/{@link sealStream}. */
export interface StreamSealOptions extends SealOptions {
  /** Plaintext bytes per chunk, `64 … 16 MiB`; default 64 KiB. */
  readonly chunkSize?: number;
}

/** An incremental stream encryptor/decryptor: feed bytes with `push`, finish with `final`. */
export interface StreamProcessor {
  /** Processes more input; returns the output bytes that are ready (possibly empty). */
  push(data: Uint8Array): Uint8Array;
  /** Ends the input; returns the remaining output. No call is valid afterwards. */
  final(): Uint8Array;
}

class ChunkCipher {
  private counter = 0;
  private readonly nonce: Uint8Array;
  constructor(
    private readonly suite: hpke.Suite,
    private readonly key: Uint8Array,
    prefix: Uint8Array,
    private readonly aad: Uint8Array,
  ) {
    this.nonce = new Uint8Array(suite.aead.Nn);
    this.nonce.set(prefix, 0);
  }
  private next(last: boolean): Uint8Array {
    if (this.counter >= MAX_CHUNKS) throw new LimitError('stream chunk limit reached');
    const v = new DataView(this.nonce.buffer);
    v.setUint32(PREFIX_LEN, this.counter);
    this.nonce[PREFIX_LEN + 4] = last ? 1 : 0;
    this.counter++;
    return this.nonce;
  }
  seal(chunk: Uint8Array, last: boolean): Uint8Array {
    return this.suite.aead.impl!().seal(this.key, this.next(last), chunk, this.aad);
  }
  open(chunk: Uint8Array, last: boolean): Uint8Array {
    try {
      return this.suite.aead.impl!().open(this.key, this.next(last), chunk, this.aad);
    } catch {
      throw new OpenError();
    }
  }
  wipe(): void {
    this.key.fill(0);
  }
}

/** Splits input into fixed-size records, holding back the last full record until more input or `final`. */
class Rechunker {
  private readonly buf: Uint8Array;
  private fill = 0;
  constructor(private readonly cap: number, private readonly onRecord: (r: Uint8Array, last: boolean) => Uint8Array) {
    this.buf = new Uint8Array(cap);
  }
  push(data: Uint8Array, out: Uint8Array[]): void {
    let off = 0;
    while (off < data.length) {
      if (this.fill === this.cap) {
        out.push(this.onRecord(this.buf, false));
        this.fill = 0;
      }
      if (this.fill === 0 && data.length - off > this.cap) {
        out.push(this.onRecord(data.subarray(off, off + this.cap), false));
        off += this.cap;
        continue;
      }
      const take = Math.min(this.cap - this.fill, data.length - off);
      this.buf.set(data.subarray(off, off + take), this.fill);
      this.fill += take;
      off += take;
    }
  }
  final(): Uint8Array {
    return this.onRecord(this.buf.subarray(0, this.fill), true);
  }
}

function done(): never {
  throw new OpenError();
}

/**
 * An incremental stream sealer (FORMAT.md §4). The first output carries the header.
 * @param recipients - recipient public keys (1 … 1,000)
 * @param options - `suite`, `aad`, `senderSecretKey`, `chunkSize`
 * @returns `{ push, final }`
 * @throws {InputError} bad arguments; {KeyError} invalid recipient keys; {LimitError} > 2^32 chunks
 * @example
 * ```ts
 * const s = createSealer([pk]); const parts = [s.push(a), s.push(b), s.final()];
 * ```
 */
export function createSealer(recipients: readonly Uint8Array[], options?: StreamSealOptions): StreamProcessor {
  const { suite, aad, senderSecretKey } = readSealOptions(options);
  return sealerWith(suite, recipients, aad, senderSecretKey, readChunkSize(options));
}

/** `options.chunkSize`, validated (default {@link DEFAULT_CHUNK_SIZE}). @internal */
export function readChunkSize(options: unknown): number {
  const o = aobject<StreamSealOptions>(options, 'options') ?? {};
  return o.chunkSize === undefined ? DEFAULT_CHUNK_SIZE : anumber(o.chunkSize, 'options.chunkSize', MIN_CHUNK_SIZE, MAX_CHUNK_SIZE);
}

/** A sealer for a resolved suite and validated options (shared by {@link createSealer} and `withSuite`). @internal */
export function sealerWith(suite: hpke.Suite, recipients: readonly Uint8Array[], aad: Uint8Array, senderSecretKey: Uint8Array | undefined, chunkSize: number): StreamProcessor {
  const prefix = randomBytes(PREFIX_LEN);
  const extra = new Uint8Array(EXTRA_LEN);
  new DataView(extra.buffer).setUint32(0, chunkSize);
  extra.set(prefix, 4);
  const c = beginSeal(KIND_STREAM, recipients, suite, senderSecretKey, extra);
  const h = contextHash(suite, c.prefix, c.kids, aad);
  const { commitment, key } = commitKeys(suite, c.dek, h);
  let header: Uint8Array | undefined;
  try {
    header = concat([c.prefix, wrapSlots(c, commitment, new Uint8Array(0))]);
  } catch (e) {
    key.fill(0);
    throw e;
  } finally {
    c.dek.fill(0);
  }
  const cipher = new ChunkCipher(suite, key, prefix, concat([h, commitment]));
  const rc = new Rechunker(chunkSize, (r, last) => cipher.seal(r, last));
  let finished = false;
  const take = (out: Uint8Array[]): Uint8Array => {
    if (header) {
      out.unshift(header);
      header = undefined;
    }
    return out.length === 1 ? out[0]! : concat(out);
  };
  return {
    push(data: Uint8Array): Uint8Array {
      abytes(data, undefined, 'data');
      if (finished) throw new LimitError('stream already finished');
      const out: Uint8Array[] = [];
      rc.push(data, out);
      return take(out);
    },
    final(): Uint8Array {
      if (finished) throw new LimitError('stream already finished');
      finished = true;
      const out = [rc.final()];
      cipher.wipe();
      return take(out);
    },
  };
}

/**
 * An incremental stream opener. Plaintext is released chunk by chunk, each chunk only after its tag verified;
 * a truncated stream is detected at `final()` (which throws), so treat output as provisional until then.
 * @param secretKey - the recipient's KEM secret key
 * @param options - `aad`, `senderPublicKey`, `suites`
 * @returns `{ push, final }`
 * @throws {OpenError} on any authentication failure, truncation, reordering or malformed input
 * @example
 * ```ts
 * const o = createOpener(sk); const pt = concatBytes(o.push(bytes), o.final());
 * ```
 */
export function createOpener(secretKey: Uint8Array, options?: OpenOptions): StreamProcessor {
  abytes(secretKey, undefined, 'secretKey');
  const { aad, senderPublicKey, resolve } = readOpenOptions(options);
  return openerWith(resolve, secretKey, aad, senderPublicKey);
}

/** An opener for a suite resolver and validated options (shared by {@link createOpener} and `withSuite`). @internal */
export function openerWith(resolve: SuiteResolver, secretKey: Uint8Array, aad: Uint8Array, senderPublicKey: Uint8Array | undefined): StreamProcessor {
  let head: Uint8Array[] = [];
  let headLen = 0;
  let need = 15;
  let rc: Rechunker | undefined;
  let cipher: ChunkCipher | undefined;
  let state: 'header' | 'body' | 'done' | 'failed' = 'header';
  const limit = maxHeaderLength(EXTRA_LEN);
  const start = (p: Parsed, out: Uint8Array[], rest: Uint8Array): void => {
    const chunkSize = new DataView(p.extra.buffer, p.extra.byteOffset).getUint32(0);
    if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) done();
    const h = contextHash(p.suite, p.prefix, p.kids, aad);
    const key = unwrapPayloadKey(p, secretKey, senderPublicKey, h, new Uint8Array(0));
    cipher = new ChunkCipher(p.suite, key, p.extra.subarray(4), concat([h, p.commitment]));
    const c = cipher;
    rc = new Rechunker(chunkSize + p.suite.aead.Nt, (r, last) => {
      if (r.length < p.suite.aead.Nt) done();
      return c.open(r, last);
    });
    state = 'body';
    rc.push(rest, out);
  };
  const guard = <T>(fn: () => T): T => {
    if (state === 'done' || state === 'failed') throw new OpenError();
    try {
      return fn();
    } catch (e) {
      state = 'failed';
      cipher?.wipe();
      // the generic failure, or the typed refusal of a version-1 stream (FORMAT.md §3.6), pass through unchanged
      if (e instanceof OpenError || (e instanceof UnsupportedError && e.code === LEGACY_VERSION_CODE)) throw e;
      throw new OpenError();
    }
  };
  return {
    push(data: Uint8Array): Uint8Array {
      abytes(data, undefined, 'data');
      return guard(() => {
        const out: Uint8Array[] = [];
        if (state === 'header') {
          headLen += data.length;
          let buf: Uint8Array;
          if (head.length === 0 && data.length >= need) {
            buf = data; // the common case: the header arrives in one piece, no copy
          } else {
            head.push(data.slice());
            if (headLen < need) return new Uint8Array(0);
            buf = concat(head);
          }
          const p = parseHeader(buf, KIND_STREAM, EXTRA_LEN, resolve);
          if (typeof p === 'number') {
            if (p > limit) done();
            need = p;
            head = [buf === data ? data.slice() : buf];
            return new Uint8Array(0);
          }
          head = [];
          start(p, out, buf.subarray(p.end));
        } else {
          rc!.push(data, out);
        }
        return out.length === 1 ? out[0]! : concat(out);
      });
    },
    final(): Uint8Array {
      return guard(() => {
        if (state !== 'body') done();
        const last = rc!.final();
        state = 'done';
        cipher!.wipe();
        return last;
      });
    },
  };
}

/**
 * A Web Streams `TransformStream` that seals its input (FORMAT.md §4). Works in browsers and in Node
 * (`Readable.toWeb`/`Readable.fromWeb`, or `Duplex.fromWeb(sealStream(...))` as a Node transform).
 * @example
 * ```ts
 * const sealed = readable.pipeThrough(sealStream([pk], { chunkSize: 65536 }));
 * ```
 */
export function sealStream(recipients: readonly Uint8Array[], options?: StreamSealOptions): TransformStream<Uint8Array, Uint8Array> {
  return toTransform(createSealer(recipients, options));
}

/** A `TransformStream` over a sealer or opener: `push` per chunk, `final` at the end (empty outputs are not enqueued). @internal */
export function toTransform(p: StreamProcessor): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      const out = p.push(chunk);
      if (out.length) controller.enqueue(out);
    },
    flush(controller) {
      const out = p.final();
      if (out.length) controller.enqueue(out);
    },
  });
}

/**
 * A Web Streams `TransformStream` that opens a sealed stream; errors with {@link OpenError} on tampering and on
 * truncation (at end of input).
 * @example
 * ```ts
 * const plain = sealedReadable.pipeThrough(openStream(sk));
 * ```
 */
export function openStream(secretKey: Uint8Array, options?: OpenOptions): TransformStream<Uint8Array, Uint8Array> {
  return toTransform(createOpener(secretKey, options));
}
