/**
 * he (issue 7): the "1,000 devices × 4,096 readings" aggregation end to end at the `bfv-4096` preset — every device
 * encrypts its 4,096 readings under the owner's public key, the aggregator adds the 1,000 ciphertexts, the owner
 * decrypts the 4,096 exact sums — and the same aggregate with `paillier-bigint` (2048-bit keys, readings packed into
 * each plaintext as far as the modulus allows), in one run.
 *
 * Paillier is ~3 orders of magnitude slower, so its per-ciphertext costs are measured on a scaled-down count and
 * extrapolated to the full workload (said in the output). The wire costs of SEAL (serialize with zstd, parse at the
 * aggregator) are measured on a subset of devices and extrapolated the same way. One more row runs the devices on two
 * worker threads (each thread a sub-aggregator handing one partial sum to the main aggregator); everything else is
 * single-threaded.
 */
import { loadavg } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createAggregationContext, type HeCiphertext } from '@privkit/he';
import { generateRandomKeysSync } from 'paillier-bigint';
import { crossValidate } from '../lib.js';

export const title = 'Homomorphic aggregation (SEAL BFV) vs packed Paillier';

const DEVICES = 1000;
const READINGS = 4096;
const MAX_ABS = 65535; // 16-bit signed sensor readings
const WIRE_DEVICES = 50; // devices whose upload is serialized + parsed (extrapolated)
const PAILLIER_CTS = 12; // packed Paillier ciphertexts actually computed (extrapolated)

/** xorshift32 — deterministic bench data (not cryptographic). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** Device d's readings (deterministic, so worker threads regenerate them instead of receiving 16 MB). */
function deviceReadings(d: number): Int32Array {
  const next = rng(0x5eed + d * 7919);
  return Int32Array.from({ length: READINGS }, () => (next() % (2 * MAX_ABS + 1)) - MAX_ABS);
}

interface WorkerJob {
  privkitHeBench: true;
  publicKey: Uint8Array;
  from: number;
  to: number;
}

/**
 * Worker thread = a group of devices plus a local sub-aggregator (a tree aggregation): encrypts its devices' readings,
 * adds them, and hands one partial sum (uncompressed, in-process) to the main aggregator.
 */
async function deviceWorker(job: WorkerJob): Promise<void> {
  const ctx = await createAggregationContext({ preset: 'bfv-4096', maxAbsReading: MAX_ABS });
  const device = ctx.device(job.publicKey);
  const acc = ctx.aggregator().accumulator();
  const data: Int32Array[] = [];
  for (let d = job.from; d < job.to; d++) data.push(deviceReadings(d));
  device.encrypt(data[0]!).dispose(); // warm-up
  parentPort!.once('message', () => {
    for (const r of data) {
      const ct = device.encrypt(r);
      acc.add(ct);
      ct.dispose();
    }
    const partial = acc.result();
    const bytes = partial.serialize({ compression: 'none' });
    partial.dispose();
    ctx.dispose();
    parentPort!.postMessage(bytes);
  });
  parentPort!.postMessage('ready');
}

if (!isMainThread && (workerData as WorkerJob | undefined)?.privkitHeBench) void deviceWorker(workerData as WorkerJob);

/** Runs DEVICES devices on `threads` worker threads; returns wall time from start to the owner's decrypted sums. */
async function threaded(threads: number, publicKey: Uint8Array, finish: (partials: Uint8Array[]) => bigint[]): Promise<{ ms: number; values: bigint[] }> {
  const per = Math.ceil(DEVICES / threads);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const workers = Array.from({ length: threads }, (_, i) => {
    const job: WorkerJob = { privkitHeBench: true, publicKey, from: i * per, to: Math.min(DEVICES, (i + 1) * per) };
    // register tsx in the worker, then load this very module (which starts deviceWorker)
    const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
    return new Worker(boot, { eval: true, workerData: job });
  });
  try {
    await Promise.all(workers.map((w) => new Promise<void>((res, rej) => {
      w.once('error', rej);
      w.once('message', () => res());
    })));
    const t0 = performance.now();
    const partials = await Promise.all(workers.map((w) => new Promise<Uint8Array>((res, rej) => {
      w.once('error', rej);
      w.once('message', (m: Uint8Array) => res(m));
      w.postMessage('go');
    })));
    const values = finish(partials);
    return { ms: performance.now() - t0, values };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

const fmt = (n: number, d = 2) => n.toLocaleString('en-US', { maximumFractionDigits: d });

export async function run(): Promise<{ markdown: string; data: unknown }> {
  const readings: Int32Array[] = Array.from({ length: DEVICES }, (_, d) => deviceReadings(d));
  const expected = new Array<bigint>(READINGS).fill(0n);
  for (const r of readings) for (let i = 0; i < READINGS; i++) expected[i]! += BigInt(r[i]!);

  // ---- SEAL BFV, in memory ------------------------------------------------------------------------------------
  const tSetup = performance.now();
  const ownerCtx = await createAggregationContext({ preset: 'bfv-4096', maxAbsReading: MAX_ABS });
  const deviceCtx = await createAggregationContext({ preset: 'bfv-4096', maxAbsReading: MAX_ABS });
  const aggCtx = await createAggregationContext({ preset: 'bfv-4096', maxAbsReading: MAX_ABS });
  const owner = ownerCtx.keygen();
  const pkBytes = owner.publicKey.serialize();
  const device = deviceCtx.device(pkBytes);
  const aggregator = aggCtx.aggregator();
  const setupMs = performance.now() - tSetup;

  // warm-up (JIT, SEAL memory pool)
  for (let i = 0; i < 3; i++) device.encrypt(readings[i]!).dispose();

  let encryptMs = 0;
  let addMs = 0;
  const acc = aggregator.accumulator();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let d = 0; d < DEVICES; d++) {
    const a = performance.now();
    const ct = device.encrypt(readings[d]!);
    const b = performance.now();
    acc.add(ct);
    ct.dispose();
    encryptMs += b - a;
    addMs += performance.now() - b;
  }
  const tDec = performance.now();
  const total = acc.result();
  const result = owner.decrypt(total);
  const decryptMs = performance.now() - tDec;
  const sealMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const sealCpuMs = (cpu.user + cpu.system) / 1000;
  total.dispose();
  acc.dispose();
  crossValidate('1000 × 4096 BFV sums', { plain: expected, seal: result.values });
  const sealRate = (DEVICES * READINGS) / (sealMs / 1000);
  // SEAL's WASM is single-threaded: CPU time is what the pipeline takes on an otherwise idle core
  const sealCpuRate = (DEVICES * READINGS) / (sealCpuMs / 1000);

  // ---- SEAL, devices on 2 worker threads (each a sub-aggregator), main thread adds the partials and decrypts ---------
  const THREADS = 2;
  const par = await threaded(THREADS, pkBytes, (partials) => {
    const cts = partials.map((b) => aggCtx.deserialize(b, 'aggregate')); // sub-aggregators' partial sums
    const sum = aggregator.sum(cts);
    const out = owner.decrypt(sum);
    cts.forEach((c) => c.dispose());
    sum.dispose();
    return [...(out.values as readonly bigint[])];
  });
  crossValidate('1000 × 4096 BFV sums (threads)', { plain: expected, seal: par.values });
  const parRate = (DEVICES * READINGS) / (par.ms / 1000);

  // ---- SEAL wire costs (subset) ---------------------------------------------------------------------------------
  let serMs = 0;
  let parseMs = 0;
  let uploadBytes = 0;
  let uploadBytesNone = 0;
  let parseNoneMs = 0;
  const wireAcc = aggregator.accumulator();
  // CPU time (process.cpuUsage, this thread) of encrypt / parse: robust against other jobs on the shared machine
  const cpuMs = (f: () => void): number => {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  let encCpuMs = 0;
  let parseCpuMs = 0;
  let parseNoneCpuMs = 0;
  for (let d = 0; d < WIRE_DEVICES; d++) {
    let ct!: HeCiphertext;
    encCpuMs += cpuMs(() => (ct = device.encrypt(readings[d]!)));
    const a = performance.now();
    const bytes = ct.serialize();
    const b = performance.now();
    let parsed!: HeCiphertext;
    parseCpuMs += cpuMs(() => (parsed = aggCtx.deserialize(bytes, 'ciphertext')));
    parseMs += performance.now() - b;
    serMs += b - a;
    uploadBytes += bytes.length;
    wireAcc.add(parsed);
    parsed.dispose();
    const none = ct.serialize({ compression: 'none' });
    const c = performance.now();
    parseNoneCpuMs += cpuMs(() => aggCtx.deserialize(none, 'ciphertext').dispose());
    parseNoneMs += performance.now() - c;
    if (d === 0) uploadBytesNone = none.length;
    ct.dispose();
  }
  const wireTotal = wireAcc.result();
  const wireOut = owner.decrypt(ownerCtx.deserialize(wireTotal.serialize(), 'aggregate'), {
    bound: BigInt(WIRE_DEVICES * MAX_ABS), // the owner's own aggregate bound
  });
  const wireExpected = new Array<bigint>(READINGS).fill(0n);
  for (let d = 0; d < WIRE_DEVICES; d++) for (let i = 0; i < READINGS; i++) wireExpected[i]! += BigInt(readings[d]![i]!);
  crossValidate('wire subset sums', { plain: wireExpected, seal: wireOut.values });
  wireTotal.dispose();
  wireAcc.dispose();
  const perDeviceWireMs = (serMs + parseMs) / WIRE_DEVICES;
  const sealWireMs = sealMs + perDeviceWireMs * DEVICES;
  const sealWireRate = (DEVICES * READINGS) / (sealWireMs / 1000);
  const bytesPerReading = uploadBytes / WIRE_DEVICES / READINGS;
  const bytesPerReadingNone = uploadBytesNone / READINGS;
  const pkBytesLen = pkBytes.length;
  ownerCtx.dispose();
  deviceCtx.dispose();
  aggCtx.dispose();

  // ---- packed Paillier (paillier-bigint, 2048-bit n) -----------------------------------------------------------------
  const tKey = performance.now();
  const { publicKey, privateKey } = generateRandomKeysSync(2048);
  const paillierKeygenMs = performance.now() - tKey;
  // offset readings to be non-negative: r + MAX_ABS ∈ [0, 2·MAX_ABS]; a slot must hold DEVICES of them
  const slotBits = (BigInt(DEVICES) * BigInt(2 * MAX_ABS)).toString(2).length;
  const slotsPerCt = Math.floor((publicKey.n.toString(2).length - 1) / slotBits);
  const ctsPerDevice = Math.ceil(READINGS / slotsPerCt);
  const pack = (vals: ArrayLike<number>, from: number): bigint => {
    let m = 0n;
    for (let s = Math.min(slotsPerCt, READINGS - from) - 1; s >= 0; s--) m = (m << BigInt(slotBits)) | BigInt(vals[from + s]! + MAX_ABS);
    return m;
  };
  const unpack = (m: bigint, count: number, devices: number): bigint[] => {
    const out: bigint[] = [];
    const mask = (1n << BigInt(slotBits)) - 1n;
    for (let s = 0; s < count; s++) out.push(((m >> BigInt(s * slotBits)) & mask) - BigInt(devices * MAX_ABS));
    return out;
  };
  // PAILLIER_CTS ciphertexts = the first packed plaintext of PAILLIER_CTS devices, summed (cross-checked)
  let pEncMs = 0;
  let pAddMs = 0;
  let pAcc: bigint | undefined;
  for (let d = 0; d < PAILLIER_CTS; d++) {
    const m = pack(readings[d]!, 0);
    const a = performance.now();
    const c = publicKey.encrypt(m);
    const b = performance.now();
    pAcc = pAcc === undefined ? c : publicKey.addition(pAcc, c);
    pAddMs += performance.now() - b;
    pEncMs += b - a;
  }
  const tpd = performance.now();
  const pSum = privateKey.decrypt(pAcc!);
  const pDecMs = performance.now() - tpd;
  const pSlots = unpack(pSum, slotsPerCt, PAILLIER_CTS);
  const pExpected = Array.from({ length: slotsPerCt }, (_, i) => {
    let s = 0n;
    for (let d = 0; d < PAILLIER_CTS; d++) s += BigInt(readings[d]![i]!);
    return s;
  });
  crossValidate('packed Paillier slot sums', { plain: pExpected, paillier: pSlots });
  const totalPaillierCts = DEVICES * ctsPerDevice;
  const paillierMs =
    (pEncMs / PAILLIER_CTS) * totalPaillierCts +
    (pAddMs / Math.max(1, PAILLIER_CTS - 1)) * (totalPaillierCts - ctsPerDevice) +
    pDecMs * ctsPerDevice;
  const paillierRate = (DEVICES * READINGS) / (paillierMs / 1000);
  const paillierBytesPerReading = (2 * 2048) / 8 / slotsPerCt;

  const speedup = sealRate / paillierRate;
  const speedupWire = sealWireRate / paillierRate;
  const load = loadavg().map((x) => x.toFixed(1)).join(' / ');
  const ok = (b: boolean) => (b ? '✅' : '❌');

  const markdown = `
Workload: ${fmt(DEVICES)} devices × ${fmt(READINGS)} signed 16-bit readings (|r| ≤ ${MAX_ABS}) = ${fmt(DEVICES * READINGS)} readings; every
device encrypts under the owner's public key, an aggregator (separate context, no secret key) adds, the owner decrypts
the ${fmt(READINGS)} exact sums. Single thread unless a row says otherwise; outputs cross-checked against plain sums before reporting. The machine is
shared with other engineers (load average ${load} during this run), so absolute rates are pessimistic; the ratios come
from the same run.

| pipeline | time | readings/s | bytes uploaded / reading |
| --- | ---: | ---: | ---: |
| SEAL BFV \`bfv-4096\`, in memory (encrypt ${fmt(encryptMs / DEVICES)} ms + add ${fmt(addMs / DEVICES, 3)} ms per device; decrypt ${fmt(decryptMs)} ms) | ${fmt(sealMs / 1000)} s | ${fmt(sealRate, 0)} | ${fmt(bytesPerReading)} (zstd) |
| same, by CPU time (${fmt(sealCpuMs / 1000)} s of CPU: the rate on an otherwise idle core) | ${fmt(sealCpuMs / 1000)} s CPU | ${fmt(sealCpuRate, 0)} | |
| SEAL BFV \`bfv-4096\`, devices on ${THREADS} worker threads (each a sub-aggregator; partial sums passed uncompressed), wall clock | ${fmt(par.ms / 1000)} s | ${fmt(parRate, 0)} | |
| SEAL BFV \`bfv-4096\` incl. wire: serialize (zstd) ${fmt(serMs / WIRE_DEVICES)} ms + parse ${fmt(parseMs / WIRE_DEVICES)} ms per device (measured on ${WIRE_DEVICES} devices, extrapolated) | ${fmt(sealWireMs / 1000)} s | ${fmt(sealWireRate, 0)} | ${fmt(bytesPerReading)} |
| packed Paillier (paillier-bigint, n = 2048 bit): ${slotsPerCt} readings × ${slotBits} bit per plaintext, ${ctsPerDevice} ciphertexts per device; encrypt ${fmt(pEncMs / PAILLIER_CTS)} ms, add ${fmt(pAddMs / Math.max(1, PAILLIER_CTS - 1), 3)} ms, decrypt ${fmt(pDecMs)} ms (measured on ${PAILLIER_CTS} ciphertexts, extrapolated to ${fmt(totalPaillierCts)}) | ${fmt(paillierMs / 1000, 0)} s | ${fmt(paillierRate, 0)} | ${fmt(paillierBytesPerReading)} |

- ${ok(sealRate >= 1e6)} end-to-end rate (in memory, wall clock on the shared machine): ${fmt(sealRate, 0)} readings/s, target ≥ 1,000,000 (with wire: ${fmt(sealWireRate, 0)})
- ${ok(parRate >= 1e6)} end-to-end rate with ${THREADS} device threads (wall clock, shared machine): ${fmt(parRate, 0)} readings/s, target ≥ 1,000,000
- ${ok(sealCpuRate >= 1e6)} end-to-end rate (in memory, per CPU-second of the single SEAL thread): ${fmt(sealCpuRate, 0)} readings/s, target ≥ 1,000,000
- ${ok(speedup >= 500)} vs packed Paillier: ${fmt(speedup, 0)}× (with wire: ${fmt(speedupWire, 0)}×), target ≥ 500×
- ${ok(parseNoneCpuMs <= 0.15 * encCpuMs)} validation + load of an untrusted upload, CPU time per 4,096-reading upload: uncompressed ${fmt(parseNoneCpuMs / WIRE_DEVICES, 3)} ms = ${fmt((100 * parseNoneCpuMs) / encCpuMs, 1)} % of a device's encryption (${fmt(encCpuMs / WIRE_DEVICES, 3)} ms CPU), target ≤ 15 %; zstd ${fmt(parseCpuMs / WIRE_DEVICES, 3)} ms = ${fmt((100 * parseCpuMs) / encCpuMs, 1)} % (inflate with an exact output cap, validate every coefficient, SEAL loads the canonical stream; wall clock ${fmt(parseMs / WIRE_DEVICES, 3)} / ${fmt(parseNoneMs / WIRE_DEVICES, 3)} ms)
- ${ok(bytesPerReading <= 24)} upload: ${fmt(bytesPerReading)} bytes/reading with SEAL's zstd (uncompressed ${fmt(bytesPerReadingNone)}), target ≤ 24

Setup (SEAL load once + 3 contexts + keygen): ${fmt(setupMs)} ms; public key ${fmt(pkBytesLen)} bytes (zstd); Paillier
2048-bit keygen ${fmt(paillierKeygenMs)} ms. Public-key BFV encryption cannot be seeded (both ciphertext polynomials are
pseudo-random under the public key), so ≈ 21.6 B/reading is the floor with SEAL's serialization at n = 4096 (72-bit data
modulus, 2 polynomials); SEAL's seeded *symmetric* encryption would halve it (≈ 11.3 B/reading) but needs the secret key on
the device, which this trust model forbids. Packed Paillier uploads fewer bytes per reading (${fmt(paillierBytesPerReading)}) but is far slower.
`;
  return {
    markdown,
    data: {
      devices: DEVICES,
      readings: READINGS,
      seal: { ms: sealMs, rate: sealRate, cpuMs: sealCpuMs, cpuRate: sealCpuRate, encryptMsPerDevice: encryptMs / DEVICES, addMsPerDevice: addMs / DEVICES, decryptMs },
      sealThreads: { threads: THREADS, ms: par.ms, rate: parRate },
      sealWire: { ms: sealWireMs, rate: sealWireRate, serializeMs: serMs / WIRE_DEVICES, parseMs: parseMs / WIRE_DEVICES, parseNoneMs: parseNoneMs / WIRE_DEVICES, cpu: { encryptMs: encCpuMs / WIRE_DEVICES, parseMs: parseCpuMs / WIRE_DEVICES, parseNoneMs: parseNoneCpuMs / WIRE_DEVICES }, bytesPerReading, bytesPerReadingNone, measuredDevices: WIRE_DEVICES },
      paillier: { ms: paillierMs, rate: paillierRate, slotBits, slotsPerCt, ctsPerDevice, encryptMs: pEncMs / PAILLIER_CTS, decryptMs: pDecMs, measuredCiphertexts: PAILLIER_CTS, bytesPerReading: paillierBytesPerReading, extrapolated: true },
      speedup,
      speedupWire,
      loadavg: loadavg(),
    },
  };
}
