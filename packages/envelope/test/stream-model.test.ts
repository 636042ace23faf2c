/**
 * Model-based test (fast-check `fc.commands`) of the streaming reader (`createOpener`): random sequences of
 * feeding the next bytes of a sealed stream, tampering with a byte not yet fed, appending bytes after the end,
 * finishing early, and pushing after the reader is done. The model says what the reader may release: only a prefix
 * of the true plaintext, all of it exactly at `final()` on an intact complete stream, and an `OpenError` (with
 * nothing more released) on truncation, tampering, extension or use after the end.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '@privkit/core';
import { createOpener, createSealer, hpke, OpenError, type StreamProcessor } from '@privkit/envelope';

const suite = hpke.suite(0x0020, 0x0001, 0x0001);
const R = suite.kem.deriveKeyPair(new Uint8Array(32).fill(7));

interface Model {
  stream: Uint8Array; // the bytes the reader will be fed (the sealed stream, possibly tampered/extended)
  plaintext: Uint8Array;
  honestLength: number;
  fed: number;
  released: number;
  tamperedAt: number[];
  extended: boolean;
  state: 'open' | 'done' | 'failed';
}
interface Real {
  opener: StreamProcessor;
  out: Uint8Array[];
}

const hex = (parts: Uint8Array[]) => parts.map(bytesToHex).join('');
/** Has the reader been fed anything but the honest stream (a tampered byte, or bytes past its end)? */
const dishonest = (m: Model, fed: number) => fed > m.honestLength || m.tamperedAt.some((p) => p < fed);

function releasedOk(m: Model, r: Real) {
  const got = hex(r.out);
  const want = bytesToHex(m.plaintext);
  // Whatever was released is a prefix of the true plaintext, never altered bytes.
  expect(want.startsWith(got), 'released bytes are a prefix of the plaintext').toBe(true);
  m.released = got.length / 2;
}

function call(m: Model, r: Real, f: () => Uint8Array) {
  try {
    r.out.push(f());
    releasedOk(m, r);
    return true;
  } catch (e) {
    expect(e).toBeInstanceOf(OpenError);
    releasedOk(m, r);
    m.state = m.state === 'open' ? 'failed' : m.state;
    return false;
  }
}

class Feed implements fc.AsyncCommand<Model, Real> {
  constructor(readonly n: number) {}
  check = (m: Readonly<Model>) => m.fed < m.stream.length;
  async run(m: Model, r: Real) {
    const before = m.state;
    const end = Math.min(m.stream.length, m.fed + this.n);
    const ok = call(m, r, () => r.opener.push(m.stream.slice(m.fed, end)));
    if (before !== 'open') expect(ok, 'push after the end fails').toBe(false);
    if (before === 'open' && !dishonest(m, end)) expect(ok, 'honest bytes are accepted').toBe(true);
    m.fed = end;
  }
  toString = () => `feed(${this.n})`;
}

class Tamper implements fc.AsyncCommand<Model, Real> {
  constructor(readonly offset: number, readonly bit: number) {}
  check = (m: Readonly<Model>) => m.fed < m.stream.length;
  async run(m: Model) {
    const i = m.fed + (this.offset % (m.stream.length - m.fed));
    m.stream = Uint8Array.from(m.stream);
    m.stream[i]! ^= 1 << this.bit;
    m.tamperedAt.push(i);
  }
  toString = () => `tamper(+${this.offset}, bit ${this.bit})`;
}

class Extend implements fc.AsyncCommand<Model, Real> {
  constructor(readonly extra: Uint8Array) {}
  check = (m: Readonly<Model>) => !m.extended;
  async run(m: Model) {
    const s = new Uint8Array(m.stream.length + this.extra.length);
    s.set(m.stream);
    s.set(this.extra, m.stream.length);
    m.stream = s;
    m.extended = true;
  }
  toString = () => `extend(${this.extra.length} B)`;
}

class Final implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const before = m.state;
    const complete = m.fed >= m.honestLength;
    const ok = call(m, r, () => r.opener.final());
    if (before === 'open' && complete && !dishonest(m, m.fed)) {
      expect(ok, 'an intact complete stream opens').toBe(true);
      expect(hex(r.out)).toBe(bytesToHex(m.plaintext));
    } else {
      // truncated (not all fed), tampered, extended, or already done/failed: never "success"
      expect(ok, `final on ${complete ? '' : 'truncated '}${dishonest(m, m.fed) ? 'tampered/extended ' : ''}${before} stream`).toBe(false);
    }
    m.state = ok ? 'done' : 'failed';
  }
  toString = () => 'final()';
}

describe('streaming reader (model-based)', () => {
  it('releases only authenticated prefixes and fails closed on truncation, tampering, extension and reuse', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 600 }),
        fc.constantFrom(64, 100),
        fc.commands(
          [
            fc.integer({ min: 0, max: 300 }).map((n) => new Feed(n)),
            fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([o, b]) => new Tamper(o, b)),
            fc.uint8Array({ minLength: 1, maxLength: 40 }).map((x) => new Extend(x)),
            fc.constant(new Final()),
          ],
          { maxCommands: 25 },
        ),
        async (plaintext, chunkSize, cmds) => {
          const sealer = createSealer([R.publicKey], { chunkSize });
          const stream = (() => {
            const parts = [sealer.push(plaintext), sealer.final()];
            const s = new Uint8Array(parts[0]!.length + parts[1]!.length);
            s.set(parts[0]!);
            s.set(parts[1]!, parts[0]!.length);
            return s;
          })();
          const setup = () => ({
            model: { stream, plaintext, honestLength: stream.length, fed: 0, released: 0, tamperedAt: [], extended: false, state: 'open' as const } as Model,
            real: { opener: createOpener(R.secretKey), out: [] } as Real,
          });
          await fc.asyncModelRun(setup, cmds);
        },
      ),
      { numRuns: 150 },
    );
  });
});
