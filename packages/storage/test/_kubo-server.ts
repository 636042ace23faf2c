/**
 * Test infrastructure: an in-process HTTP server speaking the subset of the Kubo RPC API that `createKuboStorage` uses
 * (`/api/v0/add`, `/cat`, `/block/stat`, `/pin/add`, `/pin/rm`, `/pin/ls`), backed by a real Helia node with Kubo's
 * import layout (256 KiB chunks, 174 links). No Kubo binary can be installed here (the `kubo` npm package downloads
 * one at install time). `lie` turns it into a hostile daemon: wrong bytes for a CID, or a wrong CID for an add.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { unixfs } from '@helia/unixfs';
import { createHeliaLight } from 'helia';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import { CID } from 'multiformats/cid';

export interface KuboServer {
  url: string;
  lie: { cat?: boolean; add?: boolean };
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** The first file part of a multipart/form-data body. */
function multipartFile(buf: Buffer, contentType: string): Uint8Array {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) throw new Error('no multipart boundary');
  const delim = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = buf.indexOf(delim);
  const headersEnd = buf.indexOf('\r\n\r\n', start);
  const end = buf.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), headersEnd);
  return new Uint8Array(buf.subarray(headersEnd + 4, end));
}

export async function startKuboServer(): Promise<KuboServer> {
  const helia = createHeliaLight();
  await helia.start();
  const fs = unixfs(helia);
  const lie: KuboServer['lie'] = {};

  const fail = (res: ServerResponse, msg: string) => {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ Message: msg, Code: 0, Type: 'error' }));
  };
  const json = (res: ServerResponse, v: unknown, ndjson = false) => {
    res.writeHead(200, { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' });
    res.end(ndjson ? (v as unknown[]).map((x) => JSON.stringify(x)).join('\n') + '\n' : JSON.stringify(v));
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://x');
    const q = url.searchParams;
    const arg = () => CID.parse(q.get('arg')!);
    try {
      const raw = await body(req);
      if (req.method !== 'POST') return fail(res, 'method not allowed');
      switch (url.pathname) {
        case '/api/v0/add': {
          const bytes = multipartFile(raw, req.headers['content-type'] ?? '');
          const chunkSize = Number(/^size-(\d+)$/.exec(q.get('chunker') ?? 'size-262144')![1]);
          const cidVersion = q.get('cid-version') === '1' ? 1 : 0;
          const cid = await fs.addBytes(lie.add ? Uint8Array.from([...bytes, 0]) : bytes, {
            cidVersion, rawLeaves: q.get('raw-leaves') === 'true', chunker: fixedSize({ chunkSize }), layout: balanced({ maxChildrenPerNode: 174 }),
          });
          if (q.get('pin') === 'true' && !(await helia.pins.isPinned(cid))) for await (const _ of helia.pins.add(cid)) { /* drain */ }
          return json(res, [{ Name: cid.toString(), Hash: cid.toString(), Size: String(bytes.length) }], true);
        }
        case '/api/v0/cat': {
          const cid = arg();
          if (!(await helia.blockstore.has(cid, { offline: true } as never))) return fail(res, 'block was not found locally (offline)');
          res.writeHead(200, { 'content-type': 'text/plain' });
          let first = true;
          for await (const chunk of fs.cat(cid, { offline: true } as never)) {
            res.write(lie.cat && first ? Uint8Array.from(chunk, (b, i) => (i === 0 ? b ^ 1 : b)) : chunk);
            first = false;
          }
          return res.end();
        }
        case '/api/v0/block/stat': {
          const cid = arg();
          if (!(await helia.blockstore.has(cid, { offline: true } as never))) return fail(res, 'block was not found locally (offline)');
          let size = 0;
          for await (const c of helia.blockstore.get(cid, { offline: true } as never) as AsyncIterable<Uint8Array>) size += c.length;
          return json(res, { Key: cid.toString(), Size: size });
        }
        case '/api/v0/pin/add': {
          const cid = arg();
          if (!(await helia.pins.isPinned(cid))) for await (const _ of helia.pins.add(cid, { offline: true } as never)) { /* drain */ }
          return json(res, { Pins: [cid.toString()] });
        }
        case '/api/v0/pin/rm': {
          const cid = arg();
          if (!(await helia.pins.isPinned(cid))) return fail(res, 'not pinned or pinned indirectly');
          for await (const _ of helia.pins.rm(cid)) { /* drain */ }
          return json(res, { Pins: [cid.toString()] });
        }
        case '/api/v0/pin/ls': {
          const wanted = q.getAll('arg').map((a) => CID.parse(a).toString());
          const out: unknown[] = [];
          for await (const p of helia.pins.ls()) {
            if (wanted.length === 0 || wanted.includes(p.cid.toString())) out.push({ Cid: p.cid.toString(), Type: 'recursive' });
          }
          if (wanted.length > 0 && out.length === 0) return fail(res, `path '${wanted[0]}' is not pinned`);
          return json(res, out, true);
        }
        default:
          return fail(res, `unknown command ${url.pathname}`);
      }
    } catch (e) {
      if (!res.headersSent) return fail(res, String((e as Error).message));
      res.destroy();
    }
  });
  // Kubo keeps idle RPC connections open; Node's 5 s default would reset pooled sockets on a loaded machine.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    lie,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await helia.stop();
    },
  };
}
