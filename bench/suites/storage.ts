/**
 * Storage: put/get of 4 KiB and 1 MiB encrypted blocks (PrivKit envelopes) on the embedded IPFS node (Helia, blocks
 * on disk) against writing/reading the same bytes as plain files; CID computation rate of PrivKit's `unixfsCid`
 * against the IPFS UnixFS importer with Helia's `addBytes` defaults (blocks discarded, hashing only); block fetch
 * latency between two Helia nodes over loopback (libp2p TCP + bitswap).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importer } from 'ipfs-unixfs-importer';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import { randomBytes } from '@privkit/core';
import { hpke, seal } from '@privkit/envelope';
import { unixfsCid } from '@privkit/ledger';
import { createIpfsStorage } from '@privkit/storage';
import { crossValidate, measure, ratio, table, target } from '../lib.js';

export const title = 'Storage: embedded IPFS vs files, CID computation, two-node fetch';

const KiB = 1024;
const MiB = 1024 * 1024;

/** The importer exactly as Helia's `unixfs.addBytes` runs it by default, writing to a blockstore that discards. */
async function heliaImporterCid(bytes: Uint8Array): Promise<string> {
  const discard = { put: async (cid: unknown) => cid } as never;
  let last;
  for await (const e of importer([{ content: bytes }], discard, {
    cidVersion: 1, rawLeaves: true, chunker: fixedSize({ chunkSize: MiB }), layout: balanced({ maxChildrenPerNode: 1024 }),
  })) last = e;
  return last!.cid.toString();
}

export async function run(): Promise<{ markdown: string; data: unknown }> {
  const root = mkdtempSync(join(tmpdir(), 'privkit-bench-storage-'));
  const pk = hpke.suite(0x0020, 0x0001, 0x0002).kem.generateKeyPair().publicKey;
  const envelopes = (size: number, n: number) => Array.from({ length: n }, () => seal(randomBytes(size), [pk]));
  try {
    // --- put/get: embedded IPFS vs files ---
    const ipfs = await createIpfsStorage({ directory: join(root, 'ipfs') });
    const filesDir = join(root, 'files');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(filesDir);
    const rows = [];
    const ratios: Record<string, { put: number; get: number }> = {};
    for (const [label, size, n] of [['4 KiB', 4 * KiB, 512], ['1 MiB', MiB, 48]] as const) {
      const pool = envelopes(size, n);
      const cids = await Promise.all(pool.map(async (e) => (await ipfs.put(e)).cid));
      await Promise.all(pool.map((e, i) => writeFile(join(filesDir, `${label}-${i}`), e)));
      crossValidate(`${label} round trip`, { ipfs: await ipfs.get(cids[0]!), file: new Uint8Array(await readFile(join(filesDir, `${label}-0`))) });
      let a = 0;
      let b = 0;
      let c = 0;
      let d = 0;
      const r = await measure(`storage ${label}`, [
        { name: `IPFS put ${label} envelope`, fn: async () => ipfs.put(pool[a++ % n]!) },
        { name: `file write ${label} envelope`, fn: async () => writeFile(join(filesDir, `w-${label}-${b++ % n}`), pool[b % n]!) },
        { name: `IPFS get ${label} envelope (CID re-checked)`, fn: async () => ipfs.get(cids[c++ % n]!) },
        { name: `file read ${label} envelope`, fn: async () => readFile(join(filesDir, `${label}-${d++ % n}`)) },
      ], { time: 1000 });
      rows.push(...r);
      ratios[label] = {
        put: ratio(r, `file write ${label} envelope`, `IPFS put ${label} envelope`),
        get: ratio(r, `file read ${label} envelope`, `IPFS get ${label} envelope (CID re-checked)`),
      };
    }
    await ipfs.close();

    // --- CID computation: PrivKit vs the importer (Helia addBytes defaults) ---
    const cidRows = [];
    const cidRatios: Record<string, number> = {};
    for (const [label, size] of [['4 KiB', 4 * KiB], ['1 MiB', MiB], ['8 MiB', 8 * MiB]] as const) {
      const bytes = randomBytes(size);
      crossValidate(`CID of ${label}`, { privkit: unixfsCid(bytes), helia: await heliaImporterCid(bytes) });
      const r = await measure(`cid ${label}`, [
        { name: `unixfsCid ${label} (PrivKit)`, fn: () => unixfsCid(bytes) },
        { name: `importer ${label} (Helia addBytes defaults, blocks discarded)`, fn: async () => heliaImporterCid(bytes) },
      ], { time: 800 });
      cidRows.push({ label, rows: r, bytes: size });
      cidRatios[label] = ratio(r, `unixfsCid ${label} (PrivKit)`, `importer ${label} (Helia addBytes defaults, blocks discarded)`);
    }

    // --- two nodes on loopback: fetch latency of a block the consumer does not have ---
    const owner = await createIpfsStorage({ directory: join(root, 'owner'), network: true });
    const consumer = await createIpfsStorage({ directory: join(root, 'consumer'), network: true });
    await consumer.dial(owner.multiaddrs()[0]!);
    const netRows = [];
    for (const [label, size, n] of [['4 KiB', 4 * KiB, 600], ['1 MiB', MiB, 110]] as const) {
      const cids: string[] = [];
      for (const e of envelopes(size, n)) cids.push((await owner.put(e)).cid);
      let i = 0;
      const r = await measure(`two nodes ${label}`, [
        {
          name: `consumer fetches a new ${label} block from the owner's node (bitswap, CID re-checked)`,
          fn: async () => {
            if (i >= n) throw new Error('pool exhausted: the consumer would read its own copy');
            return consumer.get(cids[i++]!);
          },
        },
      ], { time: 1000, warmupTime: 100 });
      netRows.push(...r);
    }
    await consumer.close();
    await owner.close();

    const ratioLines = Object.entries(ratios).map(([l, v]) => `- ${l}: an IPFS put costs ${v.put.toFixed(2)}× a file write, an IPFS get ${v.get.toFixed(2)}× a file read (time ratios, same run)`).join('\n');
    const markdown = `### Put/get of encrypted blocks: embedded IPFS (Helia, blockstore-fs) vs plain files

${table(rows)}

${ratioLines}

IPFS put = UnixFS import (hashing, dag-pb for > 1 MiB), CID cross-check against PrivKit's own computation, block
writes and a pin; IPFS get = read, reassembly and a full CID re-check of the bytes. Files: \`fs.writeFile\`/\`readFile\`.

### CID computation: PrivKit \`unixfsCid\` vs the IPFS UnixFS importer (same CIDs, cross-checked)

${cidRows.map((c) => table(c.rows, c.bytes)).join('\n\n')}

${Object.entries(cidRatios).map(([l, v]) => target(`unixfsCid ${l} rate vs the importer (target ≥ 1×)`, v, 1)).join('\n')}

### Two Helia nodes on loopback (libp2p TCP, Noise, Yamux, bitswap)

${table(netRows)}`;
    return { markdown, data: { rows, ratios, cidRows, cidRatios, netRows } };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
